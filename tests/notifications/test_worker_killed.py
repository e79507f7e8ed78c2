"""A Celery worker killed while the mail server takes its message (docs/notifications.md, "At least once"): the
hand-off stays recorded as begun, the e-mail goes out again after the lease with the same Message-ID, and no
other message is sent twice. Real processes: a worker in a process of its own, killed with SIGKILL by a real SMTP
server on 127.0.0.1 (aiosmtpd) the moment it has the message, and the Redis broker; then the relay, as its
periodic task runs it, sends what is left through the same SMTP server.

Twice (in CI and in a loaded run of the whole suite) a second Celery worker, given the undelivered messages
again, sent the others but not the one whose worker had died, and logged nothing; alone, or under load, it never
failed. The relay runs in this process instead, so the test says what the portal does and never depends on how
soon a loaded machine lets a second worker take its tasks; its failure message lists every database session."""

import collections
import datetime
import email
import os
import signal
import socket
import subprocess
import sys
import tempfile

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from notifications.models import Notification
from notifications.services import delivery
from proposals.models import OutboxMessage
from tests.helpers import pending_ids, submitted

WORKER = """
import sys

import django

django.setup()
from django.conf import settings

name, user, smtp_port, keyprefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
settings.DATABASES["default"].update(NAME=name, USER=user)
settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port

from portal.celery import app

app.conf.broker_transport_options = {**app.conf.broker_transport_options, "global_keyprefix": keyprefix}
app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-mingle", "--without-gossip",
                 "--without-heartbeat"])
"""


class MailServer:
    """Keeps every message it receives; kills `victim` once it holds the first one, before answering."""

    def __init__(self):
        self.received: list[email.message.Message] = []
        self.victim: subprocess.Popen | None = None

    async def handle_DATA(self, server, session, envelope):
        self.received.append(email.message_from_bytes(envelope.content))
        if self.victim is not None:
            os.kill(self.victim.pid, signal.SIGKILL)
            self.victim.wait(timeout=30)
            self.victim = None
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_worker(broker_url: str, keyprefix: str, smtp_port: int, log) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "TEST_CELERY_BROKER_URL": broker_url}
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, connection.settings_dict["NAME"], connection.settings_dict["USER"],
         str(smtp_port), keyprefix], env=env, cwd=settings.BASE_DIR, stdout=log, stderr=log)


def sessions_of_this_database() -> list[tuple]:
    """What every other connection to the test database is doing: a worker stuck on a lock shows here."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, state, wait_event_type, wait_event, left(query, 200) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_sends_that_one_message_twice_with_one_message_id_and_no_other(
        org, test_broker_url, broker_keyprefix, queued_tasks):
    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    log = tempfile.TemporaryFile(mode="w+")
    try:
        submitted(org.proposer_dept)  # committed: its routing messages wait on the broker
        outbox = set(pending_ids())
        assert len(outbox) == 3  # to the two deciders, and the author's receipt
        assert queued_tasks() == 3, "the routing tasks are not in this test's namespace on the broker"

        # the first worker dies the moment the mail server holds its first message
        server.victim = first = start_worker(test_broker_url, broker_keyprefix, controller.port, log)
        first.wait(timeout=120)
        log.seek(0)
        assert first.returncode == -signal.SIGKILL and len(server.received) == 1, log.read()[-3000:]
        [begun] = Notification.objects.filter(email_handed_off_at__isnull=False)
        assert begun.emailed_at is None and begun.outbox_message.delivered_at is None

        # later, past the lease, the relay (every minute in production) sends every message still undelivered
        Notification.objects.filter(pk=begun.pk).update(
            email_handed_off_at=F("email_handed_off_at") - delivery.HANDOFF_LEASE)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                               EMAIL_HOST="127.0.0.1", EMAIL_PORT=controller.port):
            relayed = delivery.outbox_relay(older_than=datetime.timedelta(0))
        log.seek(0)
        # A string, not a tuple: pytest would cut a long tuple short, and these are what tells why.
        assert relayed == len(outbox) and not pending_ids(), "\n".join(str(fact) for fact in (
            f"begun: {begun.pk}, relayed: {relayed}, now: {timezone.now()}",
            list(Notification.objects.order_by("pk").values_list("pk", "email_handed_off_at", "emailed_at")),
            list(OutboxMessage.objects.order_by("pk").values_list("pk", "attempts", "delivered_at")),
            sessions_of_this_database(), [message["Message-ID"] for message in server.received],
            log.read()[-5000:]))
    finally:
        if server.victim is not None and server.victim.poll() is None:  # the first worker never sent anything
            server.victim.terminate()
            server.victim.wait(timeout=30)
        controller.stop()
        log.close()

    copies = collections.Counter(message["Message-ID"] for message in server.received)
    assert copies[delivery.message_id(begun)] == 2
    assert len(copies) == len(outbox) and sum(copies.values()) == len(outbox) + 1
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert not OutboxMessage.objects.filter(pk__in=outbox, delivered_at__isnull=True).exists()
