"""The author's receipt: on each submission, an in-app notification and an e-mail saying what was sent, to which
authority and by when it is to be decided (issue 14); the deciders' messages about the same event are unchanged."""

import datetime

from django.core import mail

from notifications import services
from notifications.models import Category, Notification, NotificationPreference
from proposals import services as proposal_services
from tests.helpers import pending_ids, submitted


def deliver_everything():
    services.outbox_relay(older_than=datetime.timedelta(0))
    assert not pending_ids()


def test_the_author_gets_a_receipt_in_app_and_by_email_when_a_proposal_is_sent(org):
    proposal = submitted(org.proposer_dept)
    deliver_everything()

    receipt = Notification.objects.get(recipient=org.proposer_dept)
    assert receipt.category == Category.RECEIPT
    assert receipt.title == f"Đã gửi đề xuất {proposal.reference}"
    assert org.construction.name in receipt.body
    assert proposal.review_due_date.strftime("%d/%m/%Y") in receipt.body
    assert receipt.link == proposal.get_absolute_url()
    [email] = [m for m in mail.outbox if m.to == [org.proposer_dept.email]]
    assert f"Đã gửi đề xuất {proposal.reference}" in email.subject
    assert org.construction.name in email.body
    # the deciders are told of a new proposal, not sent the author's receipt
    for decider in (org.head_dept, org.deputy_dept):
        assert Notification.objects.get(recipient=decider).title.startswith("Đề xuất mới cần xem xét")


def test_a_resubmission_gives_the_author_a_receipt_for_the_new_version(org):
    proposal = submitted(org.proposer_dept)
    proposal = proposal_services.proposal_return_for_revision(actor=org.deputy_dept, proposal=proposal,
                                                               message="Bổ sung dự toán")
    deliver_everything()
    Notification.objects.all().delete()
    mail.outbox.clear()

    proposal_services.proposal_submit(actor=org.proposer_dept, proposal=proposal)
    deliver_everything()

    receipt = Notification.objects.get(recipient=org.proposer_dept)
    assert receipt.category == Category.RECEIPT
    assert receipt.title == f"Đã gửi lại đề xuất {proposal.reference}"
    assert "Phiên bản 2" in receipt.body
    assert Notification.objects.get(recipient=org.head_dept).title.startswith("Đề xuất đã được bổ sung và gửi lại")
    assert [m.to for m in mail.outbox if "Đã gửi lại" in m.subject] == [[org.proposer_dept.email]]


def test_an_author_who_wants_no_receipt_email_still_sees_it_in_the_portal(org):
    NotificationPreference.objects.create(user=org.proposer_dept, category=Category.RECEIPT, email=False)
    submitted(org.proposer_dept)
    deliver_everything()

    assert Notification.objects.get(recipient=org.proposer_dept).emailed_at is None
    assert not [m for m in mail.outbox if m.to == [org.proposer_dept.email]]
