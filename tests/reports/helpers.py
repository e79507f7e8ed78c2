"""Build a known set of proposals through the real services, some of them submitted in the past."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import itertools

from django.utils import timezone

from proposals import services
from tests.proposals.helpers import draft, submitted

_numbers = itertools.count(1)


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
