"""Reads of Home Affairs' workplace: who sees which part of the city, the dashboard's aggregates, the drill-down
lists behind every figure, implementation plans and annual reports.

Every aggregate is one `values().annotate()` or `aggregate()` with conditional counts, so the dashboard runs a
fixed number of queries whatever the number of proposals.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import permissions as roles
from accounts.models import AuthorityMembership, OrganisationUnit, Post, User
from proposals.clocks import CLOCK_BY_NAME, CLOCKS, Clock
from proposals.models import (
    Decision,
    Outcome,
    Proposal,
    ProtectionTier,
    RetaliationReport,
    Reward,
    Topic,
)
from proposals.selectors import LIST_DEFERRED, search
from proposals.workflow import Status
from reports.models import (
    PLAN_UNIT_KINDS,
    AnnualReview,
    AnnualReviewReport,
    ExportJob,
    ImplementationPlan,
    PlanReminder,
)

Role = AuthorityMembership.Role


# — who sees what —

@dataclasses.dataclass(frozen=True)
class Scope:
    """The part of the city a person monitors: the whole city, or the subtrees of the authorities they head."""

    city: bool
    authorities: tuple[OrganisationUnit, ...] = ()

    def unit_q(self, prefix: str = "") -> Q:
        """Units (reached through `prefix`) inside the scope."""
        if self.city:
            return Q()
        return reduce(or_, (Q(**{f"{prefix}path__startswith": unit.path}) for unit in self.authorities))

    def proposal_q(self) -> Q:
        return self.unit_q("deciding_authority__")

    def contains(self, unit: OrganisationUnit) -> bool:
        return self.city or any(unit.path.startswith(authority.path) for authority in self.authorities)


def report_scope_for(*, user: User) -> Scope | None:
    """Home Affairs and administrators see the city; heads of authorities their own subtree; nobody else anything."""
    if not user.is_authenticated or not user.is_active:
        return None
    if roles.can_monitor_city(user):
        return Scope(city=True)
    heads = AuthorityMembership.objects.current().filter(user=user, role=Role.HEAD).select_related("authority")
    authorities = tuple(membership.authority for membership in heads)
    return Scope(city=False, authorities=authorities) if authorities else None


def plan_units_for(*, user: User) -> list[OrganisationUnit]:
    """Units whose plan this person files: those they head or serve as secretariat, agencies and committees only."""
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        OrganisationUnit.objects.current()
        .filter(kind__in=PLAN_UNIT_KINDS, memberships__in=AuthorityMembership.objects.current().filter(
            user=user, role__in=[Role.HEAD, Role.SECRETARIAT]))
        .distinct().order_by("name")
    )


def reports_nav_target(*, user: User) -> str | None:
    """Which Home Affairs page the navigation bar offers: the dashboard, the plans, or nothing (one query at most)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if roles.can_monitor_city(user):
        return "dashboard"
    roles_held = set(
        AuthorityMembership.objects.current()
        .filter(user=user, role__in=[Role.HEAD, Role.SECRETARIAT])
        .values_list("role", "authority__kind")
    )
    if any(role == Role.HEAD for role, _kind in roles_held):
        return "dashboard"
    if any(kind in PLAN_UNIT_KINDS for _role, kind in roles_held):
        return "plans"
    return None


# — filters shared by the dashboard, its drill-down lists and the exports —

class Decided:
    APPROVED = "approved"
    REJECTED = "rejected"
    OVERRIDE = "override"
    PENDING = "pending"

    choices = [
        (APPROVED, _("Phê duyệt")),
        (REJECTED, _("Không phê duyệt")),
        (OVERRIDE, _("Người đứng đầu quyết định phê duyệt khi tập thể không thông qua")),
        (PENDING, _("Chưa quyết định")),
    ]


class Damage:
    YES = "yes"
    NO = "no"

    choices = [(YES, _("Gây thiệt hại")), (NO, _("Không gây thiệt hại"))]


#: The drill-down parameters, cleared when a list links back to the dashboard.
DRILL_DOWNS = ("status", "decided", "clock", "compliance", "outcome", "damage", "tier", "reward_kind",
               "reward_result", "retaliation")


