"""Every test here talks to a Redis database of its own, never the broker of a running portal (db 0), and within
it to keys of its own (kombu's `global_keyprefix`): an enqueued delivery must not reach somebody else's worker,
whether another xdist worker's, another test run's on the same machine, or a worker an earlier test left behind."""

import uuid

import pytest
import redis

from notifications import broker
from portal.celery import app

CLOSED_PORT_BROKER = "redis://127.0.0.1:6399/0"


def _use_broker(url: str) -> None:
    app.conf.broker_url = url
    app.close()  # drop pooled connections to the previous broker
    broker.forget()


@pytest.fixture
def test_broker_url(worker_id):
    db = 15 - (int(worker_id.removeprefix("gw")) if worker_id.startswith("gw") else 0)
    return f"redis://127.0.0.1:6379/{db}"


@pytest.fixture
def broker_keyprefix():
    """This test's namespace on the broker; a worker the test starts in a process of its own must be given it."""
    return f"test-{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def isolated_broker(test_broker_url, broker_keyprefix):
    previous_url, previous_options = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_transport_options = {**previous_options, "global_keyprefix": broker_keyprefix}
    _use_broker(test_broker_url)
    yield test_broker_url
    _purge(test_broker_url, broker_keyprefix)
    app.conf.broker_transport_options = previous_options
    _use_broker(previous_url)


def _purge(url: str, keyprefix: str) -> None:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        for key in client.scan_iter(match=keyprefix + "*"):
            client.delete(key)
    except redis.exceptions.ConnectionError:
        pass  # no Redis: the tests that need one say so themselves


@pytest.fixture
def queued_tasks(isolated_broker, broker_keyprefix):
    """How many task messages wait on the test broker's default queue."""
    client = redis.Redis.from_url(isolated_broker, socket_connect_timeout=1)
    return lambda: client.llen(broker_keyprefix + app.conf.task_default_queue)


@pytest.fixture
def broker_down():
    _use_broker(CLOSED_PORT_BROKER)
    yield CLOSED_PORT_BROKER


@pytest.fixture
def use_broker():
    """Point Celery at another broker in the middle of a test, e.g. back at the test broker after
    `broker_down`; `isolated_broker` restores the previous one afterwards."""
    return _use_broker
