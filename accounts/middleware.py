from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor

#: Pages a signed-in person reaches before giving their second factor.
OPEN_BEFORE_SECOND_FACTOR = frozenset({
    "two_factor_setup", "two_factor_verify", "logout", "set_language", "healthz", "login",
    "javascript-catalog", "oidc_authentication_init", "oidc_authentication_callback",
})


class TwoFactorMiddleware:
    """Sends a signed-in person who owes a second factor (accounts.two_factor.on_sign_in) to give it: the code
    page when they have enrolled, the enrolment page when their role requires one. After django-otp's
    OTPMiddleware, which says whether this session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        owed = request.session.get(two_factor.SESSION_KEY) if hasattr(request, "session") else None
        if not owed or not request.user.is_authenticated or request.user.is_verified():
            return None
        if request.resolver_match.url_name in OPEN_BEFORE_SECOND_FACTOR or request.path.startswith("/static/"):
            return None
        target = reverse("two_factor_verify" if owed == "verify" else "two_factor_setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
