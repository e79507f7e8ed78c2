"""Deciding a proposal: revision requests, the Party committee's opinion, the leadership vote, approval
(by vote or by the head alone), rejection, and the notes around them (DOMAIN.md "The procedure")."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from proposals import documents, events, outbox, permissions, workflow
from proposals.errors import DomainError
from proposals.files import checked_upload
from proposals.models import Decision, Meeting, Note, PartyOpinion, Proposal, RevisionRequest, Stage
from routing import calendar

Status = workflow.Status


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(no_key=True, of=("self",)).select_related("deciding_authority").get(
        pk=proposal.pk)


def _require_state(proposal: Proposal, *states: str) -> None:
    if proposal.status not in states:
        if proposal.status in {Status.APPROVED, Status.REJECTED}:
            raise workflow_already_decided(proposal)
        raise DomainError(_("Đề xuất đang ở trạng thái “%(status)s”; không thể thực hiện thao tác này.")
                          % {"status": proposal.get_status_display()})


def workflow_already_decided(proposal: Proposal) -> DomainError:
    error = DomainError(_("Đề xuất đã được quyết định (%(status)s); không thể quyết định lại.")
                        % {"status": proposal.get_status_display()})
    error.code = "already_decided"
    return error


def _store(field, upload: UploadedFile | None) -> str:
    if upload is None:
        return ""
    checked = checked_upload(upload)
    field.save(checked.storage_name, upload, save=False)
    return checked.name


def vote_passes(*, votes_for: int, votes_against: int, votes_abstain: int, head_vote: str) -> bool:
    """More than half of the votes cast pass it; an exact half goes the way the head voted."""
    cast = votes_for + votes_against + votes_abstain
    if cast == 0:
        return False
    if votes_for * 2 == cast:
        return head_vote == Meeting.Vote.FOR
    return votes_for * 2 > cast


@transaction.atomic
def proposal_return_for_revision(*, actor: User, proposal: Proposal, message: str) -> Proposal:
    proposal = _lock(proposal)
    permissions.require_can_decide(actor, proposal)
    _require_state(proposal, Status.SUBMITTED)
    workflow.require_transition(proposal.status, Status.RETURNED)
    if not message.strip():
        raise DomainError(_("Hãy nêu nội dung cần bổ sung."))
    previous = proposal.status
    RevisionRequest.objects.create(proposal=proposal, message=message.strip(), requested_by=actor)
    proposal.status = Status.RETURNED
    if settings.REVIEW_CLOCK_PAUSES_WHILE_RETURNED and proposal.review_due_date:
        proposal.review_days_remaining = max(
            calendar.working_days_between(timezone.localdate(), proposal.review_due_date), 0)
    proposal.save(update_fields=["status", "review_days_remaining", "updated_at"])
    event = events.proposal_returned(proposal=proposal, actor=actor, previous=previous, message=message.strip())
    outbox.queue(event=event, recipient_ids=[proposal.author_id])
    return proposal


@transaction.atomic
def party_opinion_record(*, actor: User, proposal: Proposal, document_number: str, document_date: datetime.date,
                         summary: str, document: UploadedFile | None = None,
                         stage: str = Stage.DECISION) -> PartyOpinion:
    proposal = _lock(proposal)
    permissions.require_can_decide(actor, proposal)
    # Before approval, and again before the evaluation meeting.
    _require_state(proposal, Status.SUBMITTED if stage == Stage.DECISION else Status.REPORTED)
    if document_date > timezone.localdate():
        raise DomainError(_("Ngày văn bản không thể ở tương lai."))
    opinion = PartyOpinion(proposal=proposal, stage=stage, document_number=document_number.strip(),
                           document_date=document_date, summary=summary.strip(), recorded_by=actor)
    opinion.document_name = _store(opinion.document, document)
    opinion.full_clean()
    opinion.save()
    events.party_opinion_recorded(proposal=proposal, actor=actor, opinion=opinion)
    return opinion


@transaction.atomic
def meeting_record(*, actor: User, proposal: Proposal, meeting_date: datetime.date, members_present: int,
                   votes_for: int, votes_against: int, votes_abstain: int, head_vote: str,
                   author_present: bool = False, minutes: UploadedFile | None = None,
                   stage: str = Stage.DECISION) -> Meeting:
    proposal = _lock(proposal)
    permissions.require_can_decide(actor, proposal)
    _require_state(proposal, Status.SUBMITTED)
    if meeting_date > timezone.localdate():
        raise DomainError(_("Ngày họp không thể ở tương lai."))
    voters = members_present - (1 if author_present else 0)
    if votes_for + votes_against + votes_abstain > voters:
        raise DomainError(
            _("Tổng số phiếu (%(cast)s) vượt quá số thành viên được biểu quyết (%(voters)s); người đề xuất "
              "là thành viên dự họp không biểu quyết.") % {"cast": votes_for + votes_against + votes_abstain,
                                                          "voters": max(voters, 0)})
    meeting = Meeting(
        proposal=proposal, stage=stage, meeting_date=meeting_date, members_present=members_present,
        author_present=author_present, votes_for=votes_for, votes_against=votes_against,
        votes_abstain=votes_abstain, head_vote=head_vote, recorded_by=actor,
        passed=vote_passes(votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                           head_vote=head_vote),
    )
    meeting.minutes_name = _store(meeting.minutes, minutes)
    meeting.full_clean()
    meeting.save()
    events.meeting_recorded(proposal=proposal, actor=actor, meeting=meeting)
    return meeting


def _latest_meeting(proposal: Proposal) -> Meeting | None:
    return proposal.meetings.filter(stage=Stage.DECISION).order_by("-recorded_at", "-pk").first()


def _require_party_opinion(proposal: Proposal) -> None:
    if settings.PARTY_OPINION_REQUIRED_BEFORE_APPROVAL and not proposal.party_opinions.filter(
            stage=Stage.DECISION).exists():
        raise DomainError(_("Cần ghi nhận ý kiến của cấp ủy cùng cấp trước khi phê duyệt."))


def _decide(*, actor: User, proposal: Proposal, kind: str, basis: str, number: str, decision_date: datetime.date,
            reasons: str, meeting: Meeting | None) -> Proposal:
    number = number.strip()
    if not number:
        raise DomainError(_("Hãy nhập số quyết định."))
    if decision_date > timezone.localdate():
        raise DomainError(_("Ngày quyết định không thể ở tương lai."))
    if Decision.objects.filter(authority_id=proposal.deciding_authority_id, number=number).exists():
        raise DomainError(_("Số quyết định %(number)s đã được dùng cho một đề xuất khác.") % {"number": number})
    target = Status.APPROVED if kind == Decision.Kind.APPROVAL else Status.REJECTED
    workflow.require_transition(proposal.status, target)
    previous = proposal.status
    decision = Decision(
        proposal=proposal, kind=kind, basis=basis, number=number, decision_date=decision_date,
        reasons=reasons.strip(), meeting=meeting, authority=proposal.deciding_authority, signed_by=actor,
    )
    decision.full_clean(exclude=["proposal"])
    decision.save()
    decision.document.save(f"quyet-dinh-{decision.pk}.pdf", ContentFile(documents.decision_pdf(decision)), save=True)
    proposal.status = target
    proposal.decided_at = timezone.now()
    update = ["status", "decided_at", "updated_at"]
    if kind == Decision.Kind.APPROVAL:
        # The approved plan is frozen: its foreseen risks count toward protection later.
        proposal.approval_basis = basis
        proposal.approved_version = proposal.current_version
        proposal.implementation_start = proposal.start_date
        proposal.implementation_end = proposal.end_date
        update += ["approval_basis", "approved_version", "implementation_start", "implementation_end"]
    proposal.save(update_fields=update)
    event = events.proposal_decided(proposal=proposal, actor=actor, previous=previous, decision=decision)
    outbox.queue(event=event, recipient_ids=[proposal.author_id, *permissions.decider_ids(proposal)])
    return proposal


@transaction.atomic
def proposal_approve(*, actor: User, proposal: Proposal, number: str, decision_date: datetime.date,
                     reasons: str = "") -> Proposal:
    """Approve after a leadership vote that passed."""
    proposal = _lock(proposal)
    permissions.require_head(actor, proposal)
    _require_state(proposal, Status.SUBMITTED)
    _require_party_opinion(proposal)
    meeting = _latest_meeting(proposal)
    if meeting is None or not meeting.passed:
        raise DomainError(_("Chỉ phê duyệt theo biểu quyết khi cuộc họp tập thể lãnh đạo gần nhất đã thông qua."))
    return _decide(actor=actor, proposal=proposal, kind=Decision.Kind.APPROVAL, basis=Proposal.ApprovalBasis.VOTE,
                   number=number, decision_date=decision_date, reasons=reasons, meeting=meeting)


@transaction.atomic
def proposal_approve_by_head(*, actor: User, proposal: Proposal, number: str, decision_date: datetime.date,
                             justification: str) -> Proposal:
    """When the vote fails the head may still approve, in writing, and answers for it."""
    proposal = _lock(proposal)
    permissions.require_head(actor, proposal)
    _require_state(proposal, Status.SUBMITTED)
    _require_party_opinion(proposal)
    meeting = _latest_meeting(proposal)
    if meeting is None or meeting.passed:
        raise DomainError(_("Người đứng đầu chỉ tự quyết định phê duyệt khi tập thể lãnh đạo biểu quyết không thông qua."))
    if not justification.strip():
        raise DomainError(_("Hãy nêu lý do người đứng đầu quyết định phê duyệt."))
    return _decide(actor=actor, proposal=proposal, kind=Decision.Kind.APPROVAL, basis=Proposal.ApprovalBasis.HEAD,
                   number=number, decision_date=decision_date, reasons=justification, meeting=meeting)


@transaction.atomic
def proposal_reject(*, actor: User, proposal: Proposal, number: str, decision_date: datetime.date,
                    reasons: str) -> Proposal:
    proposal = _lock(proposal)
    permissions.require_head(actor, proposal)
    _require_state(proposal, Status.SUBMITTED)
    if not reasons.strip():
        raise DomainError(_("Quyết định không phê duyệt phải nêu rõ lý do."))
    return _decide(actor=actor, proposal=proposal, kind=Decision.Kind.REJECTION, basis="", number=number,
                   decision_date=decision_date, reasons=reasons, meeting=_latest_meeting(proposal))


@transaction.atomic
def note_add(*, actor: User, proposal: Proposal, text: str, visibility: str) -> Note:
    proposal = _lock(proposal)
    allowed = (permissions.can_read_internal_notes(actor, proposal) if visibility == Note.Visibility.INTERNAL
               else permissions.can_join_thread(actor, proposal))
    if not allowed:
        raise permissions.PermissionDenied()
    if not text.strip():
        raise DomainError(_("Nội dung không được để trống."))
    note = Note.objects.create(proposal=proposal, visibility=visibility, author=actor, text=text.strip())
    if visibility == Note.Visibility.THREAD:
        event = events.note_posted(proposal=proposal, actor=actor, note=note)
        outbox.queue(event=event, recipient_ids=[proposal.author_id, *permissions.decider_ids(proposal)])
    return note
