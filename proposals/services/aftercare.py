"""From approval to closure: implementation, orders, results report, evaluation, conclusion and
protection, rewards, and confidential retaliation reports (DOMAIN.md "Protection", "Encouragement")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as org
from accounts.models import User
from proposals import documents, events, outbox, permissions, workflow
from proposals.errors import DomainError
from proposals.models import (
    ConfidentialAccess,
    Conclusion,
    Evaluation,
    Implementer,
    ImplementationOrder,
    Meeting,
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
from proposals.protection import proposed_tier
from proposals.services.decisions import _lock, _require_state, _store, vote_passes
from routing import calendar

Status = workflow.Status
Kind = ProposalEvent.Kind


def _implementer_ids(proposal: Proposal) -> list[int]:
    return [proposal.author_id, *Implementer.objects.filter(proposal=proposal).values_list("user_id", flat=True)]


def _move(proposal: Proposal, target: str, *, actor: User, kind: str, details: dict, notify: list[int],
          extra_fields: tuple[str, ...] = ()) -> ProposalEvent:
    workflow.require_transition(proposal.status, target)
    previous = proposal.status
    proposal.status = target
    proposal.save(update_fields=["status", "updated_at", *extra_fields])
    event = events.record(proposal=proposal, actor=actor, kind=kind, previous=previous, details=details)
    outbox.queue(event=event, recipient_ids=notify)
    return event


def _require_text(value: str, message: str) -> str:
    if not (value or "").strip():
        raise DomainError(message)
    return value.strip()


# — implementation ——————————————————————————————————————————————————————————————————————————————


@transaction.atomic
def implementer_add(*, actor: User, proposal: Proposal, user: User) -> Implementer:
    proposal = _lock(proposal)
    if proposal.author_id != actor.pk and not permissions.serves_deciding_authority(actor, proposal):
        raise permissions.PermissionDenied()
    _require_state(proposal, Status.APPROVED, Status.IMPLEMENTING, Status.SUSPENDED)
    if user.pk == proposal.author_id:
        raise DomainError(_("Người đề xuất đã là người thực hiện."))
    if permissions.serves_deciding_authority(user, proposal):
        # They would then evaluate their own work.
        raise DomainError(_("Thành viên cơ quan quyết định không thể đồng thời là người thực hiện đề xuất."))
    implementer, created = Implementer.objects.get_or_create(proposal=proposal, user=user,
                                                             defaults={"added_by": actor})
    if created:
        permissions.grant_viewers(proposal, [user])
    return implementer


@transaction.atomic
def implementation_start(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = _lock(proposal)
    permissions.require_implementer_or_authority(actor, proposal)
    _move(proposal, Status.IMPLEMENTING, actor=actor, kind=Kind.IMPLEMENTATION_STARTED, details={},
          notify=[*permissions.decider_ids(proposal), *_implementer_ids(proposal)])
    return proposal


@transaction.atomic
def progress_post(*, actor: User, proposal: Proposal, percent: int, milestones: str = "", resources_used: str = "",
                  budget_spent: Decimal | None = None, problems: str = "",
                  document: UploadedFile | None = None) -> ProgressUpdate:
    proposal = _lock(proposal)
    permissions.require_implementer(actor, proposal)
    _require_state(proposal, Status.IMPLEMENTING, Status.SUSPENDED)
    if percent is None or not 0 <= percent <= 100:
        raise DomainError(_("Tiến độ phải từ 0 đến 100%."))
    update = ProgressUpdate(
        proposal=proposal, percent=percent, milestones=milestones.strip(), resources_used=resources_used.strip(),
        budget_spent=budget_spent, problems=problems.strip(), posted_by=actor,
        # Work reported while an order to pause stands shows that the order was not followed.
        during_suspension=proposal.status == Status.SUSPENDED,
    )
    update.document_name = _store(update.document, document)
    update.full_clean()
    update.save()
    event = events.record(proposal=proposal, actor=actor, kind=Kind.PROGRESS, details={
        "percent": percent, "during_suspension": update.during_suspension, "update_id": update.pk})
    if update.during_suspension:
        outbox.queue(event=event, recipient_ids=permissions.decider_ids(proposal))
    return update


def _order(*, actor: User, proposal: Proposal, kind: str, reasons: str, target: str, event_kind: str,
           extra_fields: tuple[str, ...] = ()) -> Proposal:
    permissions.require_can_decide(actor, proposal)
    reasons = _require_text(reasons, _("Lệnh phải nêu rõ lý do."))
    workflow.require_transition(proposal.status, target)
    order = ImplementationOrder.objects.create(proposal=proposal, kind=kind, reasons=reasons, issued_by=actor)
    _move(proposal, target, actor=actor, kind=event_kind, details={"order_id": order.pk, "reason": reasons},
          notify=_implementer_ids(proposal), extra_fields=extra_fields)
    return proposal


@transaction.atomic
def proposal_suspend(*, actor: User, proposal: Proposal, reasons: str) -> Proposal:
    proposal = _lock(proposal)
    return _order(actor=actor, proposal=proposal, kind=ImplementationOrder.Kind.SUSPEND, reasons=reasons,
                  target=Status.SUSPENDED, event_kind=Kind.SUSPENDED)


@transaction.atomic
def proposal_resume(*, actor: User, proposal: Proposal, reasons: str) -> Proposal:
    proposal = _lock(proposal)
    return _order(actor=actor, proposal=proposal, kind=ImplementationOrder.Kind.RESUME, reasons=reasons,
                  target=Status.IMPLEMENTING, event_kind=Kind.RESUMED)


@transaction.atomic
def proposal_terminate(*, actor: User, proposal: Proposal, reasons: str) -> Proposal:
    proposal = _lock(proposal)
    proposal.report_due_date = _due(timezone.localdate(), "report")
    return _order(actor=actor, proposal=proposal, kind=ImplementationOrder.Kind.TERMINATE, reasons=reasons,
                  target=Status.TERMINATED, event_kind=Kind.TERMINATED, extra_fields=("report_due_date",))


def _due(start: datetime.date, clock: str) -> datetime.date:
    return calendar.add_working_days(start, settings.CLOCK_WORKING_DAYS[clock])


@transaction.atomic
def proposal_complete(*, actor: User, proposal: Proposal) -> Proposal:
    """Completion is declared by the author or the authority; the results report is then due."""
    proposal = _lock(proposal)
    permissions.require_implementer_or_authority(actor, proposal)
    proposal.report_due_date = _due(timezone.localdate(), "report")
    _move(proposal, Status.COMPLETED, actor=actor, kind=Kind.COMPLETED,
          details={"report_due": proposal.report_due_date.isoformat()},
          notify=[*permissions.decider_ids(proposal), *_implementer_ids(proposal)], extra_fields=("report_due_date",))
    return proposal


@transaction.atomic
def results_report_file(*, actor: User, proposal: Proposal, summary: str, results_against_plan: str,
                        resources_used: str = "", document: UploadedFile | None = None) -> ResultsReport:
    proposal = _lock(proposal)
    permissions.require_implementer(actor, proposal)
    _require_state(proposal, Status.COMPLETED, Status.TERMINATED)
    report = ResultsReport(
        proposal=proposal, summary=_require_text(summary, _("Hãy tóm tắt kết quả thực hiện.")),
        results_against_plan=_require_text(results_against_plan, _("Hãy so sánh kết quả với mục tiêu.")),
        resources_used=resources_used.strip(), filed_by=actor,
    )
    report.document_name = _store(report.document, document)
    report.full_clean(exclude=["proposal"])
    report.save()
    proposal.evaluation_due_date = _due(timezone.localdate(), "evaluation")
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
    proposal = _lock(proposal)
    permissions.require_can_decide(actor, proposal)
    if permissions.is_implementer(actor, proposal):
        raise permissions.PermissionDenied(_("Người thực hiện không đánh giá kết quả công việc của mình."))
    _require_state(proposal, Status.REPORTED)
    if settings.PARTY_OPINION_REQUIRED_BEFORE_APPROVAL and not proposal.party_opinions.filter(
            stage=Stage.EVALUATION).exists():
        raise DomainError(_("Cần ghi nhận ý kiến của cấp ủy cùng cấp trước khi đánh giá."))
    if meeting_date > timezone.localdate():
        raise DomainError(_("Ngày họp không thể ở tương lai."))
    if outcome not in Outcome.values:
        raise DomainError(_("Hãy chọn kết quả đánh giá."))
    if damage_caused and not damage_description.strip():
        raise DomainError(_("Hãy mô tả thiệt hại."))
    _require_text(objective_causes, _("Hãy nêu nguyên nhân khách quan."))
    _require_text(subjective_causes, _("Hãy nêu nguyên nhân chủ quan."))
    voters = members_present - (1 if author_present else 0)
    if votes_for + votes_against + votes_abstain > voters:
        raise DomainError(_("Tổng số phiếu vượt quá số thành viên được biểu quyết (%(voters)s).")
                          % {"voters": max(voters, 0)})
    meeting = Meeting(
        proposal=proposal, stage=Stage.EVALUATION, meeting_date=meeting_date, members_present=members_present,
        author_present=author_present, votes_for=votes_for, votes_against=votes_against,
        votes_abstain=votes_abstain, head_vote=head_vote, recorded_by=actor,
        passed=vote_passes(votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                           head_vote=head_vote),
    )
    meeting.minutes_name = _store(meeting.minutes, minutes)
    meeting.full_clean()
    meeting.save()
    evaluation = Evaluation(
        proposal=proposal, meeting=meeting, outcome=outcome, damage_caused=damage_caused,
        damage_description=damage_description.strip() if damage_caused else "",
        damage_amount=damage_amount if damage_caused else None, objective_causes=objective_causes.strip(),
        subjective_causes=subjective_causes.strip(), followed_plan=followed_plan, pure_motives=pure_motives,
        common_good=common_good, recorded_by=actor,
    )
    evaluation.full_clean(exclude=["proposal", "meeting"])
    evaluation.save()
    proposal.conclusion_due_date = _due(meeting_date, "conclusion")
    _move(proposal, Status.EVALUATED, actor=actor, kind=Kind.EVALUATED, details={
        "evaluation_id": evaluation.pk, "outcome": outcome, "damage_caused": damage_caused,
        "proposed_tier": evaluation.proposed_tier, "meeting_id": meeting.pk, "passed": meeting.passed,
    }, notify=_implementer_ids(proposal), extra_fields=("conclusion_due_date",))
    return evaluation


@transaction.atomic
def proposal_conclude(*, actor: User, proposal: Proposal, conclusion_number: str, conclusion_date: datetime.date,
                      conclusion_text: str, protection_number: str, protection_date: datetime.date, tier: str,
                      tier_reasons: str = "") -> ProtectionDecision:
    """The head issues the written conclusion and the protection decision; both become PDFs."""
    proposal = _lock(proposal)
    permissions.require_head(actor, proposal)
    _require_state(proposal, Status.EVALUATED)
    evaluation = Evaluation.objects.select_related("meeting").get(proposal=proposal)
    suggested = proposed_tier(evaluation)
    if tier not in ProtectionTier.values:
        raise DomainError(_("Hãy chọn mức bảo vệ."))
    if tier != suggested and not tier_reasons.strip():
        raise DomainError(_("Mức bảo vệ khác với mức theo kết quả đánh giá (“%(tier)s”); hãy nêu lý do.")
                          % {"tier": ProtectionTier(suggested).label})
    today = timezone.localdate()
    if conclusion_date > today or protection_date > today:
        raise DomainError(_("Ngày văn bản không thể ở tương lai."))
    authority = proposal.deciding_authority
    for number in (conclusion_number, protection_number):
        if not number.strip():
            raise DomainError(_("Hãy nhập số văn bản."))
    if ProtectionDecision.objects.filter(authority=authority, number=protection_number.strip()).exists():
        raise DomainError(_("Số quyết định %(number)s đã được dùng.") % {"number": protection_number})
    conclusion = Conclusion.objects.create(
        proposal=proposal, evaluation=evaluation, number=conclusion_number.strip(), conclusion_date=conclusion_date,
        text=_require_text(conclusion_text, _("Hãy nhập nội dung kết luận.")), authority=authority, signed_by=actor,
    )
    protection = ProtectionDecision.objects.create(
        proposal=proposal, evaluation=evaluation, proposed_tier=suggested, tier=tier,
        reasons=tier_reasons.strip(), number=protection_number.strip(), decision_date=protection_date,
        authority=authority, signed_by=actor,
    )
    conclusion.document.save(f"ket-luan-{conclusion.pk}.pdf",
                             ContentFile(documents.conclusion_pdf(conclusion)), save=True)
    protection.document.save(f"bao-ve-{protection.pk}.pdf",
                             ContentFile(documents.protection_pdf(protection)), save=True)
    above = authority.authority_above()
    if above is not None:
        permissions.grant_viewers(proposal, org.authority_members_current(authority=above))
    # The history is read by everyone who sees the proposal; the protection decision is not (its readers are
    # fewer and logged), so the event names the records and nothing of their content.
    _move(proposal, Status.CONCLUDED, actor=actor, kind=Kind.CONCLUDED, details={
        "conclusion_id": conclusion.pk, "protection_id": protection.pk,
    }, notify=_implementer_ids(proposal))
    return protection


def protection_open(*, user: User, proposal: Proposal, what: str = "page") -> ProtectionDecision:
    """Read a protection decision; every opening is logged for Home Affairs."""
    protection = ProtectionDecision.objects.filter(proposal=proposal).select_related(
        "signed_by", "evaluation", "authority").first()
    if protection is None or not permissions.can_read_protection(user, proposal):
        from django.http import Http404

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
    proposal = _lock(proposal)
    permissions.require_can_decide(actor, proposal)
    _require_state(proposal, Status.CONCLUDED)
    if proposal.evaluation.outcome != Outcome.COMPLETED:
        raise DomainError(_("Chỉ đề nghị khen thưởng cho đề xuất được đánh giá hoàn thành."))
    if beneficiary.pk not in _implementer_ids(proposal):
        raise DomainError(_("Chỉ đề nghị khen thưởng cho người đề xuất hoặc người thực hiện."))
    if kind not in Reward.Kind.values:
        raise DomainError(_("Hãy chọn hình thức khen thưởng."))
    reward = Reward.objects.create(proposal=proposal, beneficiary=beneficiary, kind=kind, recommended_by=actor,
                                   description=_require_text(description, _("Hãy nêu nội dung đề nghị.")))
    event = events.record(proposal=proposal, actor=actor, kind=Kind.REWARD, details={
        "reward_id": reward.pk, "kind": kind, "beneficiary": beneficiary.get_full_name(), "result": reward.result})
    outbox.queue(event=event, recipient_ids=[beneficiary.pk])
    return reward


@transaction.atomic
def reward_settle(*, actor: User, reward: Reward, result: str, note: str = "") -> Reward:
    proposal = _lock(reward.proposal)
    permissions.require_can_decide(actor, proposal)
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if reward.result != Reward.Result.PENDING:
        raise DomainError(_("Đề nghị này đã có kết quả."))
    if result not in (Reward.Result.GRANTED, Reward.Result.REFUSED):
        raise DomainError(_("Hãy chọn kết quả."))
    reward.result, reward.result_note, reward.settled_at = result, note.strip(), timezone.now()
    reward.save(update_fields=["result", "result_note", "settled_at"])
    event = events.record(proposal=proposal, actor=actor, kind=Kind.REWARD, details={
        "reward_id": reward.pk, "kind": reward.kind, "beneficiary": reward.beneficiary.get_full_name(),
        "result": result, "reason": reward.result_note})
    outbox.queue(event=event, recipient_ids=[reward.beneficiary_id])
    return reward


@transaction.atomic
def proposal_close(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = _lock(proposal)
    permissions.require_can_decide(actor, proposal)
    if proposal.rewards.filter(result=Reward.Result.PENDING).exists():
        raise DomainError(_("Còn đề nghị khen thưởng chưa có kết quả."))
    _move(proposal, Status.CLOSED, actor=actor, kind=Kind.CLOSED, details={}, notify=_implementer_ids(proposal))
    return proposal


# — retaliation reports ————————————————————————————————————————————————————————————————————————


@transaction.atomic
def retaliation_report_file(*, actor: User, proposal: Proposal, incident_date: datetime.date, accused: str,
                            description: str) -> RetaliationReport:
    """A confidential channel to Home Affairs and the authority above the one involved (Decree 73, Art. 6)."""
    proposal = _lock(proposal)
    permissions.require_implementer(actor, proposal)
    if proposal.status == Status.DRAFT or proposal.deciding_authority_id is None:
        raise DomainError(_("Chỉ phản ánh được về đề xuất đã gửi."))
    if incident_date > timezone.localdate():
        raise DomainError(_("Ngày xảy ra không thể ở tương lai."))
    involved = proposal.deciding_authority
    receiving = involved.authority_above() or involved
    if receiving.pk == involved.pk:
        # UBND Thành phố has nothing above it: Home Affairs alone receives the report.
        from accounts.models import OrganisationUnit

        receiving = OrganisationUnit.objects.current().filter(code="so-noi-vu").first() or receiving
    if receiving.pk == involved.pk:
        raise DomainError(_("Không xác định được cơ quan tiếp nhận phản ánh; hãy liên hệ Sở Nội vụ."))
    report = RetaliationReport.objects.create(
        proposal=proposal, reporter=actor, involved_authority=involved, receiving_authority=receiving,
        incident_date=incident_date, accused=_require_text(accused, _("Hãy nêu người, bộ phận có hành vi.")),
        description=_require_text(description, _("Hãy mô tả sự việc.")),
    )
    RetaliationStep.objects.create(report=report, actor=actor, to_status=report.status)
    from proposals import confidential_notices

    confidential_notices.retaliation_filed(report=report)
    return report


@transaction.atomic
def retaliation_report_advance(*, actor: User, report: RetaliationReport, status: str, note: str = "",
                               outcome: str = "") -> RetaliationReport:
    report = RetaliationReport.objects.select_for_update().get(pk=report.pk)
    if not permissions.can_handle_retaliation_report(actor, report):
        raise permissions.PermissionDenied()
    if status not in RetaliationReport.TRANSITIONS.get(report.status, set()):
        raise DomainError(_("Không thể chuyển phản ánh từ “%(a)s” sang “%(b)s”.") % {
            "a": report.get_status_display(), "b": RetaliationReport.Status(status).label
            if status in RetaliationReport.Status.values else status})
    if status == RetaliationReport.Status.CONCLUDED:
        report.outcome = _require_text(outcome, _("Hãy nêu kết quả xử lý."))
    previous = report.status
    report.status = status
    report.save(update_fields=["status", "outcome", "updated_at"])
    RetaliationStep.objects.create(report=report, actor=actor, from_status=previous, to_status=status,
                                   note=note.strip())
    from proposals import confidential_notices

    confidential_notices.retaliation_advanced(report=report)
    return report


def retaliation_report_open(*, user: User, report_id: int) -> RetaliationReport:
    from django.http import Http404

    report = permissions.retaliation_reports_visible_to(user).filter(pk=report_id).select_related(
        "proposal", "reporter", "involved_authority", "receiving_authority").first()
    if report is None:
        raise Http404
    ConfidentialAccess.objects.create(user=user, retaliation_report=report, what="report")
    return report


def monitors_and_handlers(report: RetaliationReport) -> list[int]:
    """Who hears of a retaliation report: Home Affairs and the receiving authority, never the involved one."""
    from django.contrib.auth.models import Group

    from accounts.models import HOME_AFFAIRS_GROUP, AuthorityMembership

    involved = set(AuthorityMembership.objects.current().filter(
        authority=report.involved_authority).values_list("user_id", flat=True))
    home_affairs = Group.objects.filter(name=HOME_AFFAIRS_GROUP).values_list("user", flat=True)
    receiving = org.authority_members_current(authority=report.receiving_authority).values_list("pk", flat=True)
    return sorted({pk for pk in [*home_affairs, *receiving] if pk and pk not in involved})
