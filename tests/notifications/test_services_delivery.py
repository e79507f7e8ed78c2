import datetime
import logging
import time
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Category, Notification
from proposals import outbox
from proposals import services as proposal_services
from proposals.models import NoticeKind, OutboxMessage, Proposal
from proposals.outbox import enqueue_delivery
from tests.helpers import pending_ids, reject, submitted


def test_a_decision_is_enqueued_after_commit_and_delivered_in_app_and_by_email(
        org, django_capture_on_commit_callbacks, queued_tasks):
    proposal = submitted(org.proposer_dept)
    OutboxMessage.objects.update(delivered_at=datetime.datetime.now(datetime.UTC))  # routing messages aside

    # when: the head rejects; the delivery tasks go to the broker only once the decision has committed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reject(org.head_dept, proposal)
        assert queued_tasks() == 0
    assert len(callbacks) == 1
    message_ids = pending_ids()
    # the author and the other member of the authority (the head acted and is not told)
    assert set(OutboxMessage.objects.filter(pk__in=message_ids).values_list("recipient_id", flat=True)) == {
        org.proposer_dept.pk, org.deputy_dept.pk}
    assert queued_tasks() == len(message_ids)

    # then: the worker's part, run here as a plain function
    for pk in message_ids:
        assert tasks.deliver_outbox_message(pk) is True

    notification = Notification.objects.get(recipient=org.proposer_dept)
    assert notification.category == Category.DECISION
    assert proposal.reference in notification.title and "không được phê duyệt" in notification.title
    assert "Chưa đủ cơ sở pháp lý" in notification.body
    assert notification.link == proposal.get_absolute_url() and notification.read_at is None
    email = next(m for m in mail.outbox if m.to == [org.proposer_dept.email])
    assert "không được phê duyệt" in email.subject
    assert "Chưa đủ cơ sở pháp lý" in email.body
    assert f"http://127.0.0.1:8000/proposals/{proposal.pk}/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and "Xem chi tiết" in html
    assert not pending_ids()


def test_running_a_delivery_twice_sends_one_message(org, django_capture_on_commit_callbacks):
    proposal = submitted(org.proposer_dept)
    services.outbox_relay(older_than=datetime.timedelta(0))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.proposal_return_for_revision(actor=org.deputy_dept, proposal=proposal,
                                                       message="Bổ sung dự toán")
    [pk] = pending_ids()

    assert tasks.deliver_outbox_message(pk) is True
    assert tasks.deliver_outbox_message(pk) is False

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [org.proposer_dept.email]
    assert Notification.objects.filter(outbox_message_id=pk).count() == 1
    message = OutboxMessage.objects.get(pk=pk)
    assert message.delivered_at is not None and message.attempts == 1


def test_a_redelivered_message_whose_email_went_out_is_not_emailed_again(org):
    # given: a message delivered once, then handed out again (e.g. a worker killed before acknowledging)
    submitted(org.proposer_dept)
    pk = pending_ids()[0]
    services.outbox_message_deliver(message_id=pk)
    OutboxMessage.objects.filter(pk=pk).update(delivered_at=None)
    sent = len(mail.outbox)

    services.outbox_message_deliver(message_id=pk)

    assert len(mail.outbox) == sent
    assert Notification.objects.filter(outbox_message_id=pk).count() == 1
    assert OutboxMessage.objects.get(pk=pk).delivered_at is not None


