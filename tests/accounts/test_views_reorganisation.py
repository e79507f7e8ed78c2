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
