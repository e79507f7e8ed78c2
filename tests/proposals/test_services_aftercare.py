
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from proposals import permissions, services
from proposals.errors import DomainError, InvalidTransition, PermissionDenied
from proposals.models import (
    Conclusion,
    ConfidentialAccess,
    OutboxMessage,
    Proposal,
    ProposalEvent,
    ProtectionDecision,
    ProtectionTier,
    RetaliationReport,
    RetaliationStep,
    Reward,
)
from proposals.protection import proposed_tier
from routing.calendar import add_working_days
from tests.factories import MembershipFactory
from tests.helpers import FINDINGS_GOOD_FAITH, approved, evaluated, head_of, reported

TODAY = timezone.localdate()


def conclude(proposal, tier, reasons="") -> ProtectionDecision:
    services.proposal_conclude(
        actor=head_of(proposal), proposal=proposal, conclusion_date=TODAY,
        conclusion_text="Kết luận đánh giá", protection_date=TODAY,
        tier=tier, tier_reasons=reasons)
    return ProtectionDecision.objects.get(proposal=proposal)


class Findings:
    def __init__(self, outcome, damage_caused=False, followed_plan=True, pure_motives=True, common_good=True):
        self.outcome, self.damage_caused = outcome, damage_caused
        self.followed_plan, self.pure_motives, self.common_good = followed_plan, pure_motives, common_good


@pytest.mark.parametrize(("findings", "tier"), [
    (Findings("completed"), ProtectionTier.NOT_LIABLE),
    (Findings("completed", damage_caused=True), ProtectionTier.NOT_LIABLE),
    (Findings("partly"), ProtectionTier.EXCLUDED),
    (Findings("not_completed"), ProtectionTier.EXCLUDED),
    (Findings("partly", damage_caused=True), ProtectionTier.CONSIDERED),
    (Findings("not_completed", damage_caused=True), ProtectionTier.CONSIDERED),
    (Findings("completed", followed_plan=False), ProtectionTier.NOT_PROTECTED),
    (Findings("partly", pure_motives=False), ProtectionTier.NOT_PROTECTED),
    (Findings("not_completed", damage_caused=True, common_good=False), ProtectionTier.NOT_PROTECTED),
])
def test_the_protection_table_row_by_row(findings, tier):
    assert proposed_tier(findings) == tier