class Compliance:
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"

    choices = [
        (ON_TIME, _("Đúng hạn")),
        (LATE, _("Trễ hạn")),
        (OVERDUE, _("Đang quá hạn")),
        (PENDING, _("Đang trong hạn")),
    ]


# — the clocks of the table (proposals.clocks), as the figures count them —
#
# Every clock stops on the date of the act that ends it, as that act records it (`Clock.stopped_on`): the
# decision's date, the day the results report was filed, the date of the evaluation meeting, the date of the
# written conclusion. The due dates are counted the same way (the conclusion's from the meeting date), so both
# sides of the comparison are dates of the acts, not the moments someone typed them in.

def clock_label(clock: Clock) -> str:
    """The clock's name on the monitoring pages, with its length: "Họp đánh giá (7 ngày làm việc)"."""
    return _("%(clock)s (%(n)s ngày làm việc)") % {"clock": clock.label, "n": clock.working_days}


def _done_field(clock: Clock) -> str:
    return f"{clock.name}_done_on"


def _stop_date(clock: Clock):
    """The date the clock stopped: the date its act records, or the local day of the moment it records."""
    *relations, name = clock.stopped_on.split(LOOKUP_SEP)
    model = Proposal
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    if isinstance(model._meta.get_field(name), DateTimeField):
        return TruncDate(clock.stopped_on, tzinfo=timezone.get_current_timezone())
    return F(clock.stopped_on)


def compliance_q(clock: Clock, compliance: str, today: datetime.date) -> Q:
    """Proposals on which the clock stands as `compliance` says, on `today` (needs `_with_done_dates`)."""
    done, due = _done_field(clock), clock.due_field
    if compliance == Compliance.ON_TIME:
        return Q(**{f"{done}__isnull": False, f"{done}__lte": F(due)})
    if compliance == Compliance.LATE:
        return Q(**{f"{done}__isnull": False, f"{done}__gt": F(due)})
    running = Q(**{f"{done}__isnull": True, "status__in": clock.states, f"{due}__isnull": False})
    if compliance == Compliance.OVERDUE:
        return running & Q(**{f"{due}__lt": today})
    return running & Q(**{f"{due}__gte": today})


@dataclasses.dataclass(frozen=True)
class ReportFilters:
    date_from: datetime.date
    date_to: datetime.date
    authority: OrganisationUnit | None = None
    kind: str = ""
    topic: Topic | None = None
    # drill-downs: which figure of the dashboard a list stands behind
    status: str = ""
    decided: str = ""
    clock: str = ""
    compliance: str = ""
    # drill-downs behind issue 5's figures (after approval)
    outcome: str = ""
    damage: str = ""
    tier: str = ""
    reward_kind: str = ""
    reward_result: str = ""
    retaliation: str = ""  # honoured for city-wide monitors only (see proposals_for_report)
    # the drill-down list's search (proposals.selectors.search); the dashboard's figures never narrow by it
    text: str = ""

    @classmethod
    def this_year(cls, today: datetime.date | None = None) -> ReportFilters:
        today = today or timezone.localdate()
        return cls(date_from=datetime.date(today.year, 1, 1), date_to=datetime.date(today.year, 12, 31))

    def params(self, **overrides) -> dict[str, str]:
        """The query-string parameters that reproduce these filters, with some replaced (None removes one)."""
        values = {
            "date_from": self.date_from.strftime("%d/%m/%Y"),
            "date_to": self.date_to.strftime("%d/%m/%Y"),
            "authority": str(self.authority.pk) if self.authority else "",
            "kind": self.kind,
            "topic": str(self.topic.pk) if self.topic else "",
            "status": self.status,
            "decided": self.decided,
            "clock": self.clock,
            "compliance": self.compliance,
            "outcome": self.outcome,
            "damage": self.damage,
            "tier": self.tier,
            "reward_kind": self.reward_kind,
            "reward_result": self.reward_result,
            "retaliation": self.retaliation,
            "q": self.text,
        }
        for key, value in overrides.items():
            if isinstance(value, datetime.date):
                value = value.strftime("%d/%m/%Y")
            values[key] = "" if value is None else str(value)
        return {key: value for key, value in values.items() if value}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def proposals_in_scope(*, scope: Scope) -> QuerySet[Proposal]:
    """Registered proposals (submitted at least once; drafts are nobody's business but their author's)."""
    queryset = Proposal.objects.filter(submitted_at__isnull=False).exclude(status=Status.DRAFT)
    return queryset.filter(scope.proposal_q())


