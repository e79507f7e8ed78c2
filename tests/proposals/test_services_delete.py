"""Deleting a draft never sent (issue 14): its content and files are erased and nobody sees it any more, while the
append-only audit trail keeps the fact that it existed and was deleted."""

import pytest
from django.urls import reverse

from proposals import services
from proposals.errors import ActionUnavailable, DomainError, PermissionDenied
from proposals.models import Attachment, Proposal, ProposalEvent
from tests.helpers import client_for, draft, submitted, uploaded


def test_deleting_a_draft_erases_its_content_and_files_and_keeps_only_the_fact(org, django_capture_on_commit_callbacks):
    proposal = draft(org.proposer_dept, title="Bí mật nội bộ", necessity="Chỉ tôi biết", involved_units=[org.ward])
    attachment = services.attachment_add(actor=org.proposer_dept, proposal=proposal, upload=uploaded("ke-hoach.pdf"))
    stored, storage = attachment.file.name, attachment.file.storage
    assert storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_delete_draft(actor=org.proposer_dept, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.deleted_at is not None
    assert proposal.title == "" and proposal.necessity == "" and proposal.start_date is None
    assert proposal.commitment is False and proposal.topic is None
    assert not proposal.involved_units.exists()
    assert not Attachment.objects.filter(proposal=proposal).exists()
    assert not storage.exists(stored)
    kinds = list(ProposalEvent.objects.filter(proposal=proposal).order_by("pk").values_list("kind", flat=True))
    assert kinds[0] == "created" and kinds[-1] == "deleted"
    assert ProposalEvent.objects.get(proposal=proposal, kind="deleted").details == {"attachments": 1}


def test_a_deleted_draft_is_gone_for_its_author_too(org):
    proposal = draft(org.proposer_dept, title="Sẽ xóa")
    kept = draft(org.proposer_dept, title="Giữ lại")
    services.proposal_delete_draft(actor=org.proposer_dept, proposal=proposal)
    client = client_for(org.proposer_dept)

    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.get(reverse("proposals:section", args=[proposal.pk, 1])).status_code == 404
    listing = client.get(reverse("proposals:list")).content.decode()
    assert proposal.reference not in listing and "Giữ lại" in listing
    home = client.get("/").content.decode()
    assert proposal.reference not in home and kept.title in home
    assert "1 bản nháp chưa gửi" in home


def test_the_form_that_created_a_deleted_draft_creates_a_new_one_if_sent_again(org):
    proposal = draft(org.proposer_dept)
    token = proposal.creation_token
    services.proposal_delete_draft(actor=org.proposer_dept, proposal=proposal)

    again = services.proposal_create_draft(actor=org.proposer_dept, data={"title": "Soạn lại"}, creation_token=token)

    assert again.pk != proposal.pk and again.deleted_at is None


@pytest.mark.parametrize("who", ["head_dept", "homeaffairs", "proposer_ward", "outsider"])
def test_only_the_author_deletes_a_draft(org, who):
    proposal = draft(org.proposer_dept)

    with pytest.raises(PermissionDenied):
        services.proposal_delete_draft(actor=getattr(org, who), proposal=proposal)
    assert client_for(getattr(org, who)).post(reverse("proposals:delete", args=[proposal.pk])).status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).deleted_at is None


def test_a_sent_proposal_is_withdrawn_not_deleted(org):
    proposal = submitted(org.proposer_dept)

    with pytest.raises(DomainError):
        services.proposal_delete_draft(actor=org.proposer_dept, proposal=proposal)
    returned = services.proposal_return_for_revision(actor=org.deputy_dept, proposal=proposal, message="Bổ sung")
    with pytest.raises(DomainError):
        services.proposal_delete_draft(actor=org.proposer_dept, proposal=returned)
    assert client_for(org.proposer_dept).get(reverse("proposals:delete", args=[proposal.pk])).status_code == 404


def test_a_draft_is_deleted_once(org):
    proposal = draft(org.proposer_dept)
    services.proposal_delete_draft(actor=org.proposer_dept, proposal=proposal)

    with pytest.raises((ActionUnavailable, PermissionDenied)):
        services.proposal_delete_draft(actor=org.proposer_dept, proposal=proposal)
    assert ProposalEvent.objects.filter(proposal=proposal, kind="deleted").count() == 1


def test_the_author_confirms_on_a_page_that_says_what_will_be_lost(org):
    proposal = draft(org.proposer_dept, title="Số hoá hồ sơ")
    services.attachment_add(actor=org.proposer_dept, proposal=proposal, upload=uploaded("du-toan.pdf"))
    client = client_for(org.proposer_dept)

    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert f'href="{reverse("proposals:delete", args=[proposal.pk])}"' in detail
    page = client.get(reverse("proposals:delete", args=[proposal.pk])).content.decode()
    assert "Số hoá hồ sơ" in page and "du-toan.pdf" in page and "không khôi phục được" in page
    assert Proposal.objects.get(pk=proposal.pk).deleted_at is None  # looking deletes nothing

    response = client.post(reverse("proposals:delete", args=[proposal.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("proposals:list")
    assert f"Đã xóa bản nháp {proposal.reference}." in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).deleted_at is not None


def test_a_sent_proposal_offers_no_deletion(org):
    proposal = submitted(org.proposer_dept)
    page = client_for(org.proposer_dept).get(proposal.get_absolute_url()).content.decode()
    assert reverse("proposals:delete", args=[proposal.pk]) not in page
