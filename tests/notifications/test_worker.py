"""End to end with the real Redis broker and a real Celery worker (in a thread of this process)."""


import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

import notifications.tasks  # noqa: F401  (a real worker imports it through autodiscovery)
from notifications.models import Notification
from portal.celery import app
from proposals.models import OutboxMessage
from tests.helpers import pending_ids, reject, submitted, wait_until


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_the_decision_to_the_author_by_email(org, queued_tasks):
    proposal = submitted(org.proposer_dept)  # commits (no test transaction): routing messages are enqueued
    assert queued_tasks() == 3  # to the two deciders, and the author's receipt

    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10,
                      loglevel="WARNING"):
        assert wait_until(lambda: not pending_ids()), "the routing messages were not delivered"
        reject(org.head_dept, proposal)
        assert wait_until(lambda: not pending_ids()), "the decision was not delivered"

    decision_to_author = OutboxMessage.objects.get(recipient=org.proposer_dept, event__kind="rejected")
    assert decision_to_author.delivered_at is not None
    assert Notification.objects.filter(outbox_message=decision_to_author).exists()
    emails = [m.subject for m in mail.outbox if m.to == [org.proposer_dept.email]]
    assert len(emails) == 2 and "Đã gửi đề xuất" in emails[0] and "không được phê duyệt" in emails[1]
    assert queued_tasks() == 0
