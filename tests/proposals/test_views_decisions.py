
import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from notifications.models import Notification
from proposals import permissions, services
from proposals.models import Decision, Note, Proposal
from tests.factories import MembershipFactory
from tests.helpers import approved, client_for, deliver_all, submitted

TODAY = timezone.localdate().strftime("%d/%m/%Y")


def post(user, proposal, action, data, url_name=None):
    """The action's form sent, and for one that issues a document, its confirmation after the document was shown
    (test_views_confirm_document.py tests that step)."""
    url = reverse(f"proposals:{url_name or action}", args=[proposal.pk])
    return client_for(user).post(url, {**{f"{action}-{k}": v for k, v in data.items()}, "confirmed": "1"})


def test_members_see_the_actions_open_to_them(org):
    proposal = submitted(org.proposer_dept)

    head_page = client_for(org.head_dept).get(proposal.get_absolute_url()).content.decode()
    deputy_page = client_for(org.deputy_dept).get(proposal.get_absolute_url()).content.decode()
    author_page = client_for(org.proposer_dept).get(proposal.get_absolute_url()).content.decode()
    monitor_page = client_for(org.homeaffairs).get(proposal.get_absolute_url()).content.decode()

    for action in ("return", "party-opinion", "meeting", "reject"):
        assert f"/proposals/{proposal.pk}/{action}/" in head_page
    assert f"/proposals/{proposal.pk}/reject/" not in deputy_page
    assert f"/proposals/{proposal.pk}/meeting/" in deputy_page
    # approval appears only once a vote is recorded
    assert f"/proposals/{proposal.pk}/approve/" not in head_page
    for page in (author_page, monitor_page):
        for action in ("return", "party-opinion", "meeting", "approve", "reject", "notes"):
            assert f"/proposals/{proposal.pk}/{action}/" not in page


