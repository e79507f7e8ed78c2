import dataclasses
import datetime

import pytest
from django.utils import timezone

from proposals import services
from reports.selectors import ReportFilters
from proposals.models import Topic
from tests.helpers import (
    approve,
    completed,
    conclude,
    days_ago,
    draft,
    evaluate,
    override,
    reject,
    report,
    submitted,
)


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


@pytest.fixture
def dataset(org, monkeypatch) -> Dataset:
    """Nine registered proposals and a draft, built through the real services, some of them submitted in the
    past; the hand counts are in tests/reports/test_selectors.py."""
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


@pytest.fixture
def last_60_days():
    today = timezone.localdate()
    return ReportFilters(date_from=today - datetime.timedelta(days=60), date_to=today)


@pytest.fixture
def enqueued(monkeypatch) -> list[int]:
    """The outbox message ids handed to the broker after commit (recorded here instead of sent)."""
    ids: list[int] = []
    monkeypatch.setattr("proposals.outbox.enqueue_delivery", ids.extend)
    return ids


@pytest.fixture
def varied(org, dataset, monkeypatch) -> Dataset:
    """The dataset, plus proposals through every later step and the writes that change a figure afterwards
    (a transfer, a topic change by resubmission, rewards settled, retaliation reports advanced, a deletion of a
    reward), some months back, so every measure and several months and cells are non-zero."""
    author, head = org.proposer_dept, org.head_dept
    topics = list(Topic.objects.order_by("order")[:3])
    with days_ago(monkeypatch, 75):
        stale = report(author, completed(author, head, title="Chờ họp đánh giá", topic=topics[1]))
        waiting = completed(author, head, title="Chưa nộp báo cáo", topic=topics[2])
        to_transfer = submitted(author, title="Chuyển thẩm quyền")
    with days_ago(monkeypatch, 40):
        slow = evaluate(head, report(author, completed(author, head, title="Đánh giá trễ")), outcome="partly",
                        damage_caused=True)
    done = conclude(head, evaluate(head, report(author, completed(author, head, title="Hoàn thành"))))
    conclude(head, slow, tier="not_protected", reasons="Không làm đúng phương án.")
    services.proposal_transfer(actor=head, proposal=to_transfer, authority=org.city, reason="Thuộc thẩm quyền TP")
    kept = services.reward_recommend(actor=head, proposal=done, beneficiary=author, kind="commendation",
                                     description="Bằng khen")
    services.reward_settle(actor=head, reward=kept, result="granted", note="Đã khen")
    services.reward_recommend(actor=head, proposal=done, beneficiary=author, kind="salary_step",
                              description="Nâng bậc lương").delete()
    services.reward_recommend(actor=head, proposal=done, beneficiary=author, kind="other", description="Khác")
    filed = services.retaliation_report_file(actor=author, proposal=slow, incident_date=timezone.localdate(),
                                             accused="Phòng Tổ chức", description="Bị điều chuyển.")
    services.retaliation_report_advance(actor=org.homeaffairs, report=filed, status="examining", note="Xác minh")
    del stale, waiting
    return dataset
