"""The bare-Django baseline: the SQL a portal page ran, run again through a raw cursor, and a minimal response.

The ratio of a page's time to this view's time is what the portal adds on top of its SQL (ORM, forms,
permission checks in Python, templates), measured in the same run on the same data.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponse

from bench.middleware import CAPTURED


@login_not_required
def bare(request, key: str):
    statements = CAPTURED.get(key)
    if statements is None:
        raise Http404
    rows = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if cursor.description is not None:
                rows += len(cursor.fetchall())
    return HttpResponse(f"{len(statements)} statements, {rows} rows", content_type="text/plain")