def test_implementation_with_progress_orders_and_completion(org):
    proposal = approved(org.proposer_dept)
    services.implementer_add(actor=org.proposer_dept, proposal=proposal, user=org.proposer_staff)
    assert permissions.can_view(org.proposer_staff, proposal)

    services.implementation_start(actor=org.proposer_dept, proposal=proposal)
    services.progress_post(actor=org.proposer_staff, proposal=proposal, percent=30, milestones="Khảo sát xong",
                           resources_used="2 người", budget_spent=10_000_000)
    services.proposal_suspend(actor=org.head_dept, proposal=proposal, reasons="Chờ ý kiến Sở Tài chính")
    ignored = services.progress_post(actor=org.proposer_dept, proposal=proposal, percent=40)
    services.proposal_resume(actor=org.head_dept, proposal=proposal, reasons="Đã có ý kiến")
    services.proposal_complete(actor=org.proposer_dept, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == "completed"
    assert proposal.report_due_date == add_working_days(TODAY, 5)
    assert ignored.during_suspension
    kinds = list(proposal.events.filter(kind__in=["suspended", "resumed", "progress"]).values_list("kind", flat=True))
    assert kinds == ["progress", "suspended", "progress", "resumed"]
    suspended = proposal.events.get(kind="suspended")
    assert set(OutboxMessage.objects.filter(event=suspended).values_list("recipient_id", flat=True)) == {
        org.proposer_dept.pk, org.proposer_staff.pk}
    during = proposal.events.filter(kind="progress").order_by("pk").last()
    assert during.details["during_suspension"] is True
    assert OutboxMessage.objects.filter(event=during).exists()


def test_progress_is_refused_above_100_percent_and_from_strangers(org):
    proposal = approved(org.proposer_dept)
    services.implementation_start(actor=org.head_dept, proposal=proposal)

    with pytest.raises(DomainError) as refusal:
        services.progress_post(actor=org.proposer_dept, proposal=proposal, percent=101)
    assert refusal.value.code == "percent_out_of_range"
    with pytest.raises(PermissionDenied):
        services.progress_post(actor=org.outsider, proposal=proposal, percent=10)
    assert not proposal.progress_updates.exists()


def test_steps_out_of_order_are_refused(org):
    proposal = approved(org.proposer_dept)

    with pytest.raises(InvalidTransition):
        services.proposal_complete(actor=org.proposer_dept, proposal=proposal)
    with pytest.raises(DomainError) as refusal:
        services.results_report_file(actor=org.proposer_dept, proposal=proposal, summary="x",
                                     results_against_plan="x")
    assert refusal.value.code == "invalid_transition"
    with pytest.raises(InvalidTransition):
        services.proposal_suspend(actor=org.head_dept, proposal=proposal, reasons="x")
    proposal.refresh_from_db()
    assert proposal.status == "approved"


def test_orders_need_reasons_and_the_authority(org):
    proposal = approved(org.proposer_dept)
    services.implementation_start(actor=org.proposer_dept, proposal=proposal)

    with pytest.raises(DomainError) as refusal:
        services.proposal_suspend(actor=org.head_dept, proposal=proposal, reasons=" ")
    assert refusal.value.code == "reasons_missing"
    with pytest.raises(PermissionDenied):
        services.proposal_suspend(actor=org.proposer_dept, proposal=proposal, reasons="Tự dừng")


def test_termination_starts_the_report_clock(org):
    proposal = approved(org.proposer_dept)
    services.implementation_start(actor=org.proposer_dept, proposal=proposal)

    services.proposal_terminate(actor=org.head_dept, proposal=proposal, reasons="Không còn phù hợp")

    proposal.refresh_from_db()
    assert proposal.status == "terminated"
    assert proposal.report_due_date == add_working_days(TODAY, 5)


def test_results_report_starts_the_evaluation_clock(org):
    proposal = reported(org.proposer_dept)

    assert proposal.status == "reported"
    assert proposal.evaluation_due_date == add_working_days(TODAY, 7)
    assert proposal.results_report.summary == "Đạt"


@pytest.mark.parametrize(("who", "code"), [("homeaffairs", "not_authority_member"), ("outsider", "not_authority_member"),
                                           ("proposer_dept", "not_authority_member")])
def test_only_the_deciding_authority_evaluates_and_the_refusal_says_why(org, who, code):
    proposal = reported(org.proposer_dept)

    with pytest.raises(DomainError) as refusal:
        services.evaluation_record(
            actor=getattr(org, who), proposal=proposal, meeting_date=TODAY, members_present=5, votes_for=5,
            votes_against=0, votes_abstain=0, head_vote="for", outcome="completed", damage_caused=False,
            objective_causes="a", subjective_causes="b", followed_plan=True, pure_motives=True, common_good=True)

    assert refusal.value.code == code
    proposal.refresh_from_db()
    assert proposal.status == "reported"


def test_evaluation_needs_the_findings_and_the_party_opinion(org):
    proposal = reported(org.proposer_dept)
    base = dict(meeting_date=TODAY, members_present=5, votes_for=5, votes_against=0, votes_abstain=0,
                head_vote="for", outcome="partly", damage_caused=True, objective_causes="a", subjective_causes="b",
                followed_plan=True, pure_motives=True, common_good=True)

    with pytest.raises(DomainError) as refusal:
        services.evaluation_record(actor=org.head_dept, proposal=proposal, **base)
    assert refusal.value.code == "party_opinion_missing"
    services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number="1",
                                  document_date=TODAY, summary="x", stage="evaluation")
    with pytest.raises(DomainError) as refusal:
        services.evaluation_record(actor=org.head_dept, proposal=proposal, **base)
    assert refusal.value.code == "damage_description_missing"
    with pytest.raises(DomainError) as refusal:
        services.evaluation_record(actor=org.head_dept, proposal=proposal,
                                   **{**base, "damage_description": "Lỗ", "objective_causes": ""})
    assert refusal.value.code == "objective_causes_missing"
    proposal.refresh_from_db()
    assert proposal.status == "reported"


