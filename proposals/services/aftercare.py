"""From approval to closure: implementation, orders, results report, evaluation, conclusion and
protection, rewards, and confidential retaliation reports (DOMAIN.md "Protection", "Encouragement")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as org
from accounts.models import OrganisationUnit, User
from proposals import actions, confidential_notices, documents, events, outbox, permissions
from proposals.clocks import CLOCK_BY_NAME
from proposals.errors import DomainError, PermissionDenied
from proposals.locks import proposal_lock
from proposals.models import (
    Conclusion,
    ConfidentialAccess,
    Evaluation,
    ImplementationOrder,
    Implementer,
    Outcome,
    ProgressUpdate,
    Proposal,
    ProposalEvent,
    ProtectionDecision,
    ProtectionTier,
    ResultsReport,
    RetaliationReport,
    RetaliationStep,
    Reward,
    Stage,
)
from proposals.numbering import DocumentType, document_number_issue
from proposals.protection import proposed_tier
from proposals.services.common import meeting_create, require_not_future, require_text, store_upload
from proposals.workflow import Status

Kind = ProposalEvent.Kind


def _implementer_ids(proposal: Proposal) -> list[int]:
    return [proposal.author_id, *Implementer.objects.filter(proposal=proposal).values_list("user_id", flat=True)]


def _move(proposal: Proposal, target: str, *, actor: User, kind: str, details: dict, notify: list[int],
          extra_fields: tuple[str, ...] = ()) -> ProposalEvent:
    """Save the new state (the caller has run the action's guard), write the event, queue the messages."""
    previous = proposal.status
    proposal.status = target
    proposal.save(update_fields=["status", "updated_at", *extra_fields])
    event = events.record(proposal=proposal, actor=actor, kind=kind, previous=previous, details=details)
    outbox.queue(event=event, recipient_ids=notify)
    return event



# — implementation ——————————————————————————————————————————————————————————————————————————————


@transaction.atomic
def implementer_add(*, actor: User, proposal: Proposal, user: User) -> Implementer:
    proposal = proposal_lock(proposal)
    actions.require("implementer", actor=actor, proposal=proposal)
    if user.pk == proposal.author_id:
        raise DomainError(_("Người đề xuất đã là người thực hiện."), code="already_implementer")
    if permissions.serves_deciding_authority(user, proposal):
        # They would then evaluate their own work.
        raise DomainError(_("Thành viên cơ quan quyết định không thể đồng thời là người thực hiện đề xuất."),
                          code="decider_cannot_implement")
    implementer, created = Implementer.objects.get_or_create(proposal=proposal, user=user,
                                                             defaults={"added_by": actor})
    if created:
        permissions.grant_viewers(proposal, [user])
    return implementer


@transaction.atomic
def implementation_start(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = proposal_lock(proposal)
    actions.require("start", actor=actor, proposal=proposal)
    _move(proposal, Status.IMPLEMENTING, actor=actor, kind=Kind.IMPLEMENTATION_STARTED, details={},
          notify=[*permissions.decider_ids(proposal), *_implementer_ids(proposal)])
    return proposal


@transaction.atomic
def progress_post(*, actor: User, proposal: Proposal, percent: int, milestones: str = "", resources_used: str = "",
                  budget_spent: Decimal | None = None, problems: str = "",
                  document: UploadedFile | None = None) -> ProgressUpdate:
    proposal = proposal_lock(proposal)
    actions.require("progress", actor=actor, proposal=proposal)
    if percent is None or not 0 <= percent <= 100:
        raise DomainError(_("Tiến độ phải từ 0 đến 100%."), code="percent_out_of_range")
    update = ProgressUpdate(
        proposal=proposal, percent=percent, milestones=milestones.strip(), resources_used=resources_used.strip(),
        budget_spent=budget_spent, problems=problems.strip(), posted_by=actor,
        # Work reported while an order to pause stands shows that the order was not followed.
        during_suspension=proposal.status == Status.SUSPENDED,
    )
    update.document_name = store_upload(update.document, document)
    update.full_clean()
    update.save()
    event = events.record(proposal=proposal, actor=actor, kind=Kind.PROGRESS, details={
        "percent": percent, "during_suspension": update.during_suspension, "update_id": update.pk})
    if update.during_suspension:
        outbox.queue(event=event, recipient_ids=permissions.decider_ids(proposal))
    return update


def _order(*, actor: User, proposal: Proposal, action: str, kind: str, reasons: str, target: str, event_kind: str,
           extra_fields: tuple[str, ...] = ()) -> Proposal:
    """An order of the deciding authority during implementation: pause, resume or stop."""
    actions.require(action, actor=actor, proposal=proposal)
    reasons = require_text(reasons, _("Lệnh phải nêu rõ lý do."), code="reasons_missing")
    order = ImplementationOrder.objects.create(proposal=proposal, kind=kind, reasons=reasons, issued_by=actor)
    _move(proposal, target, actor=actor, kind=event_kind, details={"order_id": order.pk, "reason": reasons},
          notify=_implementer_ids(proposal), extra_fields=extra_fields)
    return proposal


@transaction.atomic
def proposal_suspend(*, actor: User, proposal: Proposal, reasons: str) -> Proposal:
    proposal = proposal_lock(proposal)
    return _order(actor=actor, proposal=proposal, action="suspend", kind=ImplementationOrder.Kind.SUSPEND,
                  reasons=reasons, target=Status.SUSPENDED, event_kind=Kind.SUSPENDED)


@transaction.atomic
def proposal_resume(*, actor: User, proposal: Proposal, reasons: str) -> Proposal:
    proposal = proposal_lock(proposal)
    return _order(actor=actor, proposal=proposal, action="resume", kind=ImplementationOrder.Kind.RESUME,
                  reasons=reasons, target=Status.IMPLEMENTING, event_kind=Kind.RESUMED)


@transaction.atomic
def proposal_terminate(*, actor: User, proposal: Proposal, reasons: str) -> Proposal:
    proposal = proposal_lock(proposal)
    proposal.report_due_date = CLOCK_BY_NAME["report"].due_from(timezone.localdate())
    return _order(actor=actor, proposal=proposal, action="terminate", kind=ImplementationOrder.Kind.TERMINATE,
                  reasons=reasons, target=Status.TERMINATED, event_kind=Kind.TERMINATED,
                  extra_fields=("report_due_date",))


@transaction.atomic
def proposal_complete(*, actor: User, proposal: Proposal) -> Proposal:
    """Completion is declared by the author or the authority; the results report is then due."""
    proposal = proposal_lock(proposal)
    actions.require("complete", actor=actor, proposal=proposal)
    proposal.report_due_date = CLOCK_BY_NAME["report"].due_from(timezone.localdate())
    _move(proposal, Status.COMPLETED, actor=actor, kind=Kind.COMPLETED,
          details={"report_due": proposal.report_due_date.isoformat()},
          notify=[*permissions.decider_ids(proposal), *_implementer_ids(proposal)], extra_fields=("report_due_date",))
    return proposal


@transaction.atomic
def results_report_file(*, actor: User, proposal: Proposal, summary: str, results_against_plan: str,
                        resources_used: str = "", document: UploadedFile | None = None) -> ResultsReport:
    proposal = proposal_lock(proposal)
    actions.require("results_report", actor=actor, proposal=proposal)
    report = ResultsReport(
        proposal=proposal,
        summary=require_text(summary, _("Hãy tóm tắt kết quả thực hiện."), code="summary_missing"),
        results_against_plan=require_text(results_against_plan, _("Hãy so sánh kết quả với mục tiêu."),
                                          code="comparison_missing"),
        resources_used=resources_used.strip(), filed_by=actor,
    )
    report.document_name = store_upload(report.document, document)
    report.full_clean(exclude=["proposal"])
    report.save()
    proposal.evaluation_due_date = CLOCK_BY_NAME["evaluation"].due_from(timezone.localdate())
    _move(proposal, Status.REPORTED, actor=actor, kind=Kind.REPORTED,
          details={"report_id": report.pk, "on_time": timezone.localdate() <= proposal.report_due_date
                   if proposal.report_due_date else True},
          notify=permissions.decider_ids(proposal), extra_fields=("evaluation_due_date",))
    return report


# — evaluation, conclusion, protection ————————————————————————————————————————————————————————————


@transaction.atomic
def evaluation_record(*, actor: User, proposal: Proposal, meeting_date: datetime.date, members_present: int,
                      votes_for: int, votes_against: int, votes_abstain: int, head_vote: str, outcome: str,
                      damage_caused: bool, objective_causes: str, subjective_causes: str, followed_plan: bool,
                      pure_motives: bool, common_good: bool, damage_description: str = "",
                      damage_amount: Decimal | None = None, author_present: bool = False,
                      minutes: UploadedFile | None = None) -> Evaluation:
    """The evaluation meeting and its findings, recorded together."""
    proposal = proposal_lock(proposal)
    actions.require("evaluation", actor=actor, proposal=proposal)
    if outcome not in Outcome.values:
        raise DomainError(_("Hãy chọn kết quả đánh giá."), code="outcome_missing")
    if damage_caused and not damage_description.strip():
        raise DomainError(_("Hãy mô tả thiệt hại."), code="damage_description_missing")
    require_text(objective_causes, _("Hãy nêu nguyên nhân khách quan."), code="objective_causes_missing")
    require_text(subjective_causes, _("Hãy nêu nguyên nhân chủ quan."), code="subjective_causes_missing")
    meeting = meeting_create(
        actor=actor, proposal=proposal, stage=Stage.EVALUATION, meeting_date=meeting_date,
        members_present=members_present, votes_for=votes_for, votes_against=votes_against,
        votes_abstain=votes_abstain, head_vote=head_vote, author_present=author_present, minutes=minutes)
    evaluation = Evaluation(
        proposal=proposal, meeting=meeting, outcome=outcome, damage_caused=damage_caused,
        damage_description=damage_description.strip() if damage_caused else "",
        damage_amount=damage_amount if damage_caused else None, objective_causes=objective_causes.strip(),
        subjective_causes=subjective_causes.strip(), followed_plan=followed_plan, pure_motives=pure_motives,
        common_good=common_good, recorded_by=actor,
    )
    evaluation.full_clean(exclude=["proposal", "meeting"])
    evaluation.save()
    proposal.conclusion_due_date = CLOCK_BY_NAME["conclusion"].due_from(meeting_date)
    _move(proposal, Status.EVALUATED, actor=actor, kind=Kind.EVALUATED, details={
        "evaluation_id": evaluation.pk, "outcome": outcome, "damage_caused": damage_caused,
        "proposed_tier": evaluation.proposed_tier, "meeting_id": meeting.pk, "passed": meeting.passed,
    }, notify=_implementer_ids(proposal), extra_fields=("conclusion_due_date",))
    return evaluation


@transaction.atomic
def proposal_conclude(*, actor: User, proposal: Proposal, conclusion_date: datetime.date, conclusion_text: str,
                      protection_date: datetime.date | None = None, tier: str = "",
                      tier_reasons: str = "") -> Conclusion:
    """The head issues the written conclusion and, on the Decree 73 track, the protection decision (Art. 11); each
    becomes a PDF. An author who is not a Decree 73 subject (the City's initiative track: ordinary staff) receives
    no protection decision: that track ends with the conclusion, then recognition and reward."""
    proposal = proposal_lock(proposal)
    actions.require("conclude", actor=actor, proposal=proposal)
    evaluation = Evaluation.objects.select_related("meeting").get(proposal=proposal)
    protected = proposal.on_decree73_track
    suggested = conclusion_check(proposal=proposal, evaluation=evaluation, conclusion_date=conclusion_date,
                                 protection_date=protection_date, tier=tier, tier_reasons=tier_reasons)
    authority = proposal.deciding_authority
    text = require_text(conclusion_text, _("Hãy nhập nội dung kết luận."), code="conclusion_text_missing")
    conclusion = Conclusion.objects.create(
        proposal=proposal, evaluation=evaluation, conclusion_date=conclusion_date, text=text, authority=authority,
        signed_by=actor, number=document_number_issue(issuer=authority, document_type=DocumentType.CONCLUSION,
                                                      on=conclusion_date),
    )
    conclusion.document.save(f"ket-luan-{conclusion.pk}.pdf",
                             ContentFile(documents.conclusion_pdf(conclusion)), save=True)
    details = {"conclusion_id": conclusion.pk}
    if protected:
        protection = ProtectionDecision.objects.create(
            proposal=proposal, evaluation=evaluation, proposed_tier=suggested, tier=tier,
            reasons=tier_reasons.strip(), decision_date=protection_date,
            number=document_number_issue(issuer=authority, document_type=DocumentType.DECISION, on=protection_date),
            authority=authority, signed_by=actor,
        )
        protection.document.save(f"bao-ve-{protection.pk}.pdf",
                                 ContentFile(documents.protection_pdf(protection)), save=True)
        above = authority.authority_above()
        if above is not None:
            permissions.grant_viewers(proposal, org.authority_members_current(authority=above))
        details["protection_id"] = protection.pk
    # The history is read by everyone who sees the proposal; the protection decision is not (its readers are
    # fewer and logged), so the event names the records and nothing of their content.
    _move(proposal, Status.CONCLUDED, actor=actor, kind=Kind.CONCLUDED, details=details,
          notify=_implementer_ids(proposal))
    return conclusion


def conclusion_check(*, proposal: Proposal, evaluation: Evaluation, conclusion_date: datetime.date,
                     protection_date: datetime.date | None, tier: str, tier_reasons: str) -> str | None:
    """What a conclusion must satisfy before it is issued (also checked before its documents are shown to be
    signed: selectors.documents_to_issue); returns the tier the evaluation suggests, on the Decree 73 track."""
    suggested = None
    if proposal.on_decree73_track:
        suggested = proposed_tier(evaluation)
        if tier not in ProtectionTier.values:
            raise DomainError(_("Hãy chọn mức bảo vệ."), code="tier_missing")
        if tier != suggested and not tier_reasons.strip():
            raise DomainError(_("Mức bảo vệ khác với mức theo kết quả đánh giá (“%(tier)s”); hãy nêu lý do.")
                              % {"tier": ProtectionTier(suggested).label}, code="tier_reasons_missing")
        if protection_date is None:
            raise DomainError(_("Hãy nhập ngày quyết định bảo vệ."), code="protection_date_missing")
    elif tier or protection_date is not None:
        raise DomainError(_("Người đề xuất không thuộc đối tượng của Nghị định 73/2023/NĐ-CP (Kế hoạch sáng kiến "
                            "của Thành phố): không ban hành quyết định bảo vệ theo Điều 11."),
                          code="protection_not_applicable")
    require_not_future(max(filter(None, (conclusion_date, protection_date))),
                       _("Ngày văn bản không thể ở tương lai."))
    return suggested


def protection_open(*, user: User, proposal: Proposal, what: str = "page") -> ProtectionDecision:
    """Read a protection decision; every opening is logged for Home Affairs."""
    protection = ProtectionDecision.objects.filter(proposal=proposal).select_related(
        "signed_by", "evaluation", "authority").first()
    if protection is None or not permissions.can_read_protection(user, proposal):
        raise Http404
    ConfidentialAccess.objects.create(user=user, protection=protection, what=what)
    return protection


def protections_shown(*, user: User, protections, what: str) -> None:
    """Log protection decisions shown inside another page (an official's record) like an opening."""
    ConfidentialAccess.objects.bulk_create(
        [ConfidentialAccess(user=user, protection=protection, what=what) for protection in protections])


# — encouragement and closure ——————————————————————————————————————————————————————————————————


@transaction.atomic
def reward_recommend(*, actor: User, proposal: Proposal, beneficiary: User, kind: str, description: str) -> Reward:
    proposal = proposal_lock(proposal)
    actions.require("reward", actor=actor, proposal=proposal)
    if beneficiary.pk not in _implementer_ids(proposal):
        raise DomainError(_("Chỉ đề nghị khen thưởng cho người đề xuất hoặc người thực hiện."),
                          code="beneficiary_not_implementer")
    if kind not in Reward.Kind.values:
        raise DomainError(_("Hãy chọn hình thức khen thưởng."), code="reward_kind_missing")
    reward = Reward.objects.create(
        proposal=proposal, beneficiary=beneficiary, kind=kind, recommended_by=actor,
        description=require_text(description, _("Hãy nêu nội dung đề nghị."), code="description_missing"))
    event = events.record(proposal=proposal, actor=actor, kind=Kind.REWARD, details={
        "reward_id": reward.pk, "kind": kind, "beneficiary": beneficiary.get_full_name(), "result": reward.result})
    outbox.queue(event=event, recipient_ids=[beneficiary.pk])
    return reward


@transaction.atomic
def reward_settle(*, actor: User, reward: Reward, result: str, note: str = "") -> Reward:
    proposal = proposal_lock(reward.proposal_id)
    actions.require("reward_settle", actor=actor, proposal=proposal)
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if reward.result != Reward.Result.PENDING:
        raise DomainError(_("Đề nghị này đã có kết quả."), code="reward_settled")
    if result not in (Reward.Result.GRANTED, Reward.Result.REFUSED):
        raise DomainError(_("Hãy chọn kết quả."), code="result_missing")
    reward.result, reward.result_note, reward.settled_at = result, note.strip(), timezone.now()
    reward.save(update_fields=["result", "result_note", "settled_at"])
    event = events.record(proposal=proposal, actor=actor, kind=Kind.REWARD, details={
        "reward_id": reward.pk, "kind": reward.kind, "beneficiary": reward.beneficiary.get_full_name(),
        "result": result, "reason": reward.result_note})
    outbox.queue(event=event, recipient_ids=[reward.beneficiary_id])
    return reward


@transaction.atomic
def proposal_close(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = proposal_lock(proposal)
    actions.require("close", actor=actor, proposal=proposal)
    _move(proposal, Status.CLOSED, actor=actor, kind=Kind.CLOSED, details={}, notify=_implementer_ids(proposal))
    return proposal


# — retaliation reports ————————————————————————————————————————————————————————————————————————


@transaction.atomic
def retaliation_report_file(*, actor: User, proposal: Proposal, incident_date: datetime.date, accused: str,
                            description: str) -> RetaliationReport:
    """A confidential channel to Home Affairs and the authority above the one involved (Decree 73, Art. 6)."""
    proposal = proposal_lock(proposal)
    actions.require("retaliation_new", actor=actor, proposal=proposal)
    require_not_future(incident_date, _("Ngày xảy ra không thể ở tương lai."))
    involved = proposal.deciding_authority
    receiving = involved.authority_above() or involved
    if receiving.pk == involved.pk:
        # UBND Thành phố has nothing above it: Home Affairs alone receives the report.
        receiving = OrganisationUnit.objects.current().filter(code="so-noi-vu").first() or receiving
    if receiving.pk == involved.pk:
        raise DomainError(_("Không xác định được cơ quan tiếp nhận phản ánh; hãy liên hệ Sở Nội vụ."),
                          code="no_receiving_authority")
    report = RetaliationReport.objects.create(
        proposal=proposal, reporter=actor, involved_authority=involved, receiving_authority=receiving,
        incident_date=incident_date,
        accused=require_text(accused, _("Hãy nêu người, bộ phận có hành vi."), code="accused_missing"),
        description=require_text(description, _("Hãy mô tả sự việc."), code="description_missing"),
    )
    RetaliationStep.objects.create(report=report, actor=actor, to_status=report.status)
    confidential_notices.retaliation_filed(report=report)
    return report


@transaction.atomic
def retaliation_report_advance(*, actor: User, report: RetaliationReport, status: str, note: str = "",
                               outcome: str = "") -> RetaliationReport:
    report = RetaliationReport.objects.select_for_update().get(pk=report.pk)
    if not permissions.can_handle_retaliation_report(actor, report):
        raise PermissionDenied()
    if status not in RetaliationReport.TRANSITIONS.get(report.status, set()):
        raise DomainError(_("Không thể chuyển phản ánh từ “%(a)s” sang “%(b)s”.") % {
            "a": report.get_status_display(), "b": RetaliationReport.Status(status).label
            if status in RetaliationReport.Status.values else status}, code="invalid_transition")
    if status == RetaliationReport.Status.CONCLUDED:
        report.outcome = require_text(outcome, _("Hãy nêu kết quả xử lý."), code="outcome_missing")
    previous = report.status
    report.status = status
    report.save(update_fields=["status", "outcome", "updated_at"])
    RetaliationStep.objects.create(report=report, actor=actor, from_status=previous, to_status=status,
                                   note=note.strip())
    confidential_notices.retaliation_advanced(report=report)
    return report


def retaliation_report_open(*, user: User, report_id: int) -> RetaliationReport:
    report = permissions.retaliation_reports_visible_to(user).filter(pk=report_id).select_related(
        "proposal", "reporter", "involved_authority", "receiving_authority").first()
    if report is None:
        raise Http404
    ConfidentialAccess.objects.create(user=user, retaliation_report=report, what="report")
    return report
