"""Creators of audit events, one per kind; services call them inside their transaction."""

from __future__ import annotations

from accounts.models import User
from proposals.models import Proposal, ProposalEvent

Kind = ProposalEvent.Kind


def record(*, proposal: Proposal, actor: User | None, kind: str, previous: str = "", details: dict | None = None) -> ProposalEvent:
    return ProposalEvent.objects.create(
        proposal=proposal, actor=actor, kind=kind,
        from_status=previous, to_status=proposal.status if previous else "",
        details=details or {},
    )


def record_many(events: list[ProposalEvent]) -> list[ProposalEvent]:
    """Unsaved events written in one insert (a scan that writes many of one kind); returned with their ids."""
    return ProposalEvent.objects.bulk_create(events) if events else []


def proposal_created(*, proposal: Proposal, actor: User) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.CREATED)


def proposal_edited(*, proposal: Proposal, actor: User, changed: list[str]) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.EDITED, details={"changed": changed})


def proposal_submitted(*, proposal: Proposal, actor: User, previous: str, version: int) -> ProposalEvent:
    kind = Kind.RESUBMITTED if version > 1 else Kind.SUBMITTED
    return record(proposal=proposal, actor=actor, kind=kind, previous=previous, details={"version": version})


def proposal_routed(*, proposal: Proposal, actor: User, rule_id: int, rule_name: str) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.ROUTED, details={
        "authority_id": proposal.deciding_authority_id, "authority": proposal.deciding_authority.name,
        "rule_id": rule_id, "rule": rule_name, "reason": proposal.routing_reason,
    })


def proposal_transferred(*, proposal: Proposal, actor: User, source_name: str, reason: str) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.TRANSFERRED, details={
        "from": source_name, "to": proposal.deciding_authority.name,
        "authority_id": proposal.deciding_authority_id, "reason": reason,
    })


def proposal_withdrawn(*, proposal: Proposal, actor: User, previous: str, reason: str) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.WITHDRAWN, previous=previous, details={"reason": reason})


def draft_deleted(*, proposal: Proposal, actor: User, attachments: int) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.DELETED, previous=proposal.status,
                  details={"attachments": attachments})


def attachment_added(*, proposal: Proposal, actor: User, name: str, attachment_id: int) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.ATTACHMENT_ADDED,
                  details={"name": name, "attachment_id": attachment_id})


def attachment_removed(*, proposal: Proposal, actor: User, name: str) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.ATTACHMENT_REMOVED, details={"name": name})


def proposal_returned(*, proposal: Proposal, actor: User, previous: str, message: str) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.RETURNED, previous=previous, details={"reason": message})


def party_opinion_recorded(*, proposal: Proposal, actor: User, opinion) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.PARTY_OPINION, details={
        "opinion_id": opinion.pk, "stage": opinion.stage, "number": opinion.document_number,
        "date": opinion.document_date.isoformat(), "summary": opinion.summary,
    })


def meeting_recorded(*, proposal: Proposal, actor: User, meeting) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.MEETING, details={
        "meeting_id": meeting.pk, "stage": meeting.stage, "date": meeting.meeting_date.isoformat(),
        "present": meeting.members_present, "for": meeting.votes_for, "against": meeting.votes_against,
        "abstain": meeting.votes_abstain, "head_vote": meeting.head_vote, "passed": meeting.passed,
    })


def proposal_decided(*, proposal: Proposal, actor: User, previous: str, decision) -> ProposalEvent:
    kind = Kind.APPROVED if decision.kind == decision.Kind.APPROVAL else Kind.REJECTED
    return record(proposal=proposal, actor=actor, kind=kind, previous=previous, details={
        "decision_id": decision.pk, "number": decision.number, "date": decision.decision_date.isoformat(),
        "basis": decision.basis, "reason": decision.reasons,
    })


def note_posted(*, proposal: Proposal, actor: User, note) -> ProposalEvent:
    return record(proposal=proposal, actor=actor, kind=Kind.COMMENTED, details={"note_id": note.pk})