def test_evaluation_then_conclusion_with_the_proposed_tier(org):
    proposal = evaluated(org.proposer_dept, outcome="partly", damage_caused=True)
    assert proposal.conclusion_due_date == add_working_days(TODAY, 3)
    assert proposal.evaluation.proposed_tier == ProtectionTier.CONSIDERED

    protection = conclude(proposal, ProtectionTier.CONSIDERED)

    proposal.refresh_from_db()
    assert proposal.status == "concluded"
    assert protection.tier == protection.proposed_tier == "considered"
    assert protection.document.read().startswith(b"%PDF")
    assert proposal.conclusion.document.read().startswith(b"%PDF")
    # the authority above can now read the proposal and its protection decision
    assert permissions.can_view(org.head_city, proposal)
    assert permissions.can_read_protection(org.head_city, proposal)


def test_a_different_tier_needs_reasons(org):
    proposal = evaluated(org.proposer_dept, outcome="partly", damage_caused=True)

    with pytest.raises(DomainError) as refusal:
        conclude(proposal, ProtectionTier.EXCLUDED)
    assert refusal.value.code == "tier_reasons_missing"
    assert not ProtectionDecision.objects.exists()
    protection = conclude(proposal, ProtectionTier.EXCLUDED, reasons="Thiệt hại do thiên tai")
    assert protection.tier == "excluded" and protection.proposed_tier == "considered"


def test_only_the_head_concludes(org):
    proposal = evaluated(org.proposer_dept)

    with pytest.raises(PermissionDenied):
        services.proposal_conclude(
            actor=org.deputy_dept, proposal=proposal, conclusion_date=TODAY,
            conclusion_text="x", protection_date=TODAY, tier="not_liable")


@pytest.mark.parametrize(("reader", "allowed"), [
    ("proposer_dept", True), ("head_dept", True), ("deputy_dept", True), ("head_city", True),
    ("homeaffairs", True), ("head_ward", False), ("outsider", False), ("proposer_staff", False),
])
def test_who_reads_a_protection_decision_and_every_read_is_logged(org, reader, allowed):
    from django.http import Http404

    proposal = evaluated(org.proposer_dept)
    conclude(proposal, ProtectionTier.NOT_LIABLE)
    user = getattr(org, reader)

    if allowed:
        services.protection_open(user=user, proposal=proposal)
        services.protection_open(user=user, proposal=proposal, what="pdf")
        assert ConfidentialAccess.objects.filter(user=user).count() == 2
    else:
        with pytest.raises(Http404):
            services.protection_open(user=user, proposal=proposal)
        assert not ConfidentialAccess.objects.filter(user=user).exists()


