"""Single sign-on with the City's identity provider (accounts.backends), against a real OpenID provider on
127.0.0.1 (tests/oidc): npm's `oidc-provider`, the protocol's certified implementation, not a mock of it."""

from __future__ import annotations

import datetime
import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from axes.models import AccessFailureLog
from django.test import Client
from django.urls import reverse

from accounts.backends import second_factor_checked
from accounts.models import SingleSignOnAttempt
from tests.factories import PostFactory, UserFactory
from tests.oidc import running_provider

pytestmark = pytest.mark.django_db
Outcome = SingleSignOnAttempt.Outcome

#: The people the provider knows, by the login typed on its page.
PROVIDER_ACCOUNTS = {
    "lan": {"staff_code": "SSO-001", "email": "lan.other@hcmc.gov.vn", "email_verified": True, "name": "Lan"},
    "binh": {"email": "Binh.Tran@hcmc.gov.vn", "email_verified": True},
    "cuong": {"staff_code": "SSO-404", "email": "cuong@hcmc.gov.vn", "email_verified": True},
    "dung": {"staff_code": "SSO-002"},
    "em": {"staff_code": "SSO-003"},
    "hai": {"email": "shared@hcmc.gov.vn", "email_verified": True},
    "khanh": {"email": "khanh@hcmc.gov.vn", "email_verified": False},
    "thu": {"email": "thu@hcmc.gov.vn"},  # no word on whether the address is verified
}
CALLBACK = "http://testserver/oidc/callback/"


@pytest.fixture(scope="module")
def provider_settings():
    with running_provider(PROVIDER_ACCOUNTS, CALLBACK) as oidc_settings:
        yield oidc_settings


@pytest.fixture
def provider(provider_settings, settings):
    for name, value in provider_settings.items():
        setattr(settings, name, value)
    return provider_settings


@pytest.fixture
def officials(db):
    lan = UserFactory(username="lan", employee_code="SSO-001", email="lan@hcmc.gov.vn")
    PostFactory(user=lan, title="Chuyên viên")
    binh = UserFactory(username="binh", email="binh.tran@hcmc.gov.vn")
    PostFactory(user=binh, title="Chuyên viên")
    dung = UserFactory(username="dung", employee_code="SSO-002")
    PostFactory(user=dung, valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2024, 12, 31))
    em = UserFactory(username="em", employee_code="SSO-003", is_active=False)
    PostFactory(user=em)
    for username in ("hai.a", "hai.b"):
        PostFactory(user=UserFactory(username=username, email="shared@hcmc.gov.vn"))
    PostFactory(user=UserFactory(username="khanh", email="khanh@hcmc.gov.vn"))
    thu = UserFactory(username="thu", email="thu@hcmc.gov.vn")
    PostFactory(user=thu)
    # the address the provider gives with a staff code nobody holds
    PostFactory(user=UserFactory(username="cuong.other", employee_code="SSO-999", email="cuong@hcmc.gov.vn"))
    return {"lan": lan, "binh": binh, "dung": dung, "em": em, "thu": thu}


def through_provider(client: Client, login: str, *, start: str | None = None,
                     browser: requests.Session | None = None):
    """Press "sign in with the City's account", type `login` and any password on the provider's page (unless
    `browser` is still signed in there), and come back: the portal's answer to the provider's redirect."""
    started = client.get(start or reverse("oidc_authentication_init"))
    assert started.status_code == 302, started
    browser = browser or requests.Session()
    at = started["Location"]
    while True:
        page = browser.get(at, allow_redirects=False, timeout=30)
        if page.is_redirect:
            at = urljoin(at, page.headers["Location"])
            if at.startswith(CALLBACK):
                break
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"', page.text)
        assert form, page.text
        sent = browser.post(urljoin(at, unescape(form.group(1))),
                            data={"prompt": "login", "login": login, "password": "any"},
                            allow_redirects=False, timeout=30)
        at = urljoin(at, sent.headers["Location"])
        if at.startswith(CALLBACK):
            break
    back = urlsplit(at)
    return client.get(f"{back.path}?{back.query}")


def test_an_official_signs_in_with_the_city_account_matched_by_staff_code(provider, officials):
    client = Client()

    answer = through_provider(client, "lan")

    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == officials["lan"]
    attempt = SingleSignOnAttempt.objects.get()
    assert (attempt.outcome, attempt.user, attempt.staff_code, attempt.subject) == (
        Outcome.SIGNED_IN, officials["lan"], "SSO-001", "lan")


def test_locking_the_account_ends_the_sessions_it_opened(provider, officials):
    client = Client()
    through_provider(client, "lan")
    officials["lan"].is_active = False
    officials["lan"].save()

    assert client.get(reverse("proposals:list"))["Location"].startswith(reverse("login"))


def test_without_a_staff_code_the_verified_email_finds_the_official_whatever_its_case(provider, officials):
    client = Client()

    through_provider(client, "binh")

    assert client.get(reverse("home")).wsgi_request.user == officials["binh"]


