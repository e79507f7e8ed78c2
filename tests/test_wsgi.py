import gc
import itertools

import pytest
from django.core.signals import request_finished

from portal import wsgi


@pytest.fixture
def frozen_state():
    gc.unfreeze()
    yield
    request_finished.disconnect(dispatch_uid="portal.wsgi.freeze")
    gc.unfreeze()


def _freeze_count_after_a_request(client) -> int:
    gc.unfreeze()
    assert client.get("/healthz").status_code in (200, 503)
    return gc.get_freeze_count()


def test_a_warming_worker_hides_what_it_loaded_from_the_garbage_collector(client, frozen_state, monkeypatch):
    request_finished.connect(wsgi._freeze_what_lasts, weak=False, dispatch_uid="portal.wsgi.freeze")
    monkeypatch.setattr(wsgi, "_finished", itertools.count(wsgi.WARM_UP_REQUESTS - 1))

    assert _freeze_count_after_a_request(client) > 0
    assert _freeze_count_after_a_request(client) > 0  # the last warm-up request
    # once warm, the collector sees every new object again
    assert _freeze_count_after_a_request(client) == 0