def test_rewards_for_completed_proposals_and_closure(org):
    proposal = evaluated(org.proposer_dept, outcome="completed")
    conclude(proposal, ProtectionTier.NOT_LIABLE)

    reward = services.reward_recommend(actor=org.head_dept, proposal=proposal, beneficiary=org.proposer_dept,
                                       kind=Reward.Kind.SALARY_STEP, description="Nâng lương trước hạn")
    with pytest.raises(DomainError) as refusal:
        services.proposal_close(actor=org.head_dept, proposal=proposal)
    assert refusal.value.code == "rewards_pending"
    services.reward_settle(actor=org.head_dept, reward=reward, result=Reward.Result.GRANTED, note="QĐ 12")
    with pytest.raises(DomainError) as refusal:
        services.reward_settle(actor=org.head_dept, reward=reward, result=Reward.Result.REFUSED)
    assert refusal.value.code == "reward_settled"
    services.proposal_close(actor=org.head_dept, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == "closed"
    assert Reward.objects.get().result == "granted"


def test_no_rewards_for_a_partly_completed_proposal(org):
    proposal = evaluated(org.proposer_dept, outcome="partly")
    conclude(proposal, ProtectionTier.EXCLUDED)

    with pytest.raises(DomainError) as refusal:
        services.reward_recommend(actor=org.head_dept, proposal=proposal, beneficiary=org.proposer_dept,
                                  kind="commendation", description="x")
    assert refusal.value.code == "not_completed"


def test_a_retaliation_report_reaches_home_affairs_and_the_authority_above_only(org):
    proposal = approved(org.proposer_dept)

    report = services.retaliation_report_file(
        actor=org.proposer_dept, proposal=proposal, incident_date=TODAY, accused="Phó phòng X",
        description="Bị gây khó khăn khi xin cấp kinh phí")

    assert report.involved_authority == org.construction
    assert report.receiving_authority == org.city
    recipients = set(OutboxMessage.objects.filter(retaliation_step__report=report).values_list(
        "recipient_id", flat=True))
    assert recipients == {org.homeaffairs.pk, org.head_city.pk}
    assert not proposal.events.filter(details__has_key="report_id").exclude(kind="reported").exists()
    visible = {u: permissions.can_read_retaliation_report(getattr(org, u), report) for u in (
        "proposer_dept", "homeaffairs", "head_city", "head_dept", "deputy_dept", "outsider", "head_ward")}
    assert visible == {"proposer_dept": True, "homeaffairs": True, "head_city": True, "head_dept": False,
                       "deputy_dept": False, "outsider": False, "head_ward": False}


def test_retaliation_handling_is_recorded_and_reading_is_logged(org):
    from django.http import Http404

    proposal = approved(org.proposer_dept)
    report = services.retaliation_report_file(actor=org.proposer_dept, proposal=proposal, incident_date=TODAY,
                                              accused="X", description="Y")

    with pytest.raises(PermissionDenied):
        services.retaliation_report_advance(actor=org.head_dept, report=report, status="examining")
    services.retaliation_report_advance(actor=org.homeaffairs, report=report, status="examining", note="Xác minh")
    with pytest.raises(DomainError) as refusal:
        services.retaliation_report_advance(actor=org.head_city, report=report, status="concluded")
    assert refusal.value.code == "outcome_missing"
    services.retaliation_report_advance(actor=org.head_city, report=report, status="concluded",
                                        outcome="Đã nhắc nhở, chấn chỉnh")
    report.refresh_from_db()
    assert report.status == "concluded"
    assert [s.to_status for s in report.steps.all()] == ["received", "examining", "concluded"]
    assert OutboxMessage.objects.filter(retaliation_step__report=report, recipient=org.proposer_dept).count() == 2

    services.retaliation_report_open(user=org.proposer_dept, report_id=report.pk)
    services.retaliation_report_open(user=org.homeaffairs, report_id=report.pk)
    with pytest.raises(Http404):
        services.retaliation_report_open(user=org.head_dept, report_id=report.pk)
    assert ConfidentialAccess.objects.filter(retaliation_report=report).count() == 2


def test_only_authors_and_implementers_report_retaliation(org):
    proposal = approved(org.proposer_dept)

    with pytest.raises(PermissionDenied):
        services.retaliation_report_file(actor=org.outsider, proposal=proposal, incident_date=TODAY, accused="X",
                                         description="Y")
    assert not RetaliationReport.objects.exists()


def test_retaliation_messages_are_handed_to_delivery_after_commit(org, django_capture_on_commit_callbacks,
                                                                   monkeypatch):
    from proposals import confidential_notices

    handed = []
    monkeypatch.setattr(confidential_notices, "enqueue_delivery", lambda ids: handed.extend(ids))
    proposal = approved(org.proposer_dept)

    with django_capture_on_commit_callbacks(execute=True):
        report = services.retaliation_report_file(actor=org.proposer_dept, proposal=proposal, incident_date=TODAY,
                                                  accused="X", description="Y")

    assert sorted(handed) == sorted(OutboxMessage.objects.filter(retaliation_step__report=report)
                                    .values_list("pk", flat=True))
    assert len(handed) == 2


def test_a_member_of_the_deciding_authority_is_never_an_implementer(org):
    proposal = approved(org.proposer_dept)

    with pytest.raises(DomainError):
        services.implementer_add(actor=org.proposer_dept, proposal=proposal, user=org.deputy_dept)
    assert not proposal.implementer_links.exists()


def test_an_implementer_who_joins_the_authority_does_not_evaluate_their_own_work(
        org, django_capture_on_commit_callbacks):
    proposal = approved(org.proposer_dept)
    services.implementer_add(actor=org.proposer_dept, proposal=proposal, user=org.proposer_staff)
    services.implementation_start(actor=org.proposer_dept, proposal=proposal)
    services.proposal_complete(actor=org.proposer_dept, proposal=proposal)
    services.results_report_file(actor=org.proposer_dept, proposal=proposal, summary="Đạt", results_against_plan="Đạt")
    services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number="CV-E",
                                  document_date=TODAY, summary="Nhất trí", stage="evaluation")
    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(user=org.proposer_staff, authority=org.construction, role="deputy", valid_from=TODAY)
    proposal = Proposal.objects.get(pk=proposal.pk)

    with pytest.raises(PermissionDenied):
        services.evaluation_record(
            actor=org.proposer_staff, proposal=proposal, meeting_date=TODAY, members_present=5, votes_for=5,
            votes_against=0, votes_abstain=0, head_vote="for", outcome="completed", damage_caused=False,
            **FINDINGS_GOOD_FAITH)


