import datetime

import pytest
from django.utils import timezone

from accounts.models import OrganisationUnit
from reports import selectors
from reports.selectors import Compliance, ReportFilters, Scope
from tests.helpers import completed, conclude, days_ago, evaluate, report

CITY = Scope(city=True)


def test_the_dataset_is_what_the_hand_counts_assume(dataset):
    assert dataset.rejected_late.status == "rejected"
    assert dataset.rejected_late.review_due_date < timezone.localdate()
    assert dataset.overdue.status == "submitted" and dataset.overdue.review_due_date < timezone.localdate()
    assert dataset.approved_override.approval_basis == "head"
    assert dataset.withdrawn.status == "withdrawn" and dataset.returned.status == "returned"


def test_summary_matches_hand_counts(dataset, last_60_days):
    summary = selectors.dashboard_data(scope=CITY, filters=last_60_days)["summary"]

    # nine registered (the draft is not), five decided: three approvals (one by the head alone), two rejections
    assert summary["total"] == 9
    assert (summary["approved"], summary["rejected"], summary["override"]) == (3, 2, 1)
    assert summary["pending"] == 3  # overdue, returned, ward_pending
    assert summary["approval_rate"] == 60.0
    assert summary["rejection_rate"] == 40.0
    assert summary["override_rate"] == 33.3
    review = next(clock for clock in summary["clocks"] if clock["key"] == "review")
    # decided on time: vote, override, ward approval, city rejection; late: the one submitted 30 days ago
    assert (review["on_time"], review["late"], review["overdue"], review["pending"]) == (4, 1, 1, 1)
    assert review["on_time_rate"] == 80.0
    assert summary["overdue"] == 1
    assert summary["review_late"] == 1


def test_breakdowns_by_status_authority_kind_and_topic(org, dataset, last_60_days):
    data = selectors.dashboard_data(scope=CITY, filters=last_60_days)

    by_status = {row["status"]: row["count"] for row in data["by_status"]}
    by_authority = {row["key"]: row for row in data["by_authority"]}
    by_kind = {row["key"]: row["total"] for row in data["by_kind"]}
    by_topic = data["by_topic"]

    assert "draft" not in by_status
    assert {k: v for k, v in by_status.items() if v} == {
        "submitted": 2, "returned": 1, "approved": 3, "rejected": 2, "withdrawn": 1}
    construction = by_authority[org.construction.pk]
    assert (construction["total"], construction["approved"], construction["rejected"], construction["override"],
            construction["pending"], construction["review_late"], construction["overdue"]) == (6, 2, 1, 1, 2, 1, 1)
    assert by_authority[org.ward.pk]["total"] == 2 and by_authority[org.ward.pk]["approved"] == 1
    assert by_authority[org.city.pk]["total"] == 1 and by_authority[org.city.pk]["rejected"] == 1
    assert by_kind == {"city_agency": 6, "local_committee": 2, "city_committee": 1}
    assert sum(row["total"] for row in by_topic) == 9


def test_months_quarters_and_years_add_up(dataset, last_60_days):
    periods = selectors.dashboard_data(scope=CITY, filters=last_60_days)["by_period"]

    expected = {}
    for proposal in dataset.registered:
        day = timezone.localtime(proposal.submitted_at).date()
        expected[day.strftime("%m/%Y")] = expected.get(day.strftime("%m/%Y"), 0) + 1
    assert {row["label"]: row["total"] for row in periods["months"]} == expected
    assert sum(row["total"] for row in periods["quarters"]) == 9
    assert sum(row["total"] for row in periods["years"]) == 9
    assert sum(row["approved"] for row in periods["years"]) == 3


def test_drill_downs_list_the_proposals_behind_each_figure(dataset, last_60_days):
    def listed(**drill):
        filters = ReportFilters(date_from=last_60_days.date_from, date_to=last_60_days.date_to, **drill)
        return set(selectors.proposals_for_report(scope=CITY, filters=filters).values_list("pk", flat=True))

    assert listed(decided="override") == {dataset.approved_override.pk}
    assert listed(decided="rejected") == {dataset.rejected_late.pk, dataset.city_rejected.pk}
    assert listed(clock="review", compliance=Compliance.LATE) == {dataset.rejected_late.pk}
    assert listed(compliance=Compliance.OVERDUE) == {dataset.overdue.pk}
    assert listed(status="returned") == {dataset.returned.pk}
    assert dataset.draft.pk not in listed()
    assert len(listed()) == 9


def test_the_period_filter_uses_the_submission_day(dataset):
    today = timezone.localdate()
    recent = ReportFilters(date_from=today - datetime.timedelta(days=10), date_to=today)

    total = selectors.proposals_for_report(scope=CITY, filters=recent).count()

    assert total == 7  # the two submitted 30 days ago fall outside


def test_a_head_sees_only_the_subtree_of_their_authority(org, dataset, last_60_days):
    scope = selectors.report_scope_for(user=org.head_dept)

    listed = set(selectors.proposals_for_report(scope=scope, filters=last_60_days).values_list("pk", flat=True))
    summary = selectors.dashboard_data(scope=scope, filters=last_60_days)["summary"]

    assert scope.authorities == (org.construction,)
    assert listed == {p.pk for p in dataset.registered if p.deciding_authority_id == org.construction.pk}
    assert summary["total"] == 6


