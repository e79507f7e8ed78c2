"""The directory (/organisation/, issue 15): the unit tree as of a date, each unit's deciders and officials, and a
search over units and officials by name without diacritics, staff code or e-mail; contact details as the setting
allows; signed-in officials only."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import PositionCategory
from tests.factories import PostFactory, UnitFactory, UserFactory
from tests.helpers import client_for


def page(user, url, **query):
    response = client_for(user).get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_only_signed_in_officials_open_the_directory(org):
    for url in (reverse("organisation"), reverse("organisation_unit", args=[org.construction.code])):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_directory_opens_on_the_top_of_the_tree(org):
    html = page(org.proposer_ward, reverse("organisation"))

    assert "UBND Thành phố Hồ Chí Minh" in html
    for unit in (org.construction, org.home_affairs_dept, org.ward):
        assert f'href="{reverse("organisation_unit", args=[unit.code])}"' in html
    assert "Phòng Quản lý nhà" not in html  # two levels: the rest is on each unit's page


def test_a_search_without_diacritics_finds_officials_and_units(org):
    html = page(org.proposer_ward, reverse("organisation"), q="nguyen van pho")

    assert "Nguyễn Văn Phó Chủ tịch" in html and "Phó Chủ tịch UBND Thành phố" in html
    assert "Không tìm thấy cơ quan, đơn vị nào." in html
    units = page(org.proposer_ward, reverse("organisation"), q="ben thanh")
    assert "UBND phường Bến Thành" in units and "Phòng Văn hóa - Xã hội phường Bến Thành" in units


def test_officials_are_found_by_staff_code_or_e_mail_too(org, settings):
    org.proposer_staff.employee_code = "CB-001234"
    org.proposer_staff.save()

    assert "Bùi Thị Chuyên Viên" in page(org.proposer_ward, reverse("organisation"), q="cb-001234")
    assert "Bùi Thị Chuyên Viên" not in page(org.proposer_ward, reverse("organisation"), q="CB-0012")
    # by e-mail only where addresses may be shown: otherwise a typed address would say whose it is
    address = "PROPOSER.STAFF@example.gov.vn"
    assert "Bùi Thị Chuyên Viên" not in page(org.proposer_ward, reverse("organisation"), q=address)
    settings.DIRECTORY_SHOWS_CONTACTS = True
    assert "Bùi Thị Chuyên Viên" in page(org.proposer_ward, reverse("organisation"), q=address)


def test_those_who_left_are_not_found(org):
    UserFactory(username="left", full_name="Nguyễn Văn Đã Nghỉ", is_active=False)
    assert "Đã Nghỉ" not in page(org.proposer_ward, reverse("organisation"), q="da nghi")


def test_a_unit_shows_where_it_sits_who_decides_and_its_officials_head_first(org):
    html = page(org.proposer_ward, reverse("organisation_unit", args=[org.construction.code]))

    assert "UBND Thành phố Hồ Chí Minh" in html.split('class="breadcrumb"')[1].split("</ol>")[0]
    deciders = html.split('id="deciders"')[1].split("</section>")[0]
    assert deciders.index("Trần Thị Giám Đốc") < deciders.index("Lê Văn Phó Giám Đốc")
    assert "Phòng Quản lý nhà" in html.split('id="below"')[1].split("</section>")[0]
    officials = html.split('id="unit-officials"')[1].split("</table>")[0]
    assert officials.index("Trần Thị Giám Đốc") < officials.index("Bùi Thị Chuyên Viên")
    assert "Đặng Thị Trưởng Phòng" not in officials  # in the division below, on its own page


def test_contact_details_are_shown_only_when_the_citys_policy_allows(org, settings):
    url = reverse("organisation_unit", args=[org.construction.code])
    assert "head.dept@example.gov.vn" not in page(org.proposer_ward, url)

    settings.DIRECTORY_SHOWS_CONTACTS = True
    assert 'href="mailto:head.dept@example.gov.vn"' in page(org.proposer_ward, url)
    assert "head.dept@example.gov.vn" in page(org.proposer_ward, reverse("organisation"), q="tran thi giam")


def test_the_organisation_as_of_a_date(org):
    merged = UnitFactory(name="Phường Cũ", code="phuong-cu", kind="local_committee", parent=org.city,
                         valid_from=datetime.date(2000, 1, 1), valid_to=datetime.date(2025, 6, 30), successor=org.ward)
    official = UserFactory(username="old", full_name="Lý Thị Ngày Trước")
    PostFactory(user=official, unit=merged, title="Chủ tịch", category=PositionCategory.ADMIN_LEADER,
                managing_authority=org.city, valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2025, 6, 30))
    url = reverse("organisation_unit", args=[merged.code])

    assert client_for(org.proposer_ward).get(url).status_code == 404  # ended: not in today's organisation
    then = page(org.proposer_ward, url, on="15/03/2025")
    assert "Lý Thị Ngày Trước" in then and "UBND phường Bến Thành" in then  # its successor is named
    assert "Phường Cũ" in page(org.proposer_ward, reverse("organisation"), on="15/03/2025")
    assert "Phường Cũ" not in page(org.proposer_ward, reverse("organisation"))


def test_a_wrong_date_is_said_beside_its_field_and_the_search_still_runs(org):
    html = page(org.proposer_ward, reverse("organisation"), q="ben thanh", on="31/02/2026")

    assert 'class="invalid-feedback" id="id_on_error"' in html
    assert "UBND phường Bến Thành" in html


def test_a_large_unit_is_read_page_by_page_in_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    for number in range(120):
        PostFactory(user=UserFactory(username=f"staff{number}"), unit=org.home_affairs_dept, title="Chuyên viên",
                    category=PositionCategory.STAFF, managing_authority=org.home_affairs_dept)
    client = client_for(org.proposer_ward)
    client.get("/")

    with django_assert_max_num_queries(14):
        response = client.get(reverse("organisation_unit", args=[org.home_affairs_dept.code]), {"page": 3})
    html = response.content.decode()
    assert "Trang 3/3" in html and html.count("<tr>") == 1 + 22  # 122 officials, 50 a page

    with django_assert_max_num_queries(12):
        client.get(reverse("organisation"), {"q": "nguyen"})


@pytest.mark.parametrize("code", ["khong-co", "../admin"])
def test_an_unknown_unit_is_404(org, code):
    assert client_for(org.proposer_ward).get(f"/organisation/{code}/").status_code == 404


def test_the_directory_in_english(org):
    from tests.test_translations import english, records_data, untranslated_vietnamese

    client = english(client_for(org.proposer_ward))
    for url, query in ((reverse("organisation"), {}), (reverse("organisation"), {"q": "nguyen"}),
                       (reverse("organisation_unit", args=[org.construction.code]), {})):
        html = client.get(url, query).content.decode()
        assert "Organisation directory" in html
        assert untranslated_vietnamese(html, records_data()) == [], url