def test_the_confidential_access_log_and_the_retaliation_trail_cannot_be_changed(org):
    proposal = approved(org.proposer_dept)
    report = services.retaliation_report_file(actor=org.proposer_dept, proposal=proposal,
                                              incident_date=timezone.localdate(), accused="Phó phòng X",
                                              description="Bị gây khó khăn")
    services.retaliation_report_open(user=org.homeaffairs, report_id=report.pk)
    services.retaliation_report_advance(actor=org.homeaffairs, report=report, status="examining", note="Xác minh")
    access = ConfidentialAccess.objects.filter(retaliation_report=report).first()
    step = RetaliationStep.objects.filter(report=report).first()

    for rows, change in ((ConfidentialAccess.objects.filter(pk=access.pk), {"what": "nothing"}),
                         (RetaliationStep.objects.filter(pk=step.pk), {"note": "đã sửa"})):
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**change)
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.delete()
    assert ConfidentialAccess.objects.get(pk=access.pk).what == access.what
    assert RetaliationStep.objects.get(pk=step.pk).note == step.note


def _pdf_text(field) -> str:
    from pypdf import PdfReader

    field.open("rb")
    try:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(field).pages)
    finally:
        field.close()


def test_staff_on_the_citys_initiative_track_get_a_conclusion_and_no_protection_decision(org):
    proposal = evaluated(org.proposer_staff)
    assert not proposal.on_decree73_track

    conclusion = services.proposal_conclude(
        actor=head_of(proposal), proposal=proposal, conclusion_date=TODAY,
        conclusion_text="Hoàn thành, đề nghị khen thưởng")

    proposal.refresh_from_db()
    assert proposal.status == "concluded" and conclusion.proposal == proposal
    assert not ProtectionDecision.objects.filter(proposal=proposal).exists()
    event = ProposalEvent.objects.get(proposal=proposal, kind="concluded")
    assert event.details == {"conclusion_id": conclusion.pk}
    assert "Kế hoạch sáng kiến của Thành phố" in _pdf_text(conclusion.document)
    # the track goes on to recognition and reward
    reward = services.reward_recommend(actor=head_of(proposal), proposal=proposal, beneficiary=org.proposer_staff,
                                       kind=Reward.Kind.values[0], description="Khen thưởng sáng kiến")
    assert reward.pk


def test_a_protection_decision_for_staff_is_refused_and_nothing_is_issued(org):
    proposal = evaluated(org.proposer_staff)

    with pytest.raises(DomainError) as refusal:
        conclude(proposal, ProtectionTier.NOT_LIABLE)

    assert refusal.value.code == "protection_not_applicable"
    proposal.refresh_from_db()
    assert proposal.status == "evaluated" and not Conclusion.objects.filter(proposal=proposal).exists()


def test_decree73_documents_say_their_track(org):
    proposal = evaluated(org.proposer_dept)
    protection = conclude(proposal, ProtectionTier.NOT_LIABLE)

    text = _pdf_text(protection.proposal.conclusion.document)
    assert "thuộc phạm vi Nghị định số 73/2023/NĐ-CP" in text and "Kế hoạch sáng kiến" not in text