def test_a_mail_server_error_keeps_the_in_app_notification_and_retries_only_the_email(org, monkeypatch):
    proposal = submitted(org.proposer_dept)
    services.outbox_relay(older_than=datetime.timedelta(0))
    mail.outbox.clear()
    proposal_services.proposal_return_for_revision(actor=org.deputy_dept, proposal=proposal, message="Bổ sung")
    [pk] = pending_ids()

    def broken(self, *args, **kwargs):
        raise SMTPServerDisconnected("mail server went away")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
        with pytest.raises(SMTPServerDisconnected):
            services.outbox_message_deliver(message_id=pk)

    notification = Notification.objects.get(outbox_message_id=pk)
    assert notification.emailed_at is None
    assert notification.email_handed_off_at is None  # refused, so not sent: the retry need not wait for the lease
    assert OutboxMessage.objects.get(pk=pk).delivered_at is None
    # the task retries these errors with backoff, and acknowledges late
    assert issubclass(SMTPServerDisconnected, tasks.TRANSIENT)
    assert tasks.deliver_outbox_message.retry_backoff and tasks.deliver_outbox_message.acks_late

    services.outbox_message_deliver(message_id=pk)
    assert len(mail.outbox) == 1
    assert Notification.objects.get(outbox_message_id=pk).emailed_at is not None
    assert OutboxMessage.objects.get(pk=pk).delivered_at is not None


def test_the_email_preference_leaves_the_in_app_notification(org):
    services.preferences_update(actor=org.head_dept, email_categories=[Category.DECISION])
    submitted(org.proposer_dept)

    services.outbox_relay(older_than=datetime.timedelta(0))

    assert Notification.objects.filter(recipient=org.head_dept, category=Category.ASSIGNED).exists()
    assert [m.to for m in mail.outbox if m.to != [org.proposer_dept.email]] == [[org.deputy_dept.email]]


def test_the_relay_leaves_fresh_messages_to_their_task(org):
    submitted(org.proposer_dept)

    assert services.outbox_relay() == 0
    assert len(pending_ids()) == 3  # the two deciders, and the author's receipt
    assert services.outbox_relay(older_than=datetime.timedelta(0)) == 3
    assert not pending_ids()


def test_a_decision_commits_while_the_broker_is_down_and_is_delivered_when_it_returns(
        org, django_capture_on_commit_callbacks, broker_down, use_broker, test_broker_url, caplog):
    proposal = submitted(org.proposer_dept)
    OutboxMessage.objects.update(delivered_at=datetime.datetime.now(datetime.UTC))

    # when: the head decides while nothing listens on the broker's port
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="proposals.outbox"):
        with django_capture_on_commit_callbacks(execute=True):
            reject(org.head_dept, proposal)
    # then: the decision stands, the request was not held up, the messages wait in the outbox
    assert time.monotonic() - started < 10  # the PDF is rendered too; kombu's own retries would add seconds
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.REJECTED
    assert "relay will deliver" in caplog.text
    waiting = pending_ids()
    assert len(waiting) == 2 and not mail.outbox

    # when: the broker is back and the periodic relay runs (a minute later: rows younger than that are skipped)
    use_broker(test_broker_url)
    delivered = services.outbox_relay(older_than=datetime.timedelta(0))

    assert delivered == 2 and not pending_ids()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org.proposer_dept.email, org.deputy_dept.email])


def test_enqueueing_with_the_broker_down_returns_at_once(broker_down):
    started = time.monotonic()
    assert enqueue_delivery([1, 2, 3]) is False
    assert time.monotonic() - started < 1


def test_a_message_about_a_retaliation_report_says_nothing_confidential(org):
    proposal = submitted(org.proposer_dept)
    services.outbox_relay(older_than=datetime.timedelta(0))
    mail.outbox.clear()
    report = proposal_services.retaliation_report_file(
        actor=org.proposer_dept, proposal=proposal, incident_date=timezone.localdate(),
        accused="Phòng Tổ chức", description="Bị điều chuyển công tác sau khi gửi đề xuất")

    services.outbox_relay(older_than=datetime.timedelta(0))

    notifications = Notification.objects.filter(outbox_message__retaliation_step__report=report)
    assert notifications and {n.recipient_id for n in notifications} >= {org.homeaffairs.pk}
    for notification in notifications:
        assert notification.category == Category.RETALIATION
        assert notification.link == "" and notification.proposal_id is None
    for email in mail.outbox:
        assert "Phòng Tổ chức" not in email.body and proposal.title not in email.body