def test_a_provider_without_the_verified_flag_can_be_trusted_by_setting(provider, officials, settings):
    settings.OIDC_EMAIL_MUST_BE_VERIFIED = False
    client = Client()

    through_provider(client, "thu")

    assert client.get(reverse("home")).wsgi_request.user == officials["thu"]


def test_the_page_asked_for_before_signing_in_opens_after_it(provider, officials):
    client = Client()
    asked = client.get(reverse("proposals:list"))
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("login"))

    answer = through_provider(client, "lan", start=f"{reverse('oidc_authentication_init')}?next=/proposals/")

    assert answer["Location"] == "/proposals/"
    assert client.get("/proposals/").status_code == 200


@pytest.mark.parametrize(("login", "outcome", "says"), [
    ("cuong", Outcome.UNKNOWN, "chưa gắn với cán bộ nào"),  # an unknown staff code, whatever the address
    ("khanh", Outcome.UNKNOWN, "chưa gắn với cán bộ nào"),  # an unverified address matches nobody
    ("thu", Outcome.UNKNOWN, "chưa gắn với cán bộ nào"),  # nor does one not said to be verified
    ("dung", Outcome.ENDED, "không giữ chức vụ nào"),
    ("em", Outcome.DISABLED, "đã bị khóa"),
    ("hai", Outcome.AMBIGUOUS, "nhiều tài khoản"),
])
def test_unknown_ended_locked_or_ambiguous_people_are_refused_with_the_reason(provider, officials, login, outcome,
                                                                              says):
    client = Client()

    answer = through_provider(client, login)

    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    page = client.get(reverse("login"))
    assert not page.wsgi_request.user.is_authenticated
    assert says in page.content.decode()
    attempt = SingleSignOnAttempt.objects.get()
    assert attempt.outcome == outcome and attempt.client_address == "127.0.0.1"
    # the provider checked the person: the portal's lockout neither counts it nor would refuse it
    assert not AccessFailureLog.objects.exists()
    # the reason is said once, not on every later visit
    assert says not in client.get(reverse("login")).content.decode()


def test_a_cancelled_sign_in_at_the_provider_is_recorded_and_said(provider, officials):
    client = Client()
    client.get(reverse("oidc_authentication_init"))
    state = next(iter(client.session["oidc_states"]))

    answer = client.get(reverse("oidc_authentication_callback"), {"error": "access_denied", "state": state})

    assert answer["Location"] == reverse("login")
    assert "chưa xác nhận được bạn" in client.get(reverse("login")).content.decode()
    attempt = SingleSignOnAttempt.objects.get()
    assert (attempt.outcome, attempt.detail) == (Outcome.PROVIDER_ERROR, "access_denied")


def test_a_token_signed_with_another_key_is_refused_and_recorded(provider, officials, settings):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    settings.OIDC_RP_IDP_SIGN_KEY = stranger.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    client = Client()

    answer = through_provider(client, "lan")

    assert answer["Location"] == reverse("login") and not client.get("/").wsgi_request.user.is_authenticated
    assert SingleSignOnAttempt.objects.get().detail.startswith("invalid token")


def test_a_callback_nobody_started_is_neither_an_error_nor_recorded(provider, officials):
    client = Client()

    for query in ({}, {"code": "a-code", "state": "forged"}, {"error": "access_denied", "state": "forged"}):
        assert client.get(reverse("oidc_authentication_callback"), query)["Location"] == reverse("login")

    assert not SingleSignOnAttempt.objects.exists()


def test_a_password_sign_in_is_never_sent_to_the_provider(provider, officials):
    client = Client()

    answer = client.post(f"{reverse('login')}?code=a-code&state=a-state", {"username": "lan", "password": "demo"})

    assert answer.status_code == 302 and client.get("/").wsgi_request.user == officials["lan"]
    assert not SingleSignOnAttempt.objects.exists()


def test_a_provider_that_cannot_be_reached_is_a_refusal_not_an_error_page(provider, officials, settings):
    client = Client()
    client.get(reverse("oidc_authentication_init"))
    state = next(iter(client.session["oidc_states"]))
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # nothing listens on the discard port

    answer = client.get(reverse("oidc_authentication_callback"), {"code": "a-code", "state": state})

    assert answer["Location"] == reverse("login")
    assert SingleSignOnAttempt.objects.get().detail.startswith("unreachable")


def test_the_sign_in_page_offers_the_city_account_first(provider, officials):
    page = Client().get(reverse("login"), {"next": "/review/"}).content.decode()

    assert 'id="single-sign-on"' in page and "/oidc/authenticate/?next=/review/" in page
    assert 'name="password"' in page and "<details" not in page


def test_without_single_sign_on_its_pages_do_not_exist(officials):
    client = Client()

    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code == 404
    assert 'id="single-sign-on"' not in client.get(reverse("login")).content.decode()