@pytest.mark.parametrize(("who", "expected"), [
    ("homeaffairs", "city"), ("head_dept", "head"), ("head_city", "head"),
    ("proposer_dept", None), ("deputy_dept", None), ("outsider", None),
])
def test_report_scope_by_role(org, who, expected):
    scope = selectors.report_scope_for(user=getattr(org, who))

    assert (None if scope is None else ("city" if scope.city else "head")) == expected
    # only UBND Thành phố's subtree holds every unit (what that changes: test_exactness.py)
    assert (scope is not None and scope.every_unit) == (who == "head_city")


def test_a_head_whose_subtree_misses_a_unit_is_not_read_as_the_city(org):
    OrganisationUnit.objects.create(name="Đơn vị ngoài cây", code="ngoai-cay", kind=OrganisationUnit.Kind.CITY_AGENCY)

    assert not selectors.report_scope_for(user=org.head_city).every_unit


def test_units_without_proposals_in_the_year(org, dataset):
    units = selectors.units_without_proposals(scope=CITY, year=timezone.localdate().year)

    # Sở Xây dựng (its division and its deputy director) and the ward registered; Sở Nội vụ did not
    assert [unit.pk for unit in units] == [org.home_affairs_dept.pk]
    head_scope = selectors.report_scope_for(user=org.head_dept)
    assert list(selectors.units_without_proposals(scope=head_scope, year=timezone.localdate().year)) == []


def test_later_clocks_read_due_dates_and_the_dates_of_the_acts(org, monkeypatch, last_60_days):
    """Report, evaluation and conclusion clocks, reached through the real services with a fake clock.

    Each clock stops on the date its act records: the day the results report was filed, the evaluation meeting's
    date, the written conclusion's date (which may be earlier than the day it was entered)."""
    author, head = org.proposer_dept, org.head_dept
    with days_ago(monkeypatch, 45):
        slow = report(author, completed(author, head, title="Đánh giá trễ, kết luận trễ"))
        backdated = report(author, completed(author, head, title="Kết luận ghi lùi ngày"))
        waiting_conclusion = report(author, completed(author, head, title="Chờ kết luận"))
        stale = report(author, completed(author, head, title="Chờ họp đánh giá"))
    with days_ago(monkeypatch, 25):
        waiting_report = completed(author, head, title="Chưa nộp báo cáo")
        late_report = completed(author, head, title="Nộp báo cáo trễ")
    with days_ago(monkeypatch, 15):
        meeting_day = timezone.localdate()
        for proposal in (slow, backdated, waiting_conclusion):
            evaluate(head, proposal)
    report(author, late_report)
    conclude(head, slow)
    conclude(head, backdated, on=meeting_day)
    on_time = conclude(head, evaluate(head, report(author, completed(author, head, title="Mọi bước đúng hạn"))))
    today = timezone.localdate()

    data = selectors.dashboard_data(scope=CITY, filters=last_60_days, today=today)
    clocks = {clock["key"]: clock for clock in data["summary"]["clocks"]}

    def counts(key):
        clock = clocks[key]
        return clock["on_time"], clock["late"], clock["overdue"], clock["pending"]

    assert counts("report") == (5, 1, 1, 0)  # all but the two completed 25 days ago; one late, one still owed
    assert counts("evaluation") == (1, 3, 1, 1)  # met 30 days after the report: late; one owed; one just reported
    # the backdated conclusion counts on its own date, although it was entered 15 days after the meeting
    assert counts("conclusion") == (2, 1, 1, 0)
    assert backdated.status == "concluded" and on_time.status == "concluded"

    def listed(**drill):
        filters = ReportFilters(date_from=last_60_days.date_from, date_to=last_60_days.date_to, **drill)
        return set(selectors.proposals_for_report(scope=CITY, filters=filters).values_list("pk", flat=True))

    assert listed(clock="report", compliance=Compliance.OVERDUE) == {waiting_report.pk}
    assert listed(clock="evaluation", compliance=Compliance.OVERDUE) == {stale.pk}
    assert listed(clock="conclusion", compliance=Compliance.LATE) == {slow.pk}
    assert listed(clock="conclusion", compliance=Compliance.OVERDUE) == {waiting_conclusion.pk}
    overdue = data["overdue"]
    assert {(p.pk, p.overdue_clock) for p in overdue} == {
        (waiting_report.pk, "report"), (stale.pk, "evaluation"), (waiting_conclusion.pk, "conclusion")}


def test_dashboard_runs_a_fixed_number_of_queries(org, dataset, last_60_days, django_assert_max_num_queries):
    # nine before issue 5's figures; then one each for evaluations and protection, rewards, retaliation reports
    with django_assert_max_num_queries(12):
        data = selectors.dashboard_data(scope=CITY, filters=last_60_days)
    assert data["summary"]["total"] == 9