def test_a_notice_about_no_proposal_is_queued_once_per_key_and_delivered_in_app_and_by_email(org):
    def notice():
        return OutboxMessage(kind=NoticeKind.PLAN_REMINDER, key="plan-reminder:1", recipient_id=org.head_ward.pk,
                             payload={"year": 2026, "unit": org.ward.name})

    queued = outbox.queue_notices([notice()])
    assert outbox.queue_notices([notice()]) == []

    notification = services.outbox_message_deliver(message_id=queued[0].pk)

    assert (notification.key, notification.category) == ("plan-reminder:1", Category.ANNUAL_REVIEW)
    assert notification.proposal is None and notification.link == ""
    assert "2026" in notification.title and org.ward.name in notification.body
    assert [m.to for m in mail.outbox] == [[org.head_ward.email]]


@pytest.mark.parametrize("fields", [{"key": "plan-reminder:1"}, {"kind": NoticeKind.PLAN_REMINDER}, {}])
def test_an_outbox_row_names_exactly_one_cause(org, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(recipient=org.head_ward, **fields)


def _returned_for_revision(org) -> int:
    """A proposal returned to its author: one message, to the author, who wants e-mail."""
    proposal = submitted(org.proposer_dept)
    services.outbox_relay(older_than=datetime.timedelta(0))
    mail.outbox.clear()
    proposal_services.proposal_return_for_revision(actor=org.deputy_dept, proposal=proposal, message="Bổ sung")
    [pk] = pending_ids()
    return pk


def test_the_hand_off_is_committed_before_the_mail_server_is_reached(org, monkeypatch):
    from django.db import connection

    from notifications.services import delivery

    pk = _returned_for_revision(org)
    outside = len(connection.atomic_blocks)
    seen = []
    original_send = delivery.send_email

    def send_while_looking(notification):
        stored = Notification.objects.get(pk=notification.pk)
        seen.append((len(connection.atomic_blocks) == outside, stored.email_handed_off_at, stored.emailed_at))
        original_send(notification)

    monkeypatch.setattr(delivery, "send_email", send_while_looking)
    services.outbox_message_deliver(message_id=pk)

    [(no_transaction_open, handed_off, emailed)] = seen
    assert no_transaction_open and handed_off is not None and emailed is None
    notification = Notification.objects.get(outbox_message_id=pk)
    assert notification.email_handed_off_at == handed_off <= notification.emailed_at


def test_a_worker_lost_after_the_hand_off_sends_again_after_the_lease_with_the_same_message_id(
        org, monkeypatch, settings, caplog):
    from django.db.models import F

    from notifications.services import delivery

    settings.PORTAL_BASE_URL = "https://dexuat.hochiminhcity.gov.vn"
    pk = _returned_for_revision(org)

    def lost_after_the_hand_off(**ids):
        raise OperationalError("the database went away after the mail server took the message")

    with monkeypatch.context() as patch:
        patch.setattr(delivery, "_hand_off_confirm", lost_after_the_hand_off)
        with pytest.raises(OperationalError):
            services.outbox_message_deliver(message_id=pk)
    notification = Notification.objects.get(outbox_message_id=pk)
    assert notification.email_handed_off_at is not None and notification.emailed_at is None

    # within the lease the e-mail may still be on its way: nothing is sent
    assert services.outbox_message_deliver(message_id=pk) is None
    assert len(mail.outbox) == 1
    # past it, its worker is known to have died: sent again, and said so in the log
    Notification.objects.filter(pk=notification.pk).update(
        email_handed_off_at=F("email_handed_off_at") - delivery.HANDOFF_LEASE)
    with caplog.at_level(logging.WARNING, logger="notifications.services.delivery"):
        services.outbox_message_deliver(message_id=pk)

    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"] == (
        f"<notification-{notification.pk}@dexuat.hochiminhcity.gov.vn>")
    assert "Message-ID: <notification-" in first.message().as_string()
    assert f"Notification {notification.pk}: the e-mail handed to the mail server" in caplog.text
    assert OutboxMessage.objects.get(pk=pk).delivered_at is not None
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None
    assert services.outbox_message_deliver(message_id=pk) is None and len(mail.outbox) == 2
