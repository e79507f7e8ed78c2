"""Sign-in, password pages, the home page, /healthz and the admin changelists."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import views
from accounts.models import OrganisationUnit
from tests.factories import MembershipFactory, PostFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sang-tao-2026!HCM"


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    # /healthz also pings Redis; tests must not depend on (or wait for) a broker.
    monkeypatch.setattr(views, "_broker_ok", lambda: (True, "ok"))


# --- sign-in ---------------------------------------------------------------------------------------


def test_login_page_renders_for_anonymous_visitors(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"username", "password"}
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert reverse("password_reset") in html
    assert "Đăng nhập" in html


def test_login_signs_in_and_goes_home(client, org):
    response = client.post(reverse("login"), {"username": "proposer.dept", "password": "demo"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_with_a_wrong_password_shows_the_form_again(client, org):
    response = client.post(reverse("login"), {"username": "proposer.dept", "password": "sai"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["home", "password_change", "password_change_done", "proposals:list",
                                  "proposals:create", "review:inbox"])
def test_every_other_page_sends_anonymous_visitors_to_sign_in(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert f"next={url}" in response["Location"].replace("%2F", "/")


def test_admin_sends_anonymous_visitors_to_its_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_logout_returns_to_sign_in(client, org):
    client.force_login(org.proposer_dept)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_login_next_does_not_redirect_off_site(org):
    for target in ("https://evil.example/", "//evil.example/", "https:evil.example"):
        response = Client().post(reverse("login") + f"?next={target}",
                                 {"username": "proposer.dept", "password": "demo", "next": target})
        assert response.status_code == 302
        assert "evil.example" not in response["Location"], target


# --- /healthz --------------------------------------------------------------------------------------


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"] == {"ok": True, "detail": "ok"}
    assert body["status"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(views, "_database_ok", lambda: (False, "OperationalError"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "detail": "OperationalError"}
    assert response.json()["status"] == "down"


def test_healthz_is_degraded_but_up_without_a_broker(client, monkeypatch):
    monkeypatch.setattr(views, "_broker_ok", lambda: (False, "OperationalError"))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


# --- home ------------------------------------------------------------------------------------------


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_home_shows_the_current_post_unit_and_managing_authority(client, org):
    client.force_login(org.proposer_dept)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    text = _text(response)
    assert "Xin chào, Đặng Thị Trưởng Phòng" in text
    assert "Trưởng phòng" in text
    assert "Phòng Quản lý nhà" in text
    assert "Sở Xây dựng" in text
    html = response.content.decode()
    assert reverse("proposals:list") in html and reverse("proposals:create") in html
    # a proposer neither reviews nor monitors
    assert "Hộp xem xét" not in text
    assert 'href="/reports/"' not in html


def test_home_offers_the_inbox_and_reports_to_a_head(client, org):
    client.force_login(org.head_dept)
    response = client.get(reverse("home"))
    text, html = _text(response), response.content.decode()
    assert "Hộp xem xét" in text and f'href="{reverse("review:inbox")}"' in html
    assert 'href="/reports/"' in html
    assert "Người đứng đầu — Sở Xây dựng" in text


def test_home_offers_reports_to_home_affairs(client, org):
    client.force_login(org.homeaffairs)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/reports/"' in html
    assert "Hộp xem xét" not in _text(client.get(reverse("home")))


def test_home_warns_a_person_without_a_current_post(client, org):
    client.force_login(UserFactory(username="chua.co.chuc.vu", full_name="Lý Văn Mới"))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "chưa có chức vụ hiện tại" in _text(response)


def test_home_runs_a_fixed_number_of_queries(client, org, django_assert_max_num_queries):
    client.force_login(org.head_dept)
    with django_assert_max_num_queries(12):  # the person, their standing, and what waits for them
        assert client.get(reverse("home")).status_code == 200


# --- passwords -------------------------------------------------------------------------------------


def test_password_reset_sends_an_email_that_lets_the_person_choose_a_new_password(client, org, mailoutbox):
    # given
    org.proposer_dept.email = "truong.phong@demo.hochiminhcity.gov.vn"
    org.proposer_dept.save()
    assert client.get(reverse("password_reset")).status_code == 200
    # when
    response = client.post(reverse("password_reset"), {"email": "truong.phong@demo.hochiminhcity.gov.vn"})
    # then
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert client.get(reverse("password_reset_done")).status_code == 200
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["truong.phong@demo.hochiminhcity.gov.vn"]
    assert message.subject == "Đặt lại mật khẩu — Cổng đề xuất đổi mới, sáng tạo"
    assert "Kính gửi Đặng Thị Trưởng Phòng" in message.body
    assert "proposer.dept" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", message.body).group(1)

    # when: the person follows the link and sets a new password
    response = client.get(link, follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # then
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    assert client.get(reverse("password_reset_complete")).status_code == 200
    org.proposer_dept.refresh_from_db()
    assert org.proposer_dept.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "khong.co@example.gov.vn"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_password_reset_link_cannot_be_reused(client, org):
    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "sai-token"}))
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert "Liên kết không hợp lệ" in _text(response)


def test_password_change(client, org):
    client.force_login(org.proposer_staff)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(reverse("password_change"), {
        "old_password": "demo", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200
    org.proposer_staff.refresh_from_db()
    assert org.proposer_staff.check_password(NEW_PASSWORD)


def test_password_change_refuses_a_wrong_old_password(client, org):
    client.force_login(org.proposer_staff)
    response = client.post(reverse("password_change"), {
        "old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


# --- admin -----------------------------------------------------------------------------------------

CHANGELISTS = ["/admin/accounts/organisationunit/", "/admin/accounts/post/", "/admin/accounts/user/",
               "/admin/accounts/authoritymembership/"]


@pytest.fixture
def superuser_client(client, org):
    client.force_login(UserFactory(username="root", full_name="Quản Trị", is_staff=True, is_superuser=True))
    return client


def _grow(org, n=15):
    """More units, people, posts and memberships under every kind of parent."""
    for i in range(n):
        agency = UnitFactory(name=f"Sở thử {i}", parent=org.city)
        division = UnitFactory(name=f"Phòng thử {i}", kind=OrganisationUnit.Kind.DIVISION, parent=agency)
        person = UserFactory()
        PostFactory(user=person, unit=division, managing_authority=agency, is_head=True)
        MembershipFactory(user=UserFactory(), authority=agency)


@pytest.mark.parametrize("url", CHANGELISTS)
def test_admin_changelists_answer_with_a_bounded_number_of_queries(superuser_client, org, url,
                                                                   django_assert_max_num_queries):
    _grow(org)
    with django_assert_max_num_queries(12):
        response = superuser_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count > 5


@pytest.mark.parametrize("url", CHANGELISTS)
def test_admin_changelist_queries_do_not_grow_with_rows(superuser_client, org, url):
    with CaptureQueriesContext(connection) as few:
        superuser_client.get(url)
    _grow(org)
    with CaptureQueriesContext(connection) as many:
        superuser_client.get(url)
    assert len(many) == len(few)


def test_admin_is_closed_to_ordinary_officials(client, org):
    client.force_login(org.proposer_dept)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_rotated_key_keeps_people_signed_in_until_its_fallback_is_removed(org, settings):
    old, new = "old-key-" + "o" * 50, "new-key-" + "n" * 50
    settings.SECRET_KEY = old
    active, away = Client(), Client()
    active.force_login(org.proposer_dept)
    away.force_login(org.head_dept)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = new, [old]
    # during the rotation the old key still verifies; a visit moves the session to the new key
    assert active.get(reverse("home")).status_code == 200

    settings.SECRET_KEY_FALLBACKS = []
    assert active.get(reverse("home")).status_code == 200
    assert away.get(reverse("home")).status_code == 302  # signed with the old key only: back to the sign-in page
