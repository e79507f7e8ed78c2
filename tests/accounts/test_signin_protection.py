"""Sign-in lockout (django-axes) and password-reset throttling, through the pages a person uses."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import PasswordResetRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def _sign_in(client, username, password, *, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def _signed_in(response) -> bool:
    return response.wsgi_request.user.is_authenticated


def _client(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(org, settings):
    client = _client("10.0.0.1")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, "proposer.dept", "sai-mat-khau")
        assert response.status_code == 200 and not _signed_in(response)

    locked = _sign_in(client, "proposer.dept", "sai-mat-khau")
    right_password = _sign_in(client, "proposer.dept", "demo")

    assert locked.status_code == right_password.status_code == 429
    assert not _signed_in(right_password)
    assert "Tạm khoá đăng nhập" in right_password.content.decode()
    assert "Hãy thử lại sau 15 phút" in right_password.content.decode()
    # every failure is recorded, the last ones as lockouts
    failures = AccessFailureLog.objects.filter(username="proposer.dept")
    assert failures.count() == settings.AXES_FAILURE_LIMIT + 1
    assert failures.filter(locked_out=True).exists()
    # the lockout is the account's, from another machine too
    assert _sign_in(_client("10.0.0.2"), "proposer.dept", "demo").status_code == 429
    # other accounts are not locked out with it
    assert _signed_in(_sign_in(_client("10.0.0.3"), "head.dept", "demo"))


def test_a_client_trying_many_accounts_is_locked_out_by_its_address(org, settings):
    attacker = _client("10.0.0.9")
    for number in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(attacker, f"khong-ton-tai-{number}", "sai")

    assert _sign_in(attacker, "head.dept", "demo").status_code == 429
    assert _signed_in(_sign_in(_client("10.0.0.10"), "head.dept", "demo"))


def test_the_lockout_ends_after_the_cool_off(org, settings):
    client = _client("10.0.0.4")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "proposer.dept", "sai")
    assert _sign_in(client, "proposer.dept", "demo").status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1))

    assert _signed_in(_sign_in(client, "proposer.dept", "demo"))


def test_the_admin_sign_in_locks_out_too(org, settings):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    client = _client("10.0.0.5")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "root", "sai", url=ADMIN_LOGIN)

    response = _sign_in(client, "root", "demo", url=ADMIN_LOGIN)

    assert response.status_code == 429 and not _signed_in(response)


def test_an_administrator_sees_and_lifts_a_lockout_in_the_admin(org, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(_client("10.0.0.6"), "proposer.dept", "sai")
    admin = _client("10.0.0.7")
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    listed = admin.get("/admin/axes/accessattempt/")
    attempt = AccessAttempt.objects.get(username="proposer.dept")
    lifted = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert listed.status_code == 200 and "proposer.dept" in listed.content.decode()
    assert lifted.status_code == 302
    assert _signed_in(_sign_in(_client("10.0.0.6"), "proposer.dept", "demo"))


@override_settings(PORTAL_PROXY_COUNT=1)
def test_behind_a_proxy_the_client_is_the_address_the_proxy_appended(org, settings):
    # the attacker writes a different address into X-Forwarded-For each time; the proxy appends the real one
    for number in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=f"1.2.3.{number}, 10.0.0.8").post(
            LOGIN, {"username": f"ai-do-{number}", "password": "sai"})

    blocked = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="5.6.7.8, 10.0.0.8")
    other = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="10.0.0.11")

    assert _sign_in(blocked, "head.dept", "demo").status_code == 429
    assert _signed_in(_sign_in(other, "head.dept", "demo"))


# — password reset —

def _reset(client, email):
    return client.post("/accounts/password_reset/", {"email": email})


def test_password_reset_mail_is_throttled_per_address(org, settings):
    address = org.proposer_dept.email
    for number in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
        assert _reset(_client(f"10.1.0.{number}"), address).status_code == 302
    sent = len(mail.outbox)

    refused = _reset(_client("10.1.0.99"), address.upper())

    assert refused.status_code == 200
    assert "quá nhiều lần trong một giờ qua" in refused.content.decode()
    assert "email" in refused.context["form"].errors
    assert len(mail.outbox) == sent == settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    assert PasswordResetRequest.objects.count() == settings.PASSWORD_RESET_LIMIT_PER_ADDRESS


def test_password_reset_is_throttled_per_client_whatever_the_address(org, settings):
    client = _client("10.2.0.1")
    for number in range(settings.PASSWORD_RESET_LIMIT_PER_CLIENT):
        assert _reset(client, f"nguoi{number}@example.vn").status_code == 302

    assert _reset(client, "nguoi-khac@example.vn").status_code == 200
    assert _reset(_client("10.2.0.2"), "nguoi-khac@example.vn").status_code == 302


def test_password_reset_counts_again_an_hour_later(org, settings):
    address = org.proposer_dept.email
    for _number in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
        _reset(_client("10.3.0.1"), address)
    PasswordResetRequest.objects.update(requested_at=timezone.now() - datetime.timedelta(hours=1, seconds=1))

    assert _reset(_client("10.3.0.1"), address).status_code == 302


def test_the_accounts_app_keeps_its_own_configuration_beside_the_lockouts():
    # accounts/apps.py holds two configurations; the app's own must be the one Django picks (its ready()
    # connects the roles and the two-factor sign-in)
    from django.apps import apps

    from accounts.apps import AccountsConfig, SignInProtectionConfig

    assert type(apps.get_app_config("accounts")) is AccountsConfig
    assert type(apps.get_app_config("axes")) is SignInProtectionConfig
