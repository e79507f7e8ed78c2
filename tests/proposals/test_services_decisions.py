import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from proposals import permissions, services
from proposals.errors import DomainError, InvalidTransition, NotAuthorityMember, PermissionDenied
from proposals.models import Decision, Meeting, Note, OutboxMessage, Proposal
from proposals.services.common import vote_passes
from routing.calendar import add_working_days
from tests.helpers import submitted

TODAY = timezone.localdate()


def party_opinion(actor, proposal):
    return services.party_opinion_record(actor=actor, proposal=proposal, document_number="123-CV/ĐU",
                                         document_date=TODAY, summary="Đảng ủy nhất trí chủ trương.")


def meeting(actor, proposal, *, votes_for=4, against=1, abstain=0, head_vote="for", present=5, author_present=False):
    return services.meeting_record(
        actor=actor, proposal=proposal, meeting_date=TODAY, members_present=present, votes_for=votes_for,
        votes_against=against, votes_abstain=abstain, head_vote=head_vote, author_present=author_present)


@pytest.mark.parametrize(("votes", "head_vote", "passes"), [
    ((3, 2, 0), "against", True),
    ((2, 2, 0), "for", True),
    ((2, 2, 0), "against", False),
    ((2, 1, 1), "for", True),
    ((2, 1, 1), "abstain", False),
    ((2, 3, 0), "for", False),
    ((0, 0, 0), "for", False),
])
def test_vote_rule(votes, head_vote, passes):
    assert vote_passes(votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2],
                       head_vote=head_vote) is passes


