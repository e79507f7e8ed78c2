"""Choosing related units, authorities and implementers by name (issue 14): the search pickers' JSON searches, the
chosen items as ticked boxes (no Ctrl-click), and the implementer found by name rather than username."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from proposals.forms import ImplementerForm, ProposalForm
from tests.factories import UserFactory
from tests.helpers import approved, client_for, draft


def people(user, query):
    return client_for(user).get(reverse("proposals:people_search"), {"q": query}).json()["results"]


def test_people_are_found_by_any_part_of_the_name_without_accents(org):
    found = people(org.proposer_dept, "chuyen vien")

    assert [item["id"] for item in found] == [org.proposer_staff.pk]
    assert found[0] == {"id": org.proposer_staff.pk, "name": "Bùi Thị Chuyên Viên", "context": "Chuyên viên, Sở Xây dựng"}
    assert [item["name"] for item in people(org.proposer_dept, "GIÁM")] == ["Lê Văn Phó Giám Đốc", "Ngô Văn Giám Sát",
                                                                           "Trần Thị Giám Đốc"]


def test_people_search_says_nothing_of_usernames_codes_or_addresses(org):
    org.proposer_staff.employee_code = "CB-778899"
    org.proposer_staff.save()

    body = client_for(org.proposer_dept).get(reverse("proposals:people_search"), {"q": "Chuyên"}).content.decode()

    assert "proposer.staff" not in body and "CB-778899" not in body and "@" not in body
    assert people(org.proposer_dept, "proposer.staff") == [] and people(org.proposer_dept, "CB-778899") == []


def test_people_search_leaves_out_those_who_left_and_too_short_a_query(org):
    UserFactory(username="gone", full_name="Bùi Thị Chuyên Viên Cũ", is_active=False)

    assert [item["name"] for item in people(org.proposer_dept, "chuyen vien")] == ["Bùi Thị Chuyên Viên"]
    assert people(org.proposer_dept, "b") == []


def test_people_search_runs_two_queries_whatever_it_finds(org, django_assert_max_num_queries):
    for number in range(30):
        UserFactory(username=f"official{number}", full_name=f"Nguyễn Văn Thử {number}")
    client = client_for(org.proposer_dept)
    client.get("/")  # the session's own reads happen once

    with django_assert_max_num_queries(8):
        response = client.get(reverse("proposals:people_search"), {"q": "thu"})

    assert len(response.json()["results"]) == 10


def test_searches_need_a_signed_in_person(org):
    for name in ("proposals:people_search", "proposals:unit_search"):
        response = Client().get(reverse(name), {"q": "Sở"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_implementer_is_chosen_by_picking_a_person_not_typing_a_username(org):
    proposal = approved(org.proposer_dept)
    client = client_for(org.proposer_dept)

    fragment = client.get(reverse("proposals:implementer_form", args=[proposal.pk]),
                          headers={"HX-Request": "true"}).content.decode()
    assert "data-picker" in fragment and reverse("proposals:people_search") in fragment
    assert "Tên đăng nhập" not in fragment

    client.post(reverse("proposals:implementer", args=[proposal.pk]), {"implementer-who": org.proposer_staff.pk})
    assert list(proposal.implementer_links.values_list("user", flat=True)) == [org.proposer_staff.pk]

    response = client.post(reverse("proposals:implementer", args=[proposal.pk]), {"implementer-who": "proposer.staff"})
    assert "Không tìm thấy cán bộ này; hãy tìm và chọn lại." in response.content.decode()


def test_an_inactive_official_cannot_be_made_implementer(org):
    gone = UserFactory(username="gone", full_name="Người Đã Nghỉ", is_active=False)
    form = ImplementerForm(data={"who": gone.pk})
    assert not form.is_valid() and "who" in form.errors


def test_chosen_units_are_ticked_boxes_that_untick_to_take_them_back(org):
    proposal = draft(org.proposer_dept, involved_units=[org.ward])
    page = client_for(org.proposer_dept).get(reverse("proposals:section", args=[proposal.pk, 9])).content.decode()

    box = re.search(r'<input[^>]*type="checkbox"[^>]*name="involved_units"[^>]*>', page).group(0)
    assert f'value="{org.ward.pk}"' in box and "checked" in box
    assert "Ctrl" not in page
    picker = re.search(r'<div class="search-picker"[^>]*>', page, re.S).group(0)
    assert f'data-source="{reverse("proposals:unit_search")}"' in picker and 'data-input-id="id_involved_units"' in picker
    messages = json.loads(re.search(r'data-messages="([^"]*)"', picker).group(1).replace("&quot;", '"'))
    assert messages["noResults"] == "Không tìm thấy kết quả phù hợp"

    # nothing ticked: no related unit any more
    client_for(org.proposer_dept).post(reverse("proposals:section", args=[proposal.pk, 9]), {"action": "next"})
    assert not proposal.involved_units.exists()


@pytest.mark.parametrize("single", [True, False])
def test_a_picker_keeps_what_was_posted_when_the_form_comes_back(org, single):
    form = ProposalForm(data={"title": "", "involved_units": [str(org.ward.pk), str(org.city.pk)]}, section=9)
    html = str(form["involved_units"])
    assert html.count('type="checkbox"') == 2 and html.count("checked") == 2
