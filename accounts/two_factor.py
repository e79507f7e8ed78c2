"""Two-factor sign-in (django-otp): a TOTP app on the person's phone, and one-time backup codes.

Optional for everyone; required, when settings.TWO_FACTOR_REQUIRED is on (production, docs/security.md), for
administrators, Home Affairs and the members of deciding authorities: they are sent to enrol before any page.
Someone who has enrolled is asked for a code after their password at every sign-in. A sign-in through the
City's identity provider that checked a second factor itself is asked for none (on_sign_in).
"""

from __future__ import annotations

import base64
import secrets

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import permissions
from accounts.backends import SECOND_FACTOR_SESSION_KEY
from accounts.models import User
from accounts.selectors import user_standing

#: How many backup codes a person gets, each usable once.
BACKUP_CODES = 10
APP_NAME = "Ứng dụng xác thực"
BACKUP_NAME = "Mã dự phòng"


def required_for(user: User) -> bool:
    """Whether `user` must use a second factor: when the setting is on, for those who decide or see most."""
    return settings.TWO_FACTOR_REQUIRED and user.is_authenticated and (
        permissions.is_administrator(user) or permissions.is_home_affairs(user)
        or bool(user_standing(user=user).memberships))


def enrolled(user: User) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def pending_app(user: User) -> TOTPDevice:
    """The app being set up (unconfirmed until its first code is entered): the same one until then."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The QR code of the app's key, as inline SVG (no image file, nothing sent anywhere)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an app that cannot scan: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def app_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app with its first code; returns the new backup codes (shown once), or None if the code is
    wrong. Earlier apps and codes of the person are replaced."""
    if not device.verify_token(token.replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_renew(user=user)


@transaction.atomic
def backup_codes_renew(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _i in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


SINGLE_SIGN_ON_BACKEND = "accounts.backends.CityAccountBackend"
#: The session key saying what the signed-in person still owes: "verify" (a code) or "setup" (an enrolment).
SESSION_KEY = "two_factor"


def on_sign_in(sender, request, user, **kwargs) -> None:
    """At sign-in, note in the session what the person owes, so pages need no query to know it."""
    if request is None or not hasattr(request, "session"):
        return
    if (getattr(user, "backend", "") == SINGLE_SIGN_ON_BACKEND
            and request.session.pop(SECOND_FACTOR_SESSION_KEY, False)):
        # The City's identity provider checked a second factor (its `amr` claim): the portal asks for none.
        request.session.pop(SESSION_KEY, None)
        return
    if enrolled(user):
        request.session[SESSION_KEY] = "verify"
    elif required_for(user):
        request.session[SESSION_KEY] = "setup"
    else:
        request.session.pop(SESSION_KEY, None)