def _with_done_dates(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Each clock's stop date, from one-to-one joins (decision, results report, evaluation meeting, conclusion)."""
    return queryset.annotate(**{_done_field(clock): _stop_date(clock) for clock in CLOCKS})


def _overdue_q(today: datetime.date) -> Q:
    return reduce(or_, (compliance_q(clock, Compliance.OVERDUE, today) for clock in CLOCKS))


def _decided_q(decided: str) -> Q:
    return {
        Decided.APPROVED: Q(decision__kind=Decision.Kind.APPROVAL),
        Decided.REJECTED: Q(decision__kind=Decision.Kind.REJECTION),
        Decided.OVERRIDE: Q(decision__kind=Decision.Kind.APPROVAL, approval_basis=Proposal.ApprovalBasis.HEAD),
        Decided.PENDING: Q(decision__isnull=True, status__in=[Status.SUBMITTED, Status.RETURNED]),
    }[decided]


def proposals_for_report(*, scope: Scope, filters: ReportFilters, today: datetime.date | None = None,
                         ) -> QuerySet[Proposal]:
    """The proposals behind a figure: registered in the period, within the scope, narrowed by every filter."""
    today = today or timezone.localdate()
    queryset = _with_done_dates(proposals_in_scope(scope=scope)).filter(
        submitted_at__gte=_day_start(filters.date_from),
        submitted_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)),
    )
    if filters.authority:
        queryset = queryset.filter(deciding_authority=filters.authority)
    if filters.kind:
        queryset = queryset.filter(deciding_authority__kind=filters.kind)
    if filters.topic:
        queryset = queryset.filter(topic=filters.topic)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.decided:
        queryset = queryset.filter(_decided_q(filters.decided))
    if filters.compliance:
        chosen = [CLOCK_BY_NAME[filters.clock]] if filters.clock else CLOCKS
        queryset = queryset.filter(reduce(or_, (compliance_q(clock, filters.compliance, today) for clock in chosen)))
    if filters.outcome:
        queryset = queryset.filter(evaluation__outcome=filters.outcome)
    if filters.damage:
        queryset = queryset.filter(evaluation__damage_caused=filters.damage == Damage.YES)
    if filters.tier:
        queryset = queryset.filter(protection__tier=filters.tier)
    if filters.reward_kind or filters.reward_result:
        rewards = Reward.objects.filter(proposal=OuterRef("pk"))
        if filters.reward_kind:
            rewards = rewards.filter(kind=filters.reward_kind)
        if filters.reward_result:
            rewards = rewards.filter(result=filters.reward_result)
        queryset = queryset.filter(Exists(rewards))
    if filters.retaliation and scope.city:
        # Retaliation reports are confidential: only city-wide monitors may narrow a list by them, since a head
        # could otherwise learn which of their own authority's proposals were reported.
        queryset = queryset.filter(Exists(RetaliationReport.objects.filter(
            proposal=OuterRef("pk"), status=filters.retaliation)))
    return queryset


def proposal_list_for_report(*, scope: Scope, filters: ReportFilters, today: datetime.date | None = None,
                             ) -> QuerySet[Proposal]:
    queryset = (
        proposals_for_report(scope=scope, filters=filters, today=today)
        .select_related("author", "topic", "deciding_authority", "submitter_unit", "decision")
        .defer(*LIST_DEFERRED)
        .order_by("-submitted_at", "-pk")
    )
    return search(queryset, filters.text)


# — the dashboard —