def test_passwords_can_be_kept_for_administrators_alone(provider, officials, settings):
    settings.PASSWORD_SIGNIN = "administrators"
    UserFactory(username="admin.it", is_staff=True)
    client = Client()

    page = client.get(reverse("login")).content.decode()
    assert "<details" in page and "Quản trị viên: đăng nhập bằng mật khẩu" in page
    refused = client.post(reverse("login"), {"username": "lan", "password": "demo"})
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    assert "đăng nhập bằng tài khoản Thành phố" in refused.content.decode()
    assert client.post(reverse("login"), {"username": "admin.it", "password": "demo"}).status_code == 302
    # an official signed in through the provider is not offered a password to change
    official = Client()
    through_provider(official, "lan")
    assert "Đổi mật khẩu" not in official.get(reverse("home")).content.decode()
    # nor does anyone else get a password-reset mail
    from django.core import mail
    Client().post(reverse("password_reset"), {"email": "lan@hcmc.gov.vn"})
    assert mail.outbox == []


def test_an_enrolled_official_still_gives_the_portal_code_when_the_provider_checked_only_a_password(
        provider, officials):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=officials["lan"], name="app", confirmed=True)
    client = Client()

    through_provider(client, "lan")

    assert client.get(reverse("proposals:list"))["Location"].startswith(reverse("two_factor_verify"))


@pytest.mark.parametrize(("amr", "checked"), [
    (["pwd"], False), (None, False), ("mfa", False), (["mfa"], True), (["pwd", "otp"], True), (["hwk"], True),
    (["pwd", "kba"], False),
])
def test_a_second_factor_at_the_provider_is_read_from_the_amr_claim(amr, checked):
    assert second_factor_checked(amr) is checked


def test_signing_out_of_the_portal_signs_out_of_the_city_account_too(provider, officials):
    client, browser = Client(), requests.Session()
    through_provider(client, "lan", browser=browser)
    client.post(reverse("logout"))
    # while the provider's session lasts, the City's account signs in again without its page
    at = client.get(reverse("oidc_authentication_init"))["Location"]
    while not at.startswith(CALLBACK):
        answer = browser.get(at, allow_redirects=False, timeout=30)
        assert answer.is_redirect, "the provider asked for the account again"
        at = urljoin(at, answer.headers["Location"])
    back = urlsplit(at)
    client.get(f"{back.path}?{back.query}")
    assert client.get(reverse("home")).wsgi_request.user == officials["lan"]

    signed_out = client.post(reverse("logout"))

    assert not client.get(reverse("login")).wsgi_request.user.is_authenticated
    assert signed_out["Location"].startswith(provider["OIDC_OP_LOGOUT_ENDPOINT"] + "?id_token_hint=")
    confirm = browser.get(signed_out["Location"], timeout=30)
    form = re.search(r'<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" '
                     r'name="xsrf" value="([^"]+)"', confirm.text)
    done = browser.post(urljoin(confirm.url, form.group(1)), data={"xsrf": form.group(2), "logout": "yes"},
                        allow_redirects=False, timeout=30)
    assert done.headers["Location"] == "http://testserver/accounts/login/"
    # the next person at this computer is asked for their own account
    started = client.get(reverse("oidc_authentication_init"))
    page = browser.get(started["Location"], timeout=30)
    assert 'name="login"' in page.text


def test_administrators_read_the_attempts_in_the_admin_and_cannot_change_them(provider, officials):
    through_provider(Client(), "cuong")
    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    listing = admin.get("/admin/accounts/singlesignonattempt/", {"outcome__exact": "unknown"})

    assert listing.status_code == 200 and "SSO-404" in listing.content.decode()
    attempt = SingleSignOnAttempt.objects.get()
    assert admin.post(f"/admin/accounts/singlesignonattempt/{attempt.pk}/delete/").status_code == 403
    assert admin.get("/admin/accounts/singlesignonattempt/add/").status_code == 403


def test_a_second_factor_checked_by_the_provider_spares_the_portal_code(officials, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from accounts import two_factor
    from accounts.backends import SECOND_FACTOR_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    lan = officials["lan"]
    TOTPDevice.objects.create(user=lan, name="app", confirmed=True)
    request = rf.get("/")
    for backend, checked, owed in ((two_factor.SINGLE_SIGN_ON_BACKEND, True, None),
                                   (two_factor.SINGLE_SIGN_ON_BACKEND, False, "verify"),
                                   ("accounts.backends.PasswordBackend", True, "verify")):
        request.session = SessionStore()
        request.session[SECOND_FACTOR_SESSION_KEY] = checked
        lan.backend = backend

        two_factor.on_sign_in(sender=None, request=request, user=lan)

        assert request.session.get(two_factor.SESSION_KEY) == owed


def test_someone_asked_for_a_portal_code_may_turn_to_the_city_account_instead(provider, officials):
    from accounts import two_factor

    client = Client()
    client.force_login(officials["lan"], backend="accounts.backends.PasswordBackend")
    session = client.session
    session[two_factor.SESSION_KEY] = "verify"
    session.save()

    assert client.get(reverse("proposals:list"))["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("oidc_authentication_init"))["Location"].startswith(provider["OIDC_OP_AUTHORIZATION_ENDPOINT"])
