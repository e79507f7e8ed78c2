"""Is the Celery broker reachable? Asked by the page header for administrators.

The answer is kept in the process for BROKER_CHECK_TTL seconds, so at most one connection attempt per
gunicorn worker every half minute, however many pages are served.
"""

from __future__ import annotations

import threading
import time

BROKER_CHECK_TTL = 30.0
BROKER_CHECK_TIMEOUT = 1.0

_lock = threading.Lock()
_answer: tuple[float, bool] | None = None  # (monotonic time of the check, reachable)


def _check() -> bool:
    from portal.celery import app

    try:
        with app.connection_for_write(connect_timeout=BROKER_CHECK_TIMEOUT) as conn:
            # max_retries=0: one attempt; kombu otherwise waits seconds between retries.
            conn.ensure_connection(max_retries=0, timeout=BROKER_CHECK_TIMEOUT)
        return True
    except Exception:
        return False


def broker_reachable() -> bool:
    global _answer
    with _lock:
        if _answer is not None and time.monotonic() - _answer[0] < BROKER_CHECK_TTL:
            return _answer[1]
    reachable = _check()
    with _lock:
        _answer = (time.monotonic(), reachable)
    return reachable


def forget() -> None:
    """Drop the remembered answer (tests, or after changing the broker)."""
    global _answer
    with _lock:
        _answer = None
