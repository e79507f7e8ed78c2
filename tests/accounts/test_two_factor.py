"""Two-factor sign-in (accounts.two_factor), driven by a real TOTP code generator."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the person's phone shows now, or that many time steps later (a code is accepted once: signing in
    again within the same 30 seconds takes the next one, which the device's tolerance of one step accepts)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _sign_in(client: Client, username: str):
    return client.post(reverse("login"), {"username": username, "password": "demo"}, follow=True)


def _enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    done = client.post(reverse("two_factor_setup"), {"token": _code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li class=\"col\">(\d{8})</li>", done.content.decode())
    assert len(codes) == 10
    return device, codes


def test_by_default_here_the_demo_accounts_sign_in_with_their_password_alone(org):
    client = Client()

    page = _sign_in(client, "head.dept")

    assert page.request["PATH_INFO"] == "/" and page.wsgi_request.user.is_authenticated


def test_an_official_who_enrolled_is_asked_for_a_code_at_every_sign_in(org):
    client = Client()
    _sign_in(client, "proposer.dept")
    device, codes = _enrol(client)
    client.post(reverse("logout"))

    asked = _sign_in(client, "proposer.dept")
    assert asked.request["PATH_INFO"] == reverse("two_factor_verify")
    assert client.get(reverse("proposals:list")).status_code == 302  # no page before the code
    wrong = client.post(reverse("two_factor_verify"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()

    right = client.post(reverse("two_factor_verify"), {"token": _code(device, steps_ahead=1), "next": "/proposals/"})
    assert right.status_code == 302 and right["Location"] == "/proposals/"
    assert client.get(reverse("proposals:list")).status_code == 200


def test_a_backup_code_works_once(org):
    client = Client()
    _sign_in(client, "proposer.dept")
    _device, codes = _enrol(client)

    for attempt in range(2):
        other = Client()
        _sign_in(other, "proposer.dept")
        answer = other.post(reverse("two_factor_verify"), {"token": codes[0]})
        assert answer.status_code == (302 if attempt == 0 else 400)


def test_when_required_those_who_decide_must_enrol_before_any_page(org, settings):
    settings.TWO_FACTOR_REQUIRED = True
    head, proposer = Client(), Client()

    sent = _sign_in(head, "head.dept")
    free = _sign_in(proposer, "proposer.dept")

    assert sent.request["PATH_INFO"] == reverse("two_factor_setup")
    assert "cần xác thực hai bước" in sent.content.decode()
    assert head.get(reverse("review:inbox")).status_code == 302
    assert free.request["PATH_INFO"] == "/"  # optional for an official who decides nothing
    _enrol(head)
    assert head.get(reverse("review:inbox")).status_code == 200
