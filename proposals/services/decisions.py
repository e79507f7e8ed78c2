"""Deciding a proposal: revision requests, the Party committee's opinion, the leadership vote, approval
(by vote or by the head alone), rejection, and the notes around them (DOMAIN.md "The procedure").

Each function locks the proposal, runs its action's guard (proposals.actions: role, state, conditions),
checks its input, saves, writes the audit event and queues messages through the outbox, in one transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from proposals import actions, documents, events, outbox, permissions
from proposals.locks import proposal_lock
from proposals.models import Decision, Meeting, Note, PartyOpinion, Proposal, RevisionRequest, Stage
from proposals.numbering import DocumentType, document_number_issue
from proposals.services.common import meeting_create, require_not_future, require_text, store_upload
from proposals.workflow import Status
from routing import calendar


@transaction.atomic
def proposal_return_for_revision(*, actor: User, proposal: Proposal, message: str) -> Proposal:
    proposal = proposal_lock(proposal)
    actions.require("return", actor=actor, proposal=proposal)
    message = require_text(message, _("Hãy nêu nội dung cần bổ sung."), code="message_missing")
    previous = proposal.status
    RevisionRequest.objects.create(proposal=proposal, message=message, requested_by=actor)
    proposal.status = Status.RETURNED
    if settings.REVIEW_CLOCK_PAUSES_WHILE_RETURNED and proposal.review_due_date:
        proposal.review_days_remaining = max(
            calendar.working_days_between(timezone.localdate(), proposal.review_due_date), 0)
    proposal.save(update_fields=["status", "review_days_remaining", "updated_at"])
    event = events.proposal_returned(proposal=proposal, actor=actor, previous=previous, message=message)
    outbox.queue(event=event, recipient_ids=[proposal.author_id])
    return proposal


@transaction.atomic
def party_opinion_record(*, actor: User, proposal: Proposal, document_number: str, document_date: datetime.date,
                         summary: str, document: UploadedFile | None = None,
                         stage: str = Stage.DECISION) -> PartyOpinion:
    """The Party committee's opinion: before approval, and again before the evaluation meeting."""
    proposal = proposal_lock(proposal)
    actions.require("party_opinion" if stage == Stage.DECISION else "evaluation_opinion",
                    actor=actor, proposal=proposal)
    require_not_future(document_date, _("Ngày văn bản không thể ở tương lai."))
    opinion = PartyOpinion(proposal=proposal, stage=stage, document_number=document_number.strip(),
                           document_date=document_date, summary=summary.strip(), recorded_by=actor)
    opinion.document_name = store_upload(opinion.document, document)
    opinion.full_clean()
    opinion.save()
    events.party_opinion_recorded(proposal=proposal, actor=actor, opinion=opinion)
    return opinion


@transaction.atomic
def meeting_record(*, actor: User, proposal: Proposal, meeting_date: datetime.date, members_present: int,
                   votes_for: int, votes_against: int, votes_abstain: int, head_vote: str,
                   author_present: bool = False, minutes: UploadedFile | None = None) -> Meeting:
    """The leadership's meeting and vote on the proposal (the evaluation meeting is `evaluation_record`'s)."""
    proposal = proposal_lock(proposal)
    actions.require("meeting", actor=actor, proposal=proposal)
    meeting = meeting_create(
        actor=actor, proposal=proposal, stage=Stage.DECISION, meeting_date=meeting_date,
        members_present=members_present, votes_for=votes_for, votes_against=votes_against,
        votes_abstain=votes_abstain, head_vote=head_vote, author_present=author_present, minutes=minutes)
    events.meeting_recorded(proposal=proposal, actor=actor, meeting=meeting)
    return meeting


def decision_date_check(decision_date: datetime.date) -> None:
    """Also checked before the decision is shown to be signed (selectors.documents_to_issue)."""
    require_not_future(decision_date, _("Ngày quyết định không thể ở tương lai."))


def _decide(*, actor: User, proposal: Proposal, kind: str, basis: str, decision_date: datetime.date,
            reasons: str, meeting: Meeting | None) -> Proposal:
    decision_date_check(decision_date)
    number = document_number_issue(issuer=proposal.deciding_authority, document_type=DocumentType.DECISION,
                                   on=decision_date)
    previous = proposal.status
    decision = Decision(
        proposal=proposal, kind=kind, basis=basis, number=number, decision_date=decision_date,
        reasons=reasons.strip(), meeting=meeting, authority=proposal.deciding_authority, signed_by=actor,
    )
    decision.full_clean(exclude=["proposal"])
    decision.save()
    decision.document.save(f"quyet-dinh-{decision.pk}.pdf", ContentFile(documents.decision_pdf(decision)), save=True)
    proposal.status = Status.APPROVED if kind == Decision.Kind.APPROVAL else Status.REJECTED
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
def proposal_approve(*, actor: User, proposal: Proposal, decision_date: datetime.date, reasons: str = "") -> Proposal:
    """Approve after a leadership vote that passed."""
    proposal = proposal_lock(proposal)
    facts = actions.Facts(proposal)
    actions.require("approve", actor=actor, proposal=proposal, facts=facts)
    return _decide(actor=actor, proposal=proposal, kind=Decision.Kind.APPROVAL, basis=Proposal.ApprovalBasis.VOTE,
                   decision_date=decision_date, reasons=reasons,
                   meeting=facts.latest_decision_meeting)


@transaction.atomic
def proposal_approve_by_head(*, actor: User, proposal: Proposal, decision_date: datetime.date,
                             justification: str) -> Proposal:
    """When the vote fails the head may still approve, in writing, and answers for it."""
    proposal = proposal_lock(proposal)
    facts = actions.Facts(proposal)
    actions.require("approve_by_head", actor=actor, proposal=proposal, facts=facts)
    justification = require_text(justification, _("Hãy nêu lý do người đứng đầu quyết định phê duyệt."),
                                  code="reasons_missing")
    return _decide(actor=actor, proposal=proposal, kind=Decision.Kind.APPROVAL, basis=Proposal.ApprovalBasis.HEAD,
                   decision_date=decision_date, reasons=justification,
                   meeting=facts.latest_decision_meeting)


@transaction.atomic
def proposal_reject(*, actor: User, proposal: Proposal, decision_date: datetime.date, reasons: str) -> Proposal:
    proposal = proposal_lock(proposal)
    facts = actions.Facts(proposal)
    actions.require("reject", actor=actor, proposal=proposal, facts=facts)
    reasons = require_text(reasons, _("Quyết định không phê duyệt phải nêu rõ lý do."), code="reasons_missing")
    return _decide(actor=actor, proposal=proposal, kind=Decision.Kind.REJECTION, basis="",
                   decision_date=decision_date, reasons=reasons, meeting=facts.latest_decision_meeting)


@transaction.atomic
def note_add(*, actor: User, proposal: Proposal, text: str, visibility: str) -> Note:
    proposal = proposal_lock(proposal)
    internal = visibility == Note.Visibility.INTERNAL
    actions.require("internal_note" if internal else "comment", actor=actor, proposal=proposal)
    text = require_text(text, _("Nội dung không được để trống."), code="text_missing")
    note = Note.objects.create(proposal=proposal, visibility=visibility, author=actor, text=text)
    if not internal:
        event = events.note_posted(proposal=proposal, actor=actor, note=note)
        outbox.queue(event=event, recipient_ids=[proposal.author_id, *permissions.decider_ids(proposal)])
    return note
