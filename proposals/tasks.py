from celery import shared_task

from accounts.models import AuthorityMembership
from proposals.permissions import sync_authority_grants


@shared_task(name="proposals.sync_authority_grants")
def sync_all_authority_grants() -> int:
    """Memberships also end by date, without any save; re-align every authority's grants nightly."""
    authority_ids = AuthorityMembership.objects.values_list("authority_id", flat=True).distinct()
    count = 0
    for authority_id in authority_ids.iterator():
        sync_authority_grants(authority_id)
        count += 1
    return count
