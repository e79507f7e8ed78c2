"""The proposals' pages of the admin site."""

from django.urls import reverse

from tests.helpers import draft


def test_the_admin_site_does_not_show_other_peoples_drafts(org, admin_client):
    proposal = draft(org.proposer_dept, title="Bản nháp riêng trong trang quản trị",
                     necessity="Nội dung nháp riêng tư")

    listing = admin_client.get(reverse("admin:proposals_proposal_changelist")).content.decode()
    detail = admin_client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))

    assert "Bản nháp riêng trong trang quản trị" not in listing
    assert detail.status_code in (302, 404) or "Nội dung nháp riêng tư" not in detail.content.decode()
