"""Build a known set of proposals through the real services, some of them submitted in the past; deliver the
outbox as the worker would."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import itertools

from django.utils import timezone

from notifications.services import outbox_message_deliver
from proposals import services
from proposals.models import OutboxMessage
from tests.proposals.helpers import draft, submitted

_numbers = itertools.count(1)


def deliver_outbox() -> int:
    """Deliver every waiting outbox message with the real delivery service, as the worker would; returns how many."""
    pending = OutboxMessage.objects.filter(delivered_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    return sum(outbox_message_deliver(message_id=pk) is not None for pk in list(pending))


@contextlib.contextmanager
def days_ago(monkeypatch, days: int):
    """Run services as if it were `days` days ago (every clock reads django.utils.timezone.now)."""
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - datetime.timedelta(days=days))
    try:
        yield
    finally:
        monkeypatch.setattr(timezone, "now", real_now)


def _prepare(member, proposal, *, passed: bool):
    today = timezone.localdate()
    services.party_opinion_record(actor=member, proposal=proposal, document_number=f"{next(_numbers)}-CV/ĐU",
                                  document_date=today, summary="Đảng ủy nhất trí.")
    services.meeting_record(actor=member, proposal=proposal, meeting_date=today, members_present=5,
                            votes_for=4 if passed else 1, votes_against=1 if passed else 4, votes_abstain=0,
                            head_vote="for")


def approve(head, proposal, *, member=None):
    _prepare(member or head, proposal, passed=True)
    return services.proposal_approve(actor=head, proposal=proposal, number=f"{next(_numbers)}/QĐ",
                                     decision_date=timezone.localdate())


def override(head, proposal, *, member=None):
    _prepare(member or head, proposal, passed=False)
    return services.proposal_approve_by_head(actor=head, proposal=proposal, number=f"{next(_numbers)}/QĐ",
                                             decision_date=timezone.localdate(),
                                             justification="Cấp bách, người đứng đầu chịu trách nhiệm.")


def reject(head, proposal):
    return services.proposal_reject(actor=head, proposal=proposal, number=f"{next(_numbers)}/QĐ",
                                    decision_date=timezone.localdate(), reasons="Chưa đủ cơ sở.")


@dataclasses.dataclass
class Dataset:
    approved_vote: object
    approved_override: object
    rejected_late: object
    overdue: object
    withdrawn: object
    returned: object
    ward_pending: object
    ward_approved: object
    city_rejected: object
    draft: object

    @property
    def registered(self) -> list:
        return [p for name, p in vars(self).items() if name != "draft"]


def build_dataset(org, monkeypatch) -> Dataset:
    """Nine registered proposals and a draft; the hand counts are in tests/reports/test_selectors.py."""
    # Sở Xây dựng decides proposer.dept's proposals
    approved_vote = approve(org.head_dept, submitted(org.proposer_dept, title="Phê duyệt theo biểu quyết"),
                            member=org.deputy_dept)
    approved_override = override(org.head_dept, submitted(org.proposer_dept, title="Người đứng đầu tự quyết"))
    with days_ago(monkeypatch, 30):
        late = submitted(org.proposer_dept, title="Quyết định trễ hạn")
        overdue = submitted(org.proposer_dept, title="Đang quá hạn xem xét")
    rejected_late = reject(org.head_dept, late)
    withdrawn = services.proposal_withdraw(actor=org.proposer_dept, proposal=submitted(org.proposer_dept,
                                                                                       title="Đã rút"))
    returned = services.proposal_return_for_revision(
        actor=org.deputy_dept, proposal=submitted(org.proposer_dept, title="Trả lại bổ sung"), message="Bổ sung")
    # UBND phường Bến Thành
    ward_pending = submitted(org.proposer_ward, title="Phường chờ xem xét")
    ward_approved = approve(org.head_ward, submitted(org.proposer_ward, title="Phường phê duyệt"))
    # UBND Thành phố decides the deputy director's proposal
    city_rejected = reject(org.head_city, submitted(org.proposer_city, title="Thành phố không phê duyệt"))
    return Dataset(
        approved_vote=approved_vote, approved_override=approved_override, rejected_late=rejected_late,
        overdue=overdue, withdrawn=withdrawn, returned=returned, ward_pending=ward_pending,
        ward_approved=ward_approved, city_rejected=city_rejected,
        draft=draft(org.proposer_dept, title="Bản nháp"),
    )


# — after approval: implementation, results report, evaluation, conclusion (issue 5's services) —

def completed(author, head, **plan):
    """Approved, implemented and declared complete today (by the fake clock when inside `days_ago`)."""
    proposal = approve(head, submitted(author, **plan))
    services.implementation_start(actor=author, proposal=proposal)
    return services.proposal_complete(actor=author, proposal=proposal)


def report(author, proposal):
    services.results_report_file(actor=author, proposal=proposal, summary="Đã hoàn thành các mốc.",
                                 results_against_plan="Đạt mục tiêu đề ra.")
    proposal.refresh_from_db()
    return proposal


def evaluate(head, proposal, *, outcome="completed", damage_caused=False, **findings):
    """The evaluation meeting, held today (by the fake clock when inside `days_ago`)."""
    from tests.proposals.helpers import FINDINGS_GOOD_FAITH

    today = timezone.localdate()
    services.party_opinion_record(actor=head, proposal=proposal, document_number=f"{next(_numbers)}-CV/ĐU",
                                  document_date=today, summary="Nhất trí đánh giá.", stage="evaluation")
    services.evaluation_record(
        actor=head, proposal=proposal, meeting_date=today, members_present=5, votes_for=5, votes_against=0,
        votes_abstain=0, head_vote="for", outcome=outcome, damage_caused=damage_caused,
        damage_description="Chi phí phát sinh ngoài dự toán" if damage_caused else "",
        damage_amount=40_000_000 if damage_caused else None, **{**FINDINGS_GOOD_FAITH, **findings})
    proposal.refresh_from_db()
    return proposal


def conclude(head, proposal, *, on=None, tier=None, reasons=""):
    """The written conclusion and the protection decision, dated `on` (today by default)."""
    from proposals.models import Evaluation

    day = on or timezone.localdate()
    evaluation = Evaluation.objects.get(proposal=proposal)
    services.proposal_conclude(
        actor=head, proposal=proposal, conclusion_number=f"{next(_numbers)}/KL", conclusion_date=day,
        conclusion_text="Kết luận đánh giá kết quả thực hiện đề xuất.", protection_number=f"{next(_numbers)}/QĐ-BV",
        protection_date=day, tier=tier or evaluation.proposed_tier, tier_reasons=reasons)
    proposal.refresh_from_db()
    return proposal