def _measures(today: datetime.date) -> dict:
    """The counts every breakdown shows, as conditional aggregates."""
    review = CLOCK_BY_NAME["review"]
    return {
        "total": Count("pk"),
        "approved": Count("pk", filter=_decided_q(Decided.APPROVED)),
        "rejected": Count("pk", filter=_decided_q(Decided.REJECTED)),
        "override": Count("pk", filter=_decided_q(Decided.OVERRIDE)),
        "pending": Count("pk", filter=_decided_q(Decided.PENDING)),
        "review_late": Count("pk", filter=compliance_q(review, Compliance.LATE, today)),
        "overdue": Count("pk", filter=_overdue_q(today)),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _with_rates(row: dict) -> dict:
    decided = row["approved"] + row["rejected"]
    row["decided"] = decided
    row["approval_rate"] = _rate(row["approved"], decided)
    row["rejection_rate"] = _rate(row["rejected"], decided)
    row["override_rate"] = _rate(row["override"], row["approved"])
    return row


def dashboard_summary(*, queryset: QuerySet[Proposal], today: datetime.date) -> dict:
    """Totals, decision rates and the compliance of every clock, in one query."""
    aggregates = dict(_measures(today))
    for clock in CLOCKS:
        for compliance, _label in Compliance.choices:
            aggregates[f"{clock.name}_{compliance}"] = Count("pk", filter=compliance_q(clock, compliance, today))
    row = _with_rates(queryset.aggregate(**aggregates))
    row["clocks"] = []
    for clock in CLOCKS:
        counts = {compliance: row[f"{clock.name}_{compliance}"] for compliance, _label in Compliance.choices}
        finished = counts[Compliance.ON_TIME] + counts[Compliance.LATE]
        row["clocks"].append({
            "key": clock.name, "label": clock_label(clock), **counts,
            "on_time_rate": _rate(counts[Compliance.ON_TIME], finished),
        })
    return row


def dashboard_by_status(*, queryset: QuerySet[Proposal]) -> list[dict]:
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return [{"status": value, "label": label, "count": counts.get(value, 0)}
            for value, label in Status.choices if value != Status.DRAFT]


def dashboard_by_authority(*, queryset: QuerySet[Proposal], today: datetime.date) -> list[dict]:
    rows = (queryset.order_by().values("deciding_authority", "deciding_authority__name")
            .annotate(**_measures(today)).order_by("-total", "deciding_authority__name"))
    return [_with_rates({**row, "key": row["deciding_authority"], "label": row["deciding_authority__name"]})
            for row in rows]


def dashboard_by_kind(*, queryset: QuerySet[Proposal], today: datetime.date) -> list[dict]:
    labels = dict(OrganisationUnit.Kind.choices)
    rows = (queryset.order_by().values("deciding_authority__kind").annotate(**_measures(today))
            .order_by("deciding_authority__kind"))
    return [_with_rates({**row, "key": row["deciding_authority__kind"],
                         "label": labels.get(row["deciding_authority__kind"], row["deciding_authority__kind"])})
            for row in rows]


def dashboard_by_topic(*, queryset: QuerySet[Proposal], today: datetime.date) -> list[dict]:
    rows = (queryset.order_by().values("topic", "topic__name").annotate(**_measures(today))
            .order_by("-total", "topic__name"))
    return [_with_rates({**row, "key": row["topic"] or "", "label": row["topic__name"] or _("Chưa chọn lĩnh vực")})
            for row in rows]


def _add(into: dict, row: dict, keys: Iterable[str]) -> None:
    for key in keys:
        into[key] = into.get(key, 0) + row[key]


def dashboard_by_period(*, queryset: QuerySet[Proposal], today: datetime.date) -> dict[str, list[dict]]:
    """Months from one grouped query; quarters and years are sums of their months."""
    measures = _measures(today)
    rows = (queryset.order_by().annotate(month=TruncMonth("submitted_at")).values("month")
            .annotate(**measures).order_by("month"))
    months, quarters, years = [], {}, {}
    for row in rows:
        start = timezone.localtime(row["month"]).date() if isinstance(row["month"], datetime.datetime) else row["month"]
        end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        months.append(_with_rates({**row, "label": start.strftime("%m/%Y"), "start": start, "end": end}))
        quarter = (start.month - 1) // 3 + 1
        q_start = datetime.date(start.year, 3 * quarter - 2, 1)
        q_end = (datetime.date(start.year, 3 * quarter, 28) + datetime.timedelta(days=4)).replace(day=1) \
            - datetime.timedelta(days=1)
        bucket = quarters.setdefault((start.year, quarter), {
            "label": _("Quý %(q)s/%(y)s") % {"q": quarter, "y": start.year}, "start": q_start, "end": q_end})
        _add(bucket, row, measures)
        bucket = years.setdefault(start.year, {
            "label": str(start.year), "start": datetime.date(start.year, 1, 1), "end": datetime.date(start.year, 12, 31)})
        _add(bucket, row, measures)
    return {
        "months": months,
        "quarters": [_with_rates(quarters[key]) for key in sorted(quarters)],
        "years": [_with_rates(years[key]) for key in sorted(years)],
    }


OVERDUE_LIST_SIZE = 20


def overdue_items(*, queryset: QuerySet[Proposal], today: datetime.date, limit: int = OVERDUE_LIST_SIZE) -> list:
    """Proposals with a clock past its due date, the longest overdue first; each carries the clock and date."""
    whens_clock, whens_due = [], []
    for clock in CLOCKS:
        condition = compliance_q(clock, Compliance.OVERDUE, today)
        whens_clock.append(When(condition, then=Value(clock.name)))
        whens_due.append(When(condition, then=F(clock.due_field)))
    return list(
        queryset.filter(_overdue_q(today))
        .annotate(overdue_clock=Case(*whens_clock, output_field=CharField()),
                  overdue_due=Case(*whens_due, output_field=DateField()))
        .select_related("deciding_authority", "topic")
        .order_by("overdue_due", "pk")[:limit]
    )


def units_without_proposals(*, scope: Scope, year: int, today: datetime.date | None = None,
                            ) -> QuerySet[OrganisationUnit]:
    """City agencies and local committees from none of whose people a proposal was registered in the year."""
    today = today or timezone.localdate()
    on = min(datetime.date(year, 12, 31), today)
    registered = Proposal.objects.filter(
        submitted_at__gte=_day_start(datetime.date(year, 1, 1)),
        submitted_at__lt=_day_start(datetime.date(year + 1, 1, 1)),
        submitter_unit__path__startswith=OuterRef("path"),
    )
    return (
        OrganisationUnit.objects.current(on).filter(kind__in=PLAN_UNIT_KINDS).filter(scope.unit_q())
        .annotate(registered=Exists(registered)).filter(registered=False)
        .order_by("kind", "name")
    )


def dashboard_aftercare(*, queryset: QuerySet[Proposal]) -> dict:
    """Evaluation outcomes, damage and protection tiers of the proposals, in one query.

    Evaluation and protection decision are one-to-one with the proposal, so the joins multiply no rows.
    """
    aggregates = {
        "evaluated": Count("pk", filter=Q(evaluation__isnull=False)),
        "damage": Count("pk", filter=Q(evaluation__damage_caused=True)),
        "damage_amount": Sum("evaluation__damage_amount"),
        "protected": Count("pk", filter=Q(protection__isnull=False)),
        "tier_differs": Count("pk", filter=Q(protection__isnull=False) & ~Q(protection__tier=F("protection__proposed_tier"))),
    }
    aggregates.update({f"outcome_{value}": Count("pk", filter=Q(evaluation__outcome=value)) for value in Outcome.values})
    aggregates.update({f"tier_{value}": Count("pk", filter=Q(protection__tier=value)) for value in ProtectionTier.values})
    row = queryset.order_by().aggregate(**aggregates)
    return {
        "evaluated": row["evaluated"],
        "outcomes": [{"key": value, "label": label, "count": row[f"outcome_{value}"]} for value, label in Outcome.choices],
        "damage": row["damage"],
        "damage_amount": row["damage_amount"] or 0,
        "protected": row["protected"],
        "tier_differs": row["tier_differs"],
        "tiers": [{"key": value, "label": label, "count": row[f"tier_{value}"]}
                  for value, label in ProtectionTier.choices],
    }


def dashboard_rewards(*, queryset: QuerySet[Proposal]) -> dict:
    """Reward recommendations on the proposals, by kind and result (one query). Counts recommendations: a
    proposal may carry several (one per beneficiary and kind)."""
    counts = {
        (kind, result): n for kind, result, n in
        Reward.objects.filter(proposal__in=queryset.order_by().values("pk")).order_by()
        .values("kind", "result").annotate(n=Count("pk")).values_list("kind", "result", "n")
    }
    rows = []
    for kind, label in Reward.Kind.choices:
        row = {"key": kind, "label": label, **{result: counts.get((kind, result), 0) for result in Reward.Result.values}}
        row["total"] = sum(row[result] for result in Reward.Result.values)
        row["cells"] = [{"key": result, "count": row[result]} for result in Reward.Result.values]
        rows.append(row)
    totals = {result: sum(row[result] for row in rows) for result in Reward.Result.values}
    totals["total"] = sum(totals.values())
    total_cells = [{"key": result, "count": totals[result]} for result in Reward.Result.values]
    return {"rows": rows, "totals": totals, "total_cells": total_cells, "results": Reward.Result.choices}


def dashboard_retaliation(*, queryset: QuerySet[Proposal]) -> dict:
    """Retaliation reports about the proposals, by status: counts only, nothing that names anyone (one query)."""
    counts = dict(
        RetaliationReport.objects.filter(proposal__in=queryset.order_by().values("pk")).order_by()
        .values_list("status").annotate(n=Count("pk"))
    )
    rows = [{"key": value, "label": label, "count": counts.get(value, 0)}
            for value, label in RetaliationReport.Status.choices]
    return {"rows": rows, "total": sum(row["count"] for row in rows)}


def dashboard_data(*, scope: Scope, filters: ReportFilters, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    queryset = proposals_for_report(scope=scope, filters=filters, today=today)
    return {
        "summary": dashboard_summary(queryset=queryset, today=today),
        "by_status": dashboard_by_status(queryset=queryset),
        "by_authority": dashboard_by_authority(queryset=queryset, today=today),
        "by_kind": dashboard_by_kind(queryset=queryset, today=today),
        "by_topic": dashboard_by_topic(queryset=queryset, today=today),
        "by_period": dashboard_by_period(queryset=queryset, today=today),
        "overdue": overdue_items(queryset=queryset, today=today),
        "units_without_proposals": list(units_without_proposals(scope=scope, year=filters.date_to.year, today=today)),
        "aftercare": dashboard_aftercare(queryset=queryset),
        "rewards": dashboard_rewards(queryset=queryset),
        # Retaliation reports reach Home Affairs and the authority above the one involved, never the authority
        # involved; a head's scoped dashboard would count reports about their own authority, so only city-wide
        # monitors see these figures at all.
        "retaliation": dashboard_retaliation(queryset=queryset) if scope.city else None,
    }


def filter_choices(*, scope: Scope) -> dict:
    """Authorities and topics the filter form offers (two queries)."""
    authorities = OrganisationUnit.objects.filter(kind__in=OrganisationUnit.AUTHORITY_KINDS).filter(scope.unit_q())
    return {
        "authorities": authorities.order_by("kind", "name"),
        "topics": Topic.objects.order_by("order", "name"),
    }


# — export rows —

EXPORT_FIELDS = (
    "reference", "title", "topic__name", "author__full_name", "submitter_post_title", "submitter_unit__name",
    "deciding_authority__name", "status", "submitted_at", "review_due_date", "decision__decision_date",
    "decision__kind", "approval_basis", "budget_amount",
)


def proposal_export_rows(*, scope: Scope, filters: ReportFilters, chunk_size: int = 2000):
    """Plain tuples for exports, streamed from a server-side cursor so memory stays flat."""
    return (
        search(proposals_for_report(scope=scope, filters=filters), filters.text).order_by("submitted_at", "pk")
        .values_list(*EXPORT_FIELDS).iterator(chunk_size=chunk_size)
    )


#: Exports a person sees on their list of exports; older ones are still reachable by their link until they expire.
EXPORT_JOBS_LISTED = 20


def export_job_for(*, user: User, pk: int) -> ExportJob | None:
    """One export job, for its author only (anyone else gets None, hence 404)."""
    if not user.is_authenticated:
        return None
    return ExportJob.objects.filter(pk=pk, created_by=user).first()


def export_jobs_of(*, user: User) -> list[ExportJob]:
    return list(ExportJob.objects.filter(created_by=user).order_by("-created_at", "-pk")[:EXPORT_JOBS_LISTED])


# — implementation plans —

def plan_overview(*, year: int, filed: str = "", today: datetime.date | None = None) -> QuerySet[OrganisationUnit]:
    """Every current city agency and local committee with its plan for the year and the last reminder sent."""
    today = today or timezone.localdate()
    plans = ImplementationPlan.objects.filter(unit=OuterRef("pk"), year=year)
    units = (
        OrganisationUnit.objects.current(min(datetime.date(year, 12, 31), today)).filter(kind__in=PLAN_UNIT_KINDS)
        .annotate(
            has_plan=Exists(plans),
            last_reminded_at=Subquery(PlanReminder.objects.filter(unit=OuterRef("pk"), year=year)
                                      .order_by("-sent_at").values("sent_at")[:1]),
        )
        .prefetch_related(Prefetch("implementation_plans", to_attr="plans_of_year",
                                   queryset=ImplementationPlan.objects.filter(year=year).select_related("filed_by")))
        .order_by("kind", "name")
    )
    if filed == "yes":
        units = units.filter(has_plan=True)
    elif filed == "no":
        units = units.filter(has_plan=False)
    return units


def plan_counts(*, year: int, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    return (
        OrganisationUnit.objects.current(min(datetime.date(year, 12, 31), today)).filter(kind__in=PLAN_UNIT_KINDS)
        .aggregate(units=Count("pk", distinct=True),
                   filed=Count("pk", distinct=True, filter=Exists(
                       ImplementationPlan.objects.filter(unit=OuterRef("pk"), year=year))))
    )


def plans_of_units(*, units: list[OrganisationUnit]) -> QuerySet[ImplementationPlan]:
    return ImplementationPlan.objects.filter(unit__in=units).select_related("unit", "filed_by").order_by("-year", "unit__name")


def plan_get_visible(*, user: User, pk: int) -> ImplementationPlan | None:
    plan = ImplementationPlan.objects.filter(pk=pk).select_related("unit").first()
    if plan is None:
        return None
    if roles.can_monitor_city(user) or plan.unit in plan_units_for(user=user):
        return plan
    return None


def plan_recipients(*, units: Iterable[OrganisationUnit]) -> dict[int, dict[int, str]]:
    """Each unit's current head and secretariat, as user id → e-mail address (may be empty), in one query."""
    recipients: dict[int, dict[int, str]] = {}
    rows = (AuthorityMembership.objects.current()
            .filter(authority__in=list(units), role__in=[Role.HEAD, Role.SECRETARIAT], user__is_active=True)
            .values_list("authority_id", "user_id", "user__email"))
    for unit_id, user_id, email in rows:
        recipients.setdefault(unit_id, {})[user_id] = email
    return recipients


def plan_unit_heads(*, on: datetime.date) -> dict[int, OrganisationUnit]:
    """Each current head of a plan-filing unit (user id) with the unit: the authority's head member, else the
    holder of the unit's head post. Someone who heads two units is listed once, with the first by path."""
    units = OrganisationUnit.objects.current(on).filter(kind__in=PLAN_UNIT_KINDS)
    heads: dict[int, OrganisationUnit] = {}
    memberships = (AuthorityMembership.objects.current(on)
                   .filter(role=Role.HEAD, authority__in=units, user__is_active=True)
                   .select_related("authority").order_by("authority__path"))
    for membership in memberships:
        heads.setdefault(membership.user_id, membership.authority)
    headed = {unit.pk for unit in heads.values()}
    posts = (Post.objects.current(on).filter(is_head=True, unit__in=units, user__is_active=True)
             .exclude(unit__in=headed).select_related("unit").order_by("unit__path"))
    for post in posts:
        heads.setdefault(post.user_id, post.unit)
    return heads


# — annual reviews —

def annual_review_for(*, year: int) -> AnnualReview | None:
    return AnnualReview.objects.filter(year=year).first()


def annual_reports(*, year: int) -> QuerySet[AnnualReviewReport]:
    return AnnualReviewReport.objects.filter(review__year=year).select_related("review", "created_by")


def annual_review_years() -> list[int]:
    return list(AnnualReview.objects.order_by("-year").values_list("year", flat=True))


def annual_review_figures(*, year: int, today: datetime.date | None = None) -> dict:
    """What the annual review report shows: the city's figures for the year and who filed a plan."""
    today = today or timezone.localdate()
    filters = ReportFilters(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
    data = dashboard_data(scope=Scope(city=True), filters=filters, today=today)
    data["plans"] = plan_counts(year=year, today=today)
    data["units_without_plan"] = list(plan_overview(year=year, filed="no", today=today))
    data["year"] = year
    data["today"] = today
    return data
