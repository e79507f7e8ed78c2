"""Report reads on the read replica, everything else on the primary.

The monitoring pages (the dashboard, its drill-down lists and their exports) only read, and read a lot; when
`DATABASE_REPLICA_URL` is set they read from the replica. Every other page reads from the primary, so a
person always sees what they have just done, and every write goes to the primary, wherever it is made.
`ReportReadsMiddleware` marks a request for one of those pages; `ReportReadsRouter` reads the mark.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

#: The pages whose reads may come from the replica: GET and HEAD only. A page that shows what its reader has
#: just changed (an annual report they asked for, a plan they filed) stays on the primary, because a replica
#: may lag behind by a moment.
REPORT_READ_VIEWS = frozenset({
    "reports:dashboard", "reports:dashboard_part", "reports:proposals", "reports:export",
})

#: Apps whose rows stay on the primary even on those pages: the session, and the reader's own notifications
#: (the bell in the page header), which they may have just marked as read.
PRIMARY_ONLY_APPS = frozenset({"sessions", "notifications"})

_report_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("report_reads", default=False)


def replica_alias() -> str | None:
    """The database that report reads go to, or None when there is no replica."""
    return settings.REPORT_READS_DATABASE or None


@contextlib.contextmanager
def report_reads() -> Iterator[None]:
    """Reads inside the block go to the replica, if there is one."""
    token = _report_reads.set(True)
    try:
        yield
    finally:
        _report_reads.reset(token)


class ReportReadsRouter:
    def db_for_read(self, model, **hints):
        replica = replica_alias()
        if replica and _report_reads.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return replica
        # Said explicitly: left to Django, a row read from the replica would be re-read from there later.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Said explicitly: left to Django, a row read from the replica would be saved back there.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        same_data = {DEFAULT_DB_ALIAS, replica_alias()}
        return True if {obj1._state.db, obj2._state.db} <= same_data else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica receives the schema from its primary.
        return db == DEFAULT_DB_ALIAS


def _on_replica(chunks):
    """A streamed export fetches its rows while it is sent, after the view has returned."""
    iterator = iter(chunks)
    while True:
        with report_reads():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReportReadsMiddleware:
    """Marks the requests for `REPORT_READ_VIEWS`, from the view to the last byte of the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._report_reads_token = None
        try:
            response = self.get_response(request)
        finally:
            if request._report_reads_token is not None:
                _report_reads.reset(request._report_reads_token)
        if request._report_reads_token is not None and response.streaming and not response.is_async:
            response.streaming_content = _on_replica(response.streaming_content)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (replica_alias() and request.method in ("GET", "HEAD")
                and match is not None and match.view_name in REPORT_READ_VIEWS):
            request._report_reads_token = _report_reads.set(True)
