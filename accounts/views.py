from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import permissions, selectors


def home(request):
    user = request.user
    memberships = list(selectors.memberships_current(user=user))
    context = {
        "post": selectors.post_current_principal(user=user),
        "memberships": memberships,
        "is_reviewer": bool(memberships),
        "can_monitor": permissions.can_monitor_city(user),
        "is_head": any(m.role == m.Role.HEAD for m in memberships),
    }
    return render(request, "accounts/home.html", context)


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, "ok"
    except Exception as exc:  # any driver error means "not reachable"
        return False, exc.__class__.__name__


def _broker_ok() -> tuple[bool, str]:
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:
        return False, exc.__class__.__name__


@login_not_required
@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    body = {
        "status": "ok" if db_ok and broker_ok else ("degraded" if db_ok else "down"),
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
    }
    return JsonResponse(body, status=200 if db_ok else 503)
