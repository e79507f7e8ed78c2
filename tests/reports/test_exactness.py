"""Every figure of the dashboard, and the count of every drill-down list behind it, equals a direct count over
the proposals (issue 11: the facts and counters must stay exact). The state is built with the real services
(the `varied` dataset: every step of the procedure, several months, transfers, rewards, a deletion); the
expected numbers are ORM counts over `proposals_proposal` and its related rows, written without the facts."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.utils import timezone

from proposals.clocks import CLOCKS
from proposals.models import Outcome, Proposal, ProtectionTier
from proposals.workflow import Status
from reports import selectors
from reports.selectors import Compliance, ReportFilters, Scope

pytestmark = pytest.mark.django_db
COMPLIANCES = (Compliance.ON_TIME, Compliance.LATE, Compliance.OVERDUE, Compliance.PENDING)


def _periods(today: datetime.date) -> dict[str, ReportFilters]:
    month = today.replace(day=1)
    months_ago = (month - datetime.timedelta(days=100)).replace(day=1)
    return {
        # partial months at both ends
        "last 60 days": ReportFilters(date_from=today - datetime.timedelta(days=60), date_to=today),
        # whole months only, then this month in part
        "whole months": ReportFilters(date_from=months_ago, date_to=month - datetime.timedelta(days=1)),
        "whole months and this month": ReportFilters(date_from=months_ago, date_to=today),
        "this month": ReportFilters(date_from=month, date_to=today),
        # days of one or two months, none of them whole: the facts only
        "last week": ReportFilters(date_from=today - datetime.timedelta(days=7),
                                   date_to=today - datetime.timedelta(days=1)),
        "all years": ReportFilters(date_from=datetime.date(2000, 1, 1), date_to=datetime.date(2100, 12, 31)),
    }


def _registered(scope: Scope, filters: ReportFilters):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(filters.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    found = Proposal.objects.exclude(status=Status.DRAFT).filter(submitted_at__gte=start, submitted_at__lt=end)
    if not scope.city:
        found = found.filter(Q.create([("deciding_authority__path__startswith", unit.path)
                                       for unit in scope.authorities], connector=Q.OR))
    return found


def _clock_counts(proposals, clock, today) -> dict[str, int]:
    stopped = proposals.annotate(stop=selectors._stop_date(clock))
    running = stopped.filter(stop__isnull=True, status__in=clock.states, **{f"{clock.due_field}__isnull": False})
    return {
        Compliance.ON_TIME: stopped.filter(stop__lte=F(clock.due_field)).count(),
        Compliance.LATE: stopped.filter(stop__gt=F(clock.due_field)).count(),
        Compliance.OVERDUE: running.filter(**{f"{clock.due_field}__lt": today}).count(),
        Compliance.PENDING: running.filter(**{f"{clock.due_field}__gte": today}).count(),
    }


def _expected(scope: Scope, filters: ReportFilters, today: datetime.date) -> dict:
    proposals = _registered(scope, filters)
    clocks = {clock.name: _clock_counts(proposals, clock, today) for clock in CLOCKS}
    return {
        "total": proposals.count(),
        "approved": proposals.filter(decision__kind="approval").count(),
        "rejected": proposals.filter(decision__kind="rejection").count(),
        "override": proposals.filter(decision__kind="approval", approval_basis="head").count(),
        "pending": proposals.filter(decision__isnull=True, status__in=[Status.SUBMITTED, Status.RETURNED]).count(),
        "overdue": sum(counts[Compliance.OVERDUE] for counts in clocks.values()),
        "statuses": {value: proposals.filter(status=value).count() for value in Status.values if value != "draft"},
        "clocks": clocks,
        "outcomes": {value: proposals.filter(evaluation__outcome=value).count() for value in Outcome.values},
        "tiers": {value: proposals.filter(protection__tier=value).count() for value in ProtectionTier.values},
        "damage": proposals.filter(evaluation__damage_caused=True).count(),
        "no_damage": proposals.filter(evaluation__damage_caused=False).count(),
        "by_authority": {pk: proposals.filter(deciding_authority=pk).count()
                         for pk in proposals.values_list("deciding_authority", flat=True).distinct()},
    }


def _seen(data: dict) -> dict:
    summary = data["summary"]
    return {
        "total": summary["total"], "approved": summary["approved"], "rejected": summary["rejected"],
        "override": summary["override"], "pending": summary["pending"], "overdue": summary["overdue"],
        "statuses": {row["status"]: row["count"] for row in data["by_status"]},
        "clocks": {row["key"]: {key: row[key] for key in COMPLIANCES}
                   for row in summary["clocks"]},
        "outcomes": {row["key"]: row["count"] for row in data["aftercare"]["outcomes"]},
        "tiers": {row["key"]: row["count"] for row in data["aftercare"]["tiers"]},
        "damage": data["aftercare"]["damage"],
        "no_damage": data["aftercare"]["evaluated"] - data["aftercare"]["damage"],
        "by_authority": {row["key"]: row["total"] for row in selectors.dashboard_breakdown(
            scope=data["scope"], filters=data["filters"], dimension="authority") if row["total"]},
    }


def _drill_downs(expected: dict) -> list[tuple[dict, int]]:
    """Each drill-down's filters and the direct count of the proposals it must list."""
    downs = [({"status": value}, n) for value, n in expected["statuses"].items()]
    downs += [({"decided": key}, expected[key]) for key in ("approved", "rejected", "override", "pending")]
    downs += [({"clock": clock, "compliance": compliance}, n)
              for clock, counts in expected["clocks"].items() for compliance, n in counts.items()]
    downs += [({"compliance": Compliance.OVERDUE}, expected["overdue"]),
              ({"compliance": Compliance.PENDING},
               sum(counts[Compliance.PENDING] for counts in expected["clocks"].values()))]
    downs += [({"outcome": key}, n) for key, n in expected["outcomes"].items()]
    downs += [({"tier": key}, n) for key, n in expected["tiers"].items()]
    downs += [({"damage": "yes"}, expected["damage"]), ({"damage": "no"}, expected["no_damage"])]
    return downs


@pytest.mark.parametrize("who", ["city", "head", "head of the city"])
def test_every_figure_and_drill_down_equals_a_direct_count(org, varied, who):
    today = timezone.localdate()
    scope = {"city": Scope(city=True), "head": Scope(city=False, authorities=(org.construction,)),
             # every unit is below UBND Thành phố: its head's figures are read without a unit condition
             "head of the city": selectors.report_scope_for(user=org.head_city)}[who]
    assert scope.every_unit == (who == "head of the city")
    checked = 0
    for name, filters in _periods(today).items():
        expected = _expected(scope, filters, today)
        data = selectors.dashboard_data(scope=scope, filters=filters, today=today)
        assert _seen({**data, "scope": scope, "filters": filters}) == expected, name
        for extra, count in _drill_downs(expected):
            narrowed = ReportFilters(**{**vars(filters), **extra})
            listed = selectors.proposal_list_for_report(scope=scope, filters=narrowed, today=today)
            page = Paginator(listed, 25).page(1)
            assert (page.paginator.count, len(page.object_list)) == (count, min(count, 25)), (name, extra)
            # the counted figure and the facts' own count agree
            assert selectors.facts_for_report(scope=scope, filters=narrowed, today=today).count() == count
            checked += count
    # the state is not trivially empty: the drill-downs found proposals in every kind of figure
    assert checked > 50
    assert _expected(scope, _periods(today)["all years"], today)["clocks"]["review"][Compliance.OVERDUE] > 0