def test_revision_request_returns_the_proposal_and_pauses_the_clock(org, settings):
    proposal = submitted(org.proposer_dept)
    due = proposal.review_due_date

    services.proposal_return_for_revision(actor=org.deputy_dept, proposal=proposal, message="Bổ sung dự toán")

    proposal.refresh_from_db()
    assert proposal.status == "returned"
    assert proposal.review_days_remaining == 7
    event = proposal.events.get(kind="returned")
    assert event.details["reason"] == "Bổ sung dự toán"
    assert list(OutboxMessage.objects.filter(event=event).values_list("recipient_id", flat=True)) == [
        org.proposer_dept.pk]
    # the author revises and resubmits: a new version, the clock resumes with what was left
    services.proposal_update_content(actor=org.proposer_dept, proposal=proposal, data={"resources": "Thêm 2 người"})
    services.proposal_submit(actor=org.proposer_dept, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert proposal.current_version == 2
    assert proposal.review_due_date == add_working_days(TODAY, 7)
    assert due <= proposal.review_due_date
    assert proposal.revision_requests.get().answered_at is not None
    resubmitted = proposal.events.get(kind="resubmitted")
    # the deciders are told, and the author gets a receipt
    assert set(OutboxMessage.objects.filter(event=resubmitted).values_list("recipient", flat=True)) == {
        org.head_dept.pk, org.deputy_dept.pk, org.proposer_dept.pk}


def test_revision_request_needs_a_message_and_a_member(org):
    proposal = submitted(org.proposer_dept)

    with pytest.raises(DomainError) as refusal:
        services.proposal_return_for_revision(actor=org.head_dept, proposal=proposal, message=" ")
    assert refusal.value.code == "message_missing"
    with pytest.raises(NotAuthorityMember):
        services.proposal_return_for_revision(actor=org.head_city, proposal=proposal, message="x")
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_approval_after_party_opinion_and_a_passing_vote(org):
    proposal = submitted(org.proposer_dept)
    party_opinion(org.deputy_dept, proposal)
    meeting(org.deputy_dept, proposal)

    services.proposal_approve(actor=org.head_dept, proposal=proposal, decision_date=TODAY)

    proposal.refresh_from_db()
    assert proposal.status == "approved"
    assert proposal.approval_basis == "vote"
    assert proposal.approved_version == 1
    assert proposal.implementation_start == proposal.start_date
    decision = proposal.decision
    assert decision.kind == "approval" and decision.signed_by == org.head_dept
    pdf = decision.document.read()
    assert pdf.startswith(b"%PDF")
    approved = proposal.events.get(kind="approved")
    assert approved.details["number"] == decision.number == "01/QĐ-SXD"
    assert org.proposer_dept.pk in OutboxMessage.objects.filter(event=approved).values_list("recipient_id", flat=True)


def test_approval_needs_the_party_opinion_and_a_passing_vote(org):
    proposal = submitted(org.proposer_dept)

    with pytest.raises(DomainError) as refusal:
        services.proposal_approve(actor=org.head_dept, proposal=proposal, decision_date=TODAY)
    assert refusal.value.code == "party_opinion_missing"
    party_opinion(org.head_dept, proposal)
    with pytest.raises(DomainError) as refusal:
        services.proposal_approve(actor=org.head_dept, proposal=proposal, decision_date=TODAY)
    assert refusal.value.code == "vote_not_passed"
    meeting(org.head_dept, proposal, votes_for=1, against=4)
    with pytest.raises(DomainError) as refusal:
        services.proposal_approve(actor=org.head_dept, proposal=proposal, decision_date=TODAY)
    assert refusal.value.code == "vote_not_passed"
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert not Decision.objects.exists()


def test_failed_vote_then_the_head_approves_alone_with_a_justification(org):
    proposal = submitted(org.proposer_dept)
    party_opinion(org.head_dept, proposal)
    meeting(org.head_dept, proposal, votes_for=2, against=3, head_vote="for")

    with pytest.raises(DomainError) as refusal:
        services.proposal_approve_by_head(actor=org.head_dept, proposal=proposal, decision_date=TODAY, justification="")
    assert refusal.value.code == "reasons_missing"
    services.proposal_approve_by_head(actor=org.head_dept, proposal=proposal, decision_date=TODAY, justification="Cấp bách, lợi ích chung rõ ràng")

    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.approval_basis == "head"
    assert proposal.decision.basis == "head"


def test_the_head_cannot_override_a_vote_that_passed(org):
    proposal = submitted(org.proposer_dept)
    party_opinion(org.head_dept, proposal)
    meeting(org.head_dept, proposal)

    with pytest.raises(DomainError) as refusal:
        services.proposal_approve_by_head(actor=org.head_dept, proposal=proposal, decision_date=TODAY, justification="x")
    assert refusal.value.code == "vote_not_failed"


def test_only_the_head_signs_decisions(org):
    proposal = submitted(org.proposer_dept)
    party_opinion(org.head_dept, proposal)
    meeting(org.head_dept, proposal)

    with pytest.raises(PermissionDenied):
        services.proposal_approve(actor=org.deputy_dept, proposal=proposal, decision_date=TODAY)
    with pytest.raises(PermissionDenied):
        services.proposal_reject(actor=org.head_city, proposal=proposal, decision_date=TODAY,
                                 reasons="x")


def test_rejection_needs_reasons(org):
    proposal = submitted(org.proposer_dept)

    with pytest.raises(DomainError) as refusal:
        services.proposal_reject(actor=org.head_dept, proposal=proposal, decision_date=TODAY,
                                 reasons="  ")
    assert refusal.value.code == "reasons_missing"
    services.proposal_reject(actor=org.head_dept, proposal=proposal, decision_date=TODAY,
                             reasons="Đã có quy định pháp luật điều chỉnh")

    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert proposal.decision.reasons == "Đã có quy định pháp luật điều chỉnh"
    assert proposal.decision.document.read().startswith(b"%PDF")


def test_votes_cannot_exceed_those_who_may_vote(org):
    proposal = submitted(org.proposer_dept)

    with pytest.raises(DomainError) as refusal:
        meeting(org.head_dept, proposal, votes_for=4, against=2, present=5)
    assert refusal.value.code == "too_many_votes"
    with pytest.raises(DomainError) as refusal:
        meeting(org.head_dept, proposal, votes_for=4, against=1, present=5, author_present=True)
    assert refusal.value.code == "too_many_votes"
    assert not Meeting.objects.exists()


def test_a_decided_proposal_cannot_be_decided_again(org):
    proposal = submitted(org.proposer_dept)
    services.proposal_reject(actor=org.head_dept, proposal=proposal, decision_date=TODAY,
                             reasons="Không khả thi")

    with pytest.raises(DomainError) as refusal:
        services.proposal_reject(actor=org.head_dept, proposal=proposal, decision_date=TODAY,
                                 reasons="Lần nữa")
    assert refusal.value.code == "already_decided"
    with pytest.raises(InvalidTransition):
        services.proposal_withdraw(actor=org.proposer_dept, proposal=proposal)


def test_documents_are_numbered_per_issuing_body_and_year_with_the_decree_30_symbol(org):
    from django.db import transaction

    from proposals.numbering import DocumentType, document_number_issue

    first, second, ward = submitted(org.proposer_dept), submitted(org.proposer_dept), submitted(org.proposer_ward)
    last_year = TODAY.replace(year=TODAY.year - 1, day=min(TODAY.day, 28))

    services.proposal_reject(actor=org.head_dept, proposal=first, decision_date=TODAY, reasons="x")
    services.proposal_reject(actor=org.head_ward, proposal=ward, decision_date=TODAY, reasons="x")
    with pytest.raises(RuntimeError), transaction.atomic():  # a document not issued after all leaves no gap
        document_number_issue(issuer=org.construction, document_type=DocumentType.DECISION, on=TODAY)
        raise RuntimeError
    org.construction.abbreviation = "XD"
    org.construction.save(update_fields=["abbreviation"])
    services.proposal_reject(actor=org.head_dept, proposal=second, decision_date=TODAY, reasons="y")

    assert [first.decision.number, ward.decision.number] == ["01/QĐ-SXD", "01/QĐ-UBND"]
    second.refresh_from_db()
    assert second.decision.number == "02/QĐ-XD"
    assert document_number_issue(issuer=org.construction, document_type=DocumentType.CONCLUSION,
                                 on=last_year) == "01/KL-XD"


def test_dates_in_the_future_are_refused(org):
    proposal = submitted(org.proposer_dept)
    tomorrow = TODAY + datetime.timedelta(days=1)

    with pytest.raises(DomainError) as refusal:
        services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number="1",
                                      document_date=tomorrow, summary="x")
    assert refusal.value.code == "date_in_future"
    with pytest.raises(DomainError) as refusal:
        services.proposal_reject(actor=org.head_dept, proposal=proposal, decision_date=tomorrow,
                                 reasons="x")
    assert refusal.value.code == "date_in_future"