def test_a_folded_action_loads_its_form_when_opened(org):
    proposal = submitted(org.proposer_dept)
    url, form_url = (reverse(name, args=[proposal.pk]) for name in ("proposals:reject", "proposals:reject_form"))
    head = client_for(org.head_dept)

    page = head.get(proposal.get_absolute_url()).content.decode()
    assert f'hx-get="{form_url}"' in page and 'name="reject-reasons"' not in page

    fragment = head.get(form_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert html.lstrip().startswith(f'<form method="post" enctype="multipart/form-data" action="{url}"')
    assert 'name="reject-reasons"' in html and "csrfmiddlewaretoken" in html and "<html" not in html

    # Without htmx (a link, a browser without scripts) the page opens with that action unfolded.
    unfolded = head.get(form_url).content.decode()
    assert 'id="action-reject" class="accordion-collapse collapse show"' in unfolded
    assert 'name="reject-reasons"' in unfolded


@pytest.mark.parametrize("actor", ["deputy_dept", "proposer_dept", "homeaffairs", "head_city", "outsider"])
def test_an_action_form_is_404_to_whoever_may_not_take_it(org, actor):
    proposal = submitted(org.proposer_dept)
    client = client_for(getattr(org, actor))
    for headers in ({"HX-Request": "true"}, {}):
        assert client.get(reverse("proposals:reject_form", args=[proposal.pk]), headers=headers).status_code == 404


def test_head_takes_a_proposal_through_revision_opinion_vote_and_approval(org):
    proposal = submitted(org.proposer_dept)

    post(org.head_dept, proposal, "return", {"message": "Bổ sung dự toán chi tiết"})
    author_page = client_for(org.proposer_dept).get(proposal.get_absolute_url()).content.decode()
    assert "Bổ sung dự toán chi tiết" in author_page
    client_for(org.proposer_dept).post(reverse("proposals:submit", args=[proposal.pk]))
    post(org.head_dept, proposal, "party_opinion", {
        "document_number": "45-CV/ĐU", "document_date": TODAY, "summary": "Nhất trí"})
    post(org.head_dept, proposal, "meeting", {
        "meeting_date": TODAY, "members_present": "5", "votes_for": "4", "votes_against": "1",
        "votes_abstain": "0", "head_vote": "for"})
    response = post(org.head_dept, proposal, "approve", {"decision_date": TODAY})

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "approved"
    page = client_for(org.proposer_dept).get(proposal.get_absolute_url()).content.decode()
    assert "01/QĐ-SXD" in page and "Quyết định phê duyệt" in page
    pdf = client_for(org.proposer_dept).get(
        reverse("proposals:document", args=[proposal.pk, "decision", proposal.decision.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client_for(org.head_city).get(
        reverse("proposals:document", args=[proposal.pk, "decision", proposal.decision.pk])).status_code == 404


def test_votes_over_the_members_present_are_shown_beside_the_field(org):
    proposal = submitted(org.proposer_dept)

    response = post(org.head_dept, proposal, "meeting", {
        "meeting_date": TODAY, "members_present": "3", "votes_for": "3", "votes_against": "1",
        "votes_abstain": "0", "head_vote": "for"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "vượt quá số thành viên được biểu quyết" in page
    assert 'id="error_1_id_meeting-votes_for"' in page
    assert not proposal.meetings.exists()


def test_rejection_without_reasons_is_refused_beside_the_field(org):
    proposal = submitted(org.proposer_dept)

    response = post(org.head_dept, proposal, "reject", {"decision_date": TODAY, "reasons": ""})

    assert response.status_code == 200
    assert 'id="error_1_id_reject-reasons"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_a_second_decision_is_refused_with_a_message(org):
    proposal = submitted(org.proposer_dept)
    post(org.head_dept, proposal, "reject", {"decision_date": TODAY, "reasons": "Không khả thi"})

    response = client_for(org.head_dept).post(
        reverse("proposals:reject", args=[proposal.pk]),
        {"reject-decision_date": TODAY, "reject-reasons": "Lần hai", "confirmed": "1"}, follow=True)

    assert "đã được quyết định" in response.content.decode()
    assert Decision.objects.filter(proposal=proposal).count() == 1


@pytest.mark.parametrize("actor", ["proposer_dept", "homeaffairs", "deputy_dept"])
def test_those_not_heading_the_authority_cannot_decide(org, actor):
    proposal = submitted(org.proposer_dept)

    post(getattr(org, actor), proposal, "reject", {"decision_date": TODAY, "reasons": "x"})

    proposal.refresh_from_db()
    assert proposal.status == "submitted"


@pytest.mark.parametrize("actor", ["head_city", "outsider"])
def test_strangers_get_404_on_actions(org, actor):
    proposal = submitted(org.proposer_dept)

    response = post(getattr(org, actor), proposal, "return", {"message": "x"})

    assert response.status_code == 404


def test_internal_notes_stay_inside_the_authority(org):
    proposal = submitted(org.proposer_dept)
    post(org.deputy_dept, proposal, "internal_note", {"text": "Ý kiến riêng của tổ thẩm định"})
    post(org.proposer_dept, proposal, "comment", {"text": "Xin gửi thêm số liệu"})

    author_page = client_for(org.proposer_dept).get(proposal.get_absolute_url()).content.decode()
    head_page = client_for(org.head_dept).get(proposal.get_absolute_url()).content.decode()

    assert "Ý kiến riêng của tổ thẩm định" not in author_page
    assert "Xin gửi thêm số liệu" in author_page
    assert "Ý kiến riêng của tổ thẩm định" in head_page and "Xin gửi thêm số liệu" in head_page
    assert Note.objects.count() == 2
    # the author cannot post an internal note
    post(org.proposer_dept, proposal, "internal_note", {"text": "lẻn vào"})
    assert Note.objects.count() == 2


def test_failed_vote_offers_the_head_override(org):
    proposal = submitted(org.proposer_dept)
    services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number="1",
                                  document_date=timezone.localdate(), summary="Nhất trí")
    services.meeting_record(actor=org.head_dept, proposal=proposal, meeting_date=timezone.localdate(),
                            members_present=5, votes_for=2, votes_against=3, votes_abstain=0, head_vote="for")

    page = client_for(org.head_dept).get(proposal.get_absolute_url()).content.decode()
    assert f"/proposals/{proposal.pk}/approve-by-head/" in page
    assert f"/proposals/{proposal.pk}/approve/" not in page
    response = post(org.head_dept, proposal, "approve_by_head", {
        "decision_date": TODAY, "justification": "Lợi ích chung cấp bách"}, "approve_by_head")

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.approval_basis == "head"


def test_document_ids_of_another_proposal_are_404(org):
    victim = approved(org.proposer_dept)
    decision = victim.decision
    opinion = victim.party_opinions.first()
    meeting = victim.meetings.first()
    own = approved(org.proposer_ward)
    client = client_for(org.proposer_ward)

    for kind, pk in (("decision", decision.pk), ("party-opinion", opinion.pk), ("minutes", meeting.pk),
                     ("conclusion", decision.pk), ("progress", decision.pk), ("results-report", decision.pk),
                     ("../decision", decision.pk)):
        try:
            url = reverse("proposals:document", args=[own.pk, kind, pk])
        except NoReverseMatch:  # a kind that is not a slug has no URL at all
            continue
        assert client.get(url).status_code == 404, kind
    assert client.get(reverse("proposals:document", args=[victim.pk, "decision", decision.pk])).status_code == 404


def test_nobody_decides_their_own_proposal_even_after_joining_the_authority(org, django_capture_on_commit_callbacks):
    proposal = submitted(org.proposer_dept)
    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(user=org.proposer_dept, authority=org.construction, role="deputy",
                          valid_from=timezone.localdate())
    proposal = Proposal.objects.get(pk=proposal.pk)

    assert not permissions.serves_deciding_authority(org.proposer_dept, proposal)
    assert proposal not in permissions.proposals_to_decide(org.proposer_dept)
    client_for(org.proposer_dept).post(reverse("proposals:return", args=[proposal.pk]), {"return-message": "x"})
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_internal_notes_reach_neither_home_affairs_nor_notifications_nor_history(org):
    proposal = submitted(org.proposer_dept)
    services.note_add(actor=org.deputy_dept, proposal=proposal, text="Nhận xét nội bộ QWE",
                      visibility="internal")
    deliver_all()

    assert "Nhận xét nội bộ QWE" not in client_for(org.homeaffairs).get(proposal.get_absolute_url()).content.decode()
    assert not proposal.events.filter(kind="commented").exists()
    assert not Notification.objects.filter(body__contains="Nhận xét nội bộ QWE").exists()
    assert not Notification.objects.filter(recipient=org.proposer_dept, category="comment").exists()


def test_a_megabyte_of_reasons_is_refused_next_to_the_reasons(org):
    proposal = submitted(org.proposer_dept)

    response = client_for(org.head_dept).post(
        reverse("proposals:reject", args=[proposal.pk]),
        {"reject-decision_date": TODAY, "reject-reasons": "Không khả thi. " * 70_000})

    assert response.status_code == 200
    reject = next(item for item in response.context["workflow_actions"] if item["name"] == "reject")
    assert list(reject["form"].errors) == ["reasons"]
    assert not Decision.objects.filter(proposal=proposal).exists()


def test_the_heads_vote_has_no_answer_chosen_in_advance_and_is_required(org):
    proposal = submitted(org.proposer_dept)
    head = client_for(org.head_dept)

    html = head.get(reverse("proposals:meeting_form", args=[proposal.pk]), headers={"HX-Request": "true"})
    select = html.content.decode().split('name="meeting-head_vote"')[1].split("</select>")[0]
    assert '<option value="" selected>' in select and 'value="for" selected' not in select

    response = head.post(reverse("proposals:meeting", args=[proposal.pk]), {
        "meeting-meeting_date": timezone.localdate().strftime("%d/%m/%Y"), "meeting-members_present": "5",
        "meeting-votes_for": "4", "meeting-votes_against": "0", "meeting-votes_abstain": "0"})
    assert response.status_code == 200 and "meeting-head_vote" in response.content.decode()
    assert not proposal.meetings.exists()
