"""The reorganisation page (issue 15): the form, the plan with every open proposal and where it goes, and the
application; Home Affairs and administrators only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrganisationUnit
from tests.helpers import client_for, submitted

TODAY = timezone.localdate().strftime("%d/%m/%Y")


def merge_post(org, **extra):
    return {"sources": [org.construction.pk], "new_name": "Sở Xây dựng và Giao thông", "new_code": "so-xd-gt",
            "new_kind": "city_agency", "on": TODAY, "move_people": "on", **extra}


def test_the_plan_names_each_open_proposal_and_where_it_goes_then_it_is_applied(org):
    proposal = submitted(org.proposer_dept, title="Chưa quyết định")
    client = client_for(org.homeaffairs)

    page = client.post(reverse("organisation_merge"), merge_post(org)).content.decode()

    table = page.split('id="merge-proposals"')[1].split("</table>")[0]
    assert proposal.reference in table and "Sở Xây dựng và Giao thông" in table
    assert 'value="apply"' in page
    assert not OrganisationUnit.objects.filter(code="so-xd-gt").exists()  # looking changes nothing

    response = client.post(reverse("organisation_merge"), merge_post(org, action="apply"), follow=True)

    successor = OrganisationUnit.objects.get(code="so-xd-gt")
    assert response.redirect_chain[-1][0] == reverse("organisation_unit", args=["so-xd-gt"])
    assert "Đã tổ chức lại" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.deciding_authority == successor


def test_a_missing_successor_and_a_refused_merge_are_said_beside_the_form(org):
    client = client_for(org.homeaffairs)

    missing = client.post(reverse("organisation_merge"), merge_post(org, new_name="", new_code=""))
    assert missing.status_code == 400 and "Hãy khai báo đơn vị mới" in missing.content.decode()

    refused = client.post(reverse("organisation_merge"), merge_post(org, new_kind="division")).content.decode()
    assert "phải là cơ quan có thẩm quyền" in refused and 'value="apply"' not in refused
    assert not OrganisationUnit.objects.filter(code="so-xd-gt").exists()


@pytest.mark.parametrize("who", ["proposer_dept", "head_dept", "head_city", "outsider"])
def test_nobody_else_reorganises(org, who):
    client = client_for(getattr(org, who))

    assert client.get(reverse("organisation_merge")).status_code == 404
    assert client.post(reverse("organisation_merge"), merge_post(org, action="apply")).status_code == 404
    assert not OrganisationUnit.objects.filter(code="so-xd-gt").exists()


def test_a_split_is_planned_with_a_choice_for_each_unit_below_then_applied(org):
    from tests.proposals.test_reorganisation import split_successors

    planning, housing = split_successors(org)
    proposal = submitted(org.proposer_dept, title="Từ phòng quản lý nhà")
    client = client_for(org.homeaffairs)
    form = {"source": org.construction.pk, "principal": planning.pk, "others": [housing.pk], "on": TODAY,
            "move_people": "on"}

    first = client.post(reverse("organisation_split"), form).content.decode()
    assert f'name="assign-{org.construction_division.pk}"' in first
    assert planning.name in first.split('id="split-proposals"')[1].split("</table>")[0]
    chosen = client.post(reverse("organisation_split"), {**form, f"assign-{org.construction_division.pk}": housing.pk})
    table = chosen.content.decode().split('id="split-proposals"')[1].split("</table>")[0]
    assert proposal.reference in table and housing.name in table
    assert OrganisationUnit.objects.get(pk=org.construction.pk).valid_to is None

    applied = client.post(reverse("organisation_split"), {
        **form, f"assign-{org.construction_division.pk}": housing.pk, "action": "apply"}, follow=True)

    assert applied.redirect_chain[-1][0] == reverse("organisation_unit", args=[planning.code])
    proposal.refresh_from_db()
    assert proposal.deciding_authority == housing


def test_a_move_is_planned_then_applied_and_a_refusal_is_said_beside_the_form(org):
    client = client_for(org.homeaffairs)
    form = {"unit": org.ward_division.pk, "parent": org.construction.pk, "on": TODAY}
    assert 'aria-current="page" href="/organisation/imports/move/"' in client.get(reverse("organisation_move")).content.decode()

    page = client.post(reverse("organisation_move"), form).content.decode()
    assert "do UBND phường Bến Thành quản lý chuyển cho Sở Xây dựng quản lý" in page
    refused = client.post(reverse("organisation_move"), {**form, "parent": org.ward.pk}).content.decode()
    assert "đã trực thuộc" in refused and 'value="apply"' not in refused

    applied = client.post(reverse("organisation_move"), {**form, "action": "apply"}, follow=True)

    assert applied.redirect_chain[-1][0] == reverse("organisation_unit", args=[org.ward_division.code])
    assert OrganisationUnit.objects.get(pk=org.ward_division.pk).parent == org.construction


@pytest.mark.parametrize("who", ["proposer_dept", "head_dept", "outsider"])
def test_nobody_else_splits_or_moves(org, who):
    client = client_for(getattr(org, who))

    for name in ("organisation_split", "organisation_move"):
        assert client.get(reverse(name)).status_code == 404
    applied = client.post(reverse("organisation_move"), {"unit": org.ward_division.pk, "parent": org.construction.pk,
                                                         "on": TODAY, "action": "apply"})
    assert applied.status_code == 404
    assert OrganisationUnit.objects.get(pk=org.ward_division.pk).parent == org.ward
