import logging

from celery import shared_task

from accounts.models import AuthorityMembership
from proposals import audit
from proposals.permissions import sync_authority_grants

logger = logging.getLogger(__name__)


@shared_task(name="proposals.sync_authority_grants")
def sync_all_authority_grants() -> int:
    """Memberships also end by date, without any save; re-align every authority's grants nightly."""
    authority_ids = AuthorityMembership.objects.values_list("authority_id", flat=True).distinct()
    count = 0
    for authority_id in authority_ids.iterator():
        sync_authority_grants(authority_id)
        count += 1
    return count


@shared_task(name="proposals.audit_seal_and_verify", acks_late=True)
def audit_seal_and_verify() -> int:
    """Nightly: seal the trails' new rows, recompute every chain, and tell Home Affairs of any break."""
    audit.audit_seal()
    breaks = audit.audit_verify()
    for item in breaks:
        logger.error("The %s trail is broken at row %s: %s.", item.table, item.row_id, item.reason)
    audit.audit_breaks_report(breaks)
    return len(breaks)
