import datetime

import pytest
from django.test import Client
from django.utils import timezone

from reports.selectors import ReportFilters
from tests.reports.helpers import build_dataset


@pytest.fixture
def dataset(org, monkeypatch):
    return build_dataset(org, monkeypatch)


@pytest.fixture
def last_60_days():
    today = timezone.localdate()
    return ReportFilters(date_from=today - datetime.timedelta(days=60), date_to=today)


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """The outbox message ids handed to the broker after commit (recorded here instead of sent)."""
    ids: list[int] = []
    monkeypatch.setattr("proposals.outbox.enqueue_delivery", ids.extend)
    return ids


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
