"""The bench's view of each request's SQL (portal.settings.bench only).

Every response carries `X-Queries`, the number of statements the request ran. A request that sends
`X-Bench-Capture: <key>` also leaves its statements (SQL and parameters) in this process under that key, for the
bare-Django view (bench.views.bare) to run again: the runner's baseline of the same SQL without the portal around it.
A streamed response runs most of its SQL after the middleware has returned, so its header says `stream`.
"""

from __future__ import annotations

from django.db import connection

#: Captured statements by key; the bench serves with one sync worker, so this process sees every request.
CAPTURED: dict[str, list[tuple[str, object]]] = {}


class _Recorder:
    def __init__(self, keep: bool):
        self.count = 0
        self.keep = keep
        self.statements: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.keep and not many:
            self.statements.append((sql, params))
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get("X-Bench-Capture")
        recorder = _Recorder(keep=bool(key))
        with connection.execute_wrapper(recorder):
            response = self.get_response(request)
        response["X-Queries"] = "stream" if response.streaming else str(recorder.count)
        if key:
            CAPTURED[key] = recorder.statements
        return response