def test_internal_notes_and_the_thread(org):
    proposal = submitted(org.proposer_dept)

    services.note_add(actor=org.deputy_dept, proposal=proposal, text="Cần xin ý kiến Sở Tài chính",
                      visibility=Note.Visibility.INTERNAL)
    services.note_add(actor=org.proposer_dept, proposal=proposal, text="Tôi gửi thêm số liệu",
                      visibility=Note.Visibility.THREAD)

    with pytest.raises(PermissionDenied):
        services.note_add(actor=org.proposer_dept, proposal=proposal, text="x", visibility=Note.Visibility.INTERNAL)
    with pytest.raises(PermissionDenied):
        services.note_add(actor=org.outsider, proposal=proposal, text="x", visibility=Note.Visibility.THREAD)
    assert permissions.can_read_internal_notes(org.head_dept, proposal)
    assert not permissions.can_read_internal_notes(org.proposer_dept, proposal)
    assert Note.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_members_deciding_at_once_make_exactly_one_decision(org):
    proposal = submitted(org.proposer_dept)
    party_opinion(org.head_dept, proposal)
    meeting(org.head_dept, proposal)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(kind):
        try:
            barrier.wait()
            if kind == "approve":
                services.proposal_approve(actor=org.head_dept, proposal=proposal, decision_date=TODAY)
            else:
                services.proposal_reject(actor=org.head_dept, proposal=proposal, decision_date=TODAY, reasons="Không khả thi")
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(kind,)) for kind in ("approve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already_decided", "ok"]
    assert Decision.objects.filter(proposal=proposal).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).status in {"approved", "rejected"}
