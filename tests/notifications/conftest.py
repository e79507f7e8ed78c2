"""Every test here talks to a Redis database of its own, never the broker of a running portal (db 0):
an enqueued delivery must not reach somebody else's worker, and two xdist workers must not share a queue."""

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


@pytest.fixture(autouse=True)
def isolated_broker(test_broker_url):
    previous = app.conf.broker_url
    _use_broker(test_broker_url)
    _purge(test_broker_url)
    yield test_broker_url
    _purge(test_broker_url)
    _use_broker(previous)


def _purge(url: str) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        pass  # no Redis: the tests that need one say so themselves


@pytest.fixture
def queued_tasks(isolated_broker):
    """How many task messages wait on the test broker's default queue."""
    client = redis.Redis.from_url(isolated_broker, socket_connect_timeout=1)
    return lambda: client.llen(app.conf.task_default_queue)


@pytest.fixture
def broker_down():
    _use_broker(CLOSED_PORT_BROKER)
    yield CLOSED_PORT_BROKER


@pytest.fixture
def use_broker():
    """Point Celery at another broker in the middle of a test, e.g. back at the test broker after
    `broker_down`; `isolated_broker` restores the previous one afterwards."""
    return _use_broker
