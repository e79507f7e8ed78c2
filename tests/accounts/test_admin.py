"""The admin runs the models' own checks and shows them as form errors, never as a server error."""

import pytest

from accounts.models import AuthorityMembership, OrganisationUnit, Post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, org):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def _unit_form(unit, **changes):
    data = {
        "name": unit.name, "short_name": unit.short_name, "code": unit.code, "kind": unit.kind,
        "local_level": unit.local_level, "parent": unit.parent_id or "", "valid_from": unit.valid_from.isoformat(),
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else "", "successor": unit.successor_id or "",
    }
    data.update(changes)
    return data


def test_unit_form_refuses_a_cycle(admin_client_, org):
    # when: Sở Xây dựng is put under its own division
    response = admin_client_.post(
        f"/admin/accounts/organisationunit/{org.construction.pk}/change/",
        _unit_form(org.construction, parent=org.construction_division.pk),
    )
    # then
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    org.construction.refresh_from_db()
    assert org.construction.parent == org.city


def test_unit_form_refuses_validity_outside_the_parent(admin_client_, org):
    response = admin_client_.post(
        "/admin/accounts/organisationunit/add/",
        _unit_form(OrganisationUnit(name="Phòng mới", code="phong-moi", kind="division", parent=org.construction,
                                    valid_from=org.construction.valid_from.replace(year=1990))),
    )
    assert response.status_code == 200
    assert "valid_from" in response.context["adminform"].form.errors
    assert not OrganisationUnit.objects.filter(code="phong-moi").exists()


def test_unit_form_saves_a_move_and_re_roots_the_subtree(admin_client_, org):
    response = admin_client_.post(
        f"/admin/accounts/organisationunit/{org.construction_division.pk}/change/",
        _unit_form(org.construction_division, parent=org.home_affairs_dept.pk),
    )
    assert response.status_code == 302
    org.construction_division.refresh_from_db()
    assert org.construction_division.path.startswith(org.home_affairs_dept.path)


def test_unit_changelist_indents_by_depth(admin_client_, org):
    response = admin_client_.get("/admin/accounts/organisationunit/")
    html = response.content.decode()
    assert 'padding-left: 3.0em">└ Phòng Quản lý nhà' in html
    assert html.index("UBND Thành phố Hồ Chí Minh") < html.index("Sở Xây dựng") < html.index("Phòng Quản lý nhà")


@pytest.mark.parametrize("query", ["hieu_luc=current", "hieu_luc=ended", "hieu_luc=future", "kind=division",
                                   "local_level=ward", "q=Xây"])
def test_unit_filters_and_search(admin_client_, query):
    assert admin_client_.get(f"/admin/accounts/organisationunit/?{query}").status_code == 200


@pytest.mark.parametrize("url", [
    "/admin/accounts/post/?category=staff&is_head__exact=1&loai_co_quan_quan_ly=city_agency&hieu_luc=current",
    "/admin/accounts/post/?q=Trưởng",
    "/admin/accounts/authoritymembership/?role=head&loai_co_quan=city_agency&hieu_luc=current&q=Sở",
    "/admin/accounts/user/?co_chuc_vu=no&q=proposer",
    "/admin/accounts/user/?co_chuc_vu=yes",
])
def test_post_membership_and_user_filters(admin_client_, url):
    assert admin_client_.get(url).status_code == 200


def test_user_changelist_search_finds_by_full_name(admin_client_, org):
    response = admin_client_.get("/admin/accounts/user/", {"q": "Trưởng Phòng"})
    assert list(response.context["cl"].result_list) == [org.proposer_dept]


def test_post_form_refuses_a_second_principal_post(admin_client_, org):
    response = admin_client_.post("/admin/accounts/post/add/", {
        "user": org.proposer_dept.pk, "unit": org.home_affairs_dept.pk, "title": "Chuyên viên", "category": "staff",
        "managing_authority": org.home_affairs_dept.pk, "is_principal": "on",
        "valid_from": "2025-01-01", "valid_to": "",
    })
    assert response.status_code == 200
    assert "is_principal" in response.context["adminform"].form.errors
    assert Post.objects.filter(user=org.proposer_dept).count() == 1


def test_membership_form_refuses_a_division(admin_client_, org):
    response = admin_client_.post("/admin/accounts/authoritymembership/add/", {
        "user": org.outsider.pk, "authority": org.construction_division.pk, "role": "deputy",
        "valid_from": "2025-01-01", "valid_to": "",
    })
    assert response.status_code == 200
    assert "authority" in response.context["adminform"].form.errors
    assert not AuthorityMembership.objects.filter(user=org.outsider).exists()


def test_user_change_page_shows_posts_and_memberships_inline(admin_client_, org):
    response = admin_client_.get(f"/admin/accounts/user/{org.head_dept.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Giám đốc" in html and "Sở Xây dựng" in html


def _inline_management(prefix, total, initial):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_user_inline_refuses_two_new_overlapping_principal_posts(admin_client_, org):
    # given: a person without posts
    person = UserFactory(username="nguoi.moi", full_name="Người Mới")
    row = {"title": "Chuyên viên", "unit": org.home_affairs_dept.pk, "category": "staff",
           "managing_authority": org.home_affairs_dept.pk, "is_principal": "on", "valid_from": "2025-01-01",
           "valid_to": "", "user": person.pk}
    data = {"username": person.username, "full_name": person.full_name, "email": person.email,
            "employee_code": "", "is_active": "on", "date_joined_0": "2025-01-01", "date_joined_1": "08:00:00",
            **_inline_management("posts", 2, 0), **_inline_management("memberships", 0, 0)}
    for i in range(2):
        data.update({f"posts-{i}-{key}": value for key, value in row.items()})
    # when
    response = admin_client_.post(f"/admin/accounts/user/{person.pk}/change/", data)
    # then
    assert response.status_code == 200
    assert not response.context["adminform"].form.errors
    posts_formset = response.context["inline_admin_formsets"][0].formset
    assert "is_principal" in posts_formset.errors[1]
    assert not Post.objects.filter(user=person).exists()


@pytest.mark.parametrize("unit", ["Sở Xây dựng", " ", "29/02/2023"])
def test_a_unit_typed_where_its_id_belongs_is_a_form_error(admin_client_, org, unit):
    response = admin_client_.post("/admin/accounts/post/add/", {
        "user": org.outsider.pk, "unit": unit, "title": "Chuyên viên", "category": "staff",
        "managing_authority": org.city.pk, "valid_from": "2026-01-01"})

    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not Post.objects.filter(user=org.outsider, title="Chuyên viên", unit__isnull=True).exists()


def test_administrators_remove_an_authenticator_but_never_see_its_secret(admin_client_, org):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=org.head_dept, name="Điện thoại", confirmed=True)

    assert admin_client_.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert admin_client_.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    assert admin_client_.get(f"/admin/otp_totp/totpdevice/{device.pk + 1}/qrcode/").status_code == 403
    page = admin_client_.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page and "otpauth://" not in page
    admin_client_.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
