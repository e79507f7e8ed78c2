"""The sealed trails (proposals.audit): tampering past the append-only triggers is found and reported."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from notifications.models import Notification
from portal.database import as_owner
from proposals import audit
from proposals.models import NoticeKind, OutboxMessage, ProposalEvent
from proposals.tasks import audit_seal_and_verify
from tests.helpers import deliver_all, submitted

pytestmark = pytest.mark.django_db(transaction=True)

LATER = timezone.now() + datetime.timedelta(hours=1)


def _as_owner(sql: str, params=()) -> None:
    """What someone holding the tables' owner role could do: switch the trigger off, change, switch it on. The
    application's role cannot (tests/test_database_roles.py), so the rows are committed and changed from a
    connection of the owner's."""
    with as_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE proposals_proposalevent DISABLE TRIGGER proposals_event_no_update_delete")
        try:
            cursor.execute(sql, params)
        finally:  # a failed change must not leave the trigger off for the tests after this one
            cursor.execute("ALTER TABLE proposals_proposalevent ENABLE TRIGGER proposals_event_no_update_delete")


def _sealed_trail(org) -> list[int]:
    for title in ("Một cửa điện tử", "Số hoá hồ sơ", "Ký số văn bản"):
        submitted(org.proposer_dept, title=title)
    audit.audit_seal(now=LATER)
    return list(ProposalEvent.objects.order_by("pk").values_list("pk", flat=True))


def test_sealed_trails_hold_and_only_old_enough_rows_are_sealed(org):
    ids = _sealed_trail(org)
    young = submitted(org.proposer_dept, title="Vừa gửi")

    sealed = audit.audit_seal()

    assert len(ids) >= 6 and all(ProposalEvent.objects.filter(pk__in=ids).values_list("seal", flat=True))
    assert sealed["proposals_proposalevent"] == 0
    assert not ProposalEvent.objects.filter(proposal=young).exclude(seal="").exists()
    assert audit.audit_verify() == []


def test_a_row_changed_past_the_trigger_breaks_the_chain_at_that_row(org):
    ids = _sealed_trail(org)

    _as_owner("UPDATE proposals_proposalevent SET details = '{\"forged\": true}' WHERE id = %s", [ids[2]])

    assert audit.audit_verify() == [audit.Break("proposals_proposalevent", ids[2],
                                                "its seal does not match its content and the rows before it")]


def test_a_removed_row_breaks_the_chain_at_the_row_after_it(org):
    ids = _sealed_trail(org)

    # the messages about the row go first, or its foreign keys would stop the deletion
    _as_owner("DELETE FROM notifications_notification WHERE outbox_message_id IN "
              "(SELECT id FROM proposals_outboxmessage WHERE event_id = %s)", [ids[1]])
    _as_owner("DELETE FROM proposals_outboxmessage WHERE event_id = %s", [ids[1]])
    _as_owner("DELETE FROM proposals_proposalevent WHERE id = %s", [ids[1]])

    [found] = audit.audit_verify()
    assert found.row_id == ids[2]


def test_the_seal_is_the_one_change_the_trigger_lets_through_and_only_once(org):
    ids = _sealed_trail(org)
    unsealed = ProposalEvent.objects.filter(proposal=submitted(org.proposer_dept, title="Mới")).first()

    # a sealed row's seal cannot be rewritten, nor can sealing change anything else
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalEvent.objects.filter(pk=ids[0]).update(seal="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalEvent.objects.filter(pk=unsealed.pk).update(seal="1" * 64, details={"forged": True})


def test_the_nightly_check_tells_home_affairs_once_and_the_command_fails(org):
    ids = _sealed_trail(org)
    _as_owner("UPDATE proposals_proposalevent SET kind = 'withdrawn' WHERE id = %s", [ids[3]])

    assert audit_seal_and_verify() == 1
    assert audit_seal_and_verify() == 1
    told = OutboxMessage.objects.filter(kind=NoticeKind.AUDIT_BROKEN)
    assert list(told.values_list("recipient", flat=True)) == [org.homeaffairs.pk]
    assert told.get().payload == {"table": "proposals_proposalevent", "row": ids[3],
                                  "reason": "its seal does not match its content and the rows before it"}
    deliver_all()
    assert Notification.objects.get(recipient=org.homeaffairs, title__startswith="Nhật ký kiểm tra bị sửa đổi")
    with pytest.raises(CommandError):
        call_command("audit_verify")
