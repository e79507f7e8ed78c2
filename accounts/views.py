from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import permissions, selectors, services
from accounts.errors import PasswordResetThrottled
from portal.clients import client_address


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


def signin_locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in while the account or the client is locked out (settings.AXES_LOCKOUT_CALLABLE)."""
    return render(request, "registration/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }, status=429)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per e-mail address and per client (services.password_reset_request_record):
    a refused request sends nothing and says when to try again, next to the address."""

    def form_valid(self, form):
        try:
            services.password_reset_request_record(email=form.cleaned_data["email"],
                                                   client_address=client_address(self.request))
        except PasswordResetThrottled as refusal:
            form.add_error("email", refusal.message)
            return self.form_invalid(form)
        return super().form_valid(form)
