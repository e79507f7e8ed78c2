"""How people sign in: with the City's identity provider over OpenID Connect, and with a local password.

Single sign-on is on when OIDC_RP_CLIENT_ID is set (settings.SINGLE_SIGN_ON; docs/organisation.md). The provider
says who the person is; the portal finds the official by the staff-code claim, or the e-mail claim, and never
creates one: officials come from the HR import. Passwords stay for the demo and for administrators and, with
PASSWORD_SIGNIN=administrators, for them alone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts import selectors, services
from accounts.models import SingleSignOnAttempt, User
from portal.clients import client_address

#: The session keys the sign-in leaves for the pages after it: why the provider's person was refused, and
#: whether the provider checked a second factor (accounts.two_factor.on_sign_in then asks for none).
REFUSAL_SESSION_KEY = "single_sign_on_refusal"
SECOND_FACTOR_SESSION_KEY = "single_sign_on_second_factor"
#: Authentication methods (RFC 8176) that are a second factor themselves, or say that several were used.
MULTI_FACTOR_METHODS = frozenset({"mfa", "otp", "hwk", "sms", "tel", "sc"})


def passwords_allowed_for(user: User) -> bool:
    return settings.PASSWORD_SIGNIN == "everyone" or user.is_superuser or user.is_staff


class PasswordBackend(ModelBackend):
    """Django's password sign-in, for everyone or, when PASSWORD_SIGNIN=administrators, for administrators."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and passwords_allowed_for(user)


def second_factor_checked(methods) -> bool:
    """Whether the ID token's `amr` claim names a method that is a second factor (any two methods need not be:
    a password and a knowledge question are one factor twice)."""
    return isinstance(methods, list | tuple) and bool(set(methods) & MULTI_FACTOR_METHODS)


def is_single_sign_on(request, credentials) -> bool:
    """django-axes' whitelist (AXES_WHITELIST_CALLABLE): a sign-in through the provider is neither counted nor
    locked out by the portal. The provider checked the person; a refusal there (an official not imported yet)
    must not lock out an office behind one address, password sign-ins included."""
    return bool(credentials) and "nonce" in credentials


class CityAccountBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow (PKCE, nonce, signed ID token) with the portal's matching: the official
    named by the claims, if they serve today; every attempt is recorded (SingleSignOnAttempt)."""

    def __init__(self, *args, **kwargs):
        # Listed whether or not single sign-on is configured, so that settings alone turn it on; the parent
        # reads the provider's endpoints, which exist only then.
        self.configured = settings.SINGLE_SIGN_ON
        if self.configured:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = User

    def authenticate(self, request, **kwargs):
        # Only the provider's callback, which brings the nonce: a password sign-in whose address carries a `code`
        # and a `state` is not sent to the provider.
        if not self.configured or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        # As Django's own backend: a locked account's open sessions end with it.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def verify_claims(self, claims) -> bool:
        # The matching below decides, and says why when it refuses.
        return True

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        match = selectors.official_for_claims(
            staff_code=str(claims.get(settings.OIDC_STAFF_CODE_CLAIM, "") or "").strip(),
            email=str(claims.get(settings.OIDC_EMAIL_CLAIM, "") or "").strip(),
            # Some providers send the flag as a string.
            email_verified=claims.get("email_verified") in (True, "true") or not settings.OIDC_EMAIL_MUST_BE_VERIFIED,
        )
        services.single_sign_on_record(outcome=match.outcome, claims=claims, user=match.user,
                                       client_address=client_address(self.request))
        session = self.request.session
        if match.outcome != SingleSignOnAttempt.Outcome.SIGNED_IN:
            session[REFUSAL_SESSION_KEY] = match.outcome
            return None
        session[SECOND_FACTOR_SESSION_KEY] = second_factor_checked(payload.get("amr"))
        return match.user
