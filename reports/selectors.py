"""Reads of Home Affairs' workplace: who sees which part of the city, the dashboard's aggregates, the drill-down
lists behind every figure, implementation plans and annual reports.

The figures and lists read the narrow facts and the monthly counters the database keeps (reports.models,
docs/reports.md), never an aggregate over the proposals: the dashboard runs a fixed number of short queries
whatever the number of proposals.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from functools import reduce
from operator import or_

from django.db import connections, router
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import permissions as roles
from accounts.models import AuthorityMembership, OrganisationUnit, Post, User
from accounts.selectors import user_standing
from proposals.clocks import CLOCK_BY_NAME, CLOCKS, Clock, Lateness, running_clock
from proposals.models import (
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
    MEASURES,
    PLAN_UNIT_KINDS,
    AnnualReview,
    AnnualReviewReport,
    ExportJob,
    ImplementationPlan,
    PlanReminder,
    ProposalCount,
    ProposalFact,
)

Role = AuthorityMembership.Role


# — who sees what —

@dataclasses.dataclass(frozen=True)
class Scope:
    """The part of the city a person monitors: the whole city, or the subtrees of the authorities they head."""

    city: bool
    authorities: tuple[OrganisationUnit, ...] = ()
    #: The authorities' subtrees hold every unit there is (UBND Thành phố's does): the figures and lists then need
    #: no unit condition, which cost the head of UBND Thành phố's dashboard a third of its time. What only
    #: city-wide monitors may see (retaliation reports) still follows `city`.
    every_unit: bool = False

    @property
    def unrestricted(self) -> bool:
        """Whether the scope holds every proposal of the city."""
        return self.city or self.every_unit

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
    if not authorities:
        return None
    scope = Scope(city=False, authorities=authorities)
    return dataclasses.replace(scope, every_unit=not OrganisationUnit.objects.exclude(scope.unit_q()).exists())


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
    """Which Home Affairs page the navigation bar offers: the dashboard, the plans, or nothing (from the request's
    standing)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if roles.can_monitor_city(user):
        return "dashboard"
    memberships = user_standing(user=user).memberships
    if any(membership.role == Role.HEAD for membership in memberships):
        return "dashboard"
    if any(membership.role == Role.SECRETARIAT and membership.authority_kind in PLAN_UNIT_KINDS
           for membership in memberships):
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
# sides of the comparison are dates of the acts, not the moments someone typed them in. The facts
# (reports.models.ProposalFact) hold, per clock, whether it stopped on time, late, or still runs; and the due
# date of the one running now, so "overdue" and "pending" are one comparison with today.

def clock_label(clock: Clock) -> str:
    """The clock's name on the monitoring pages, with its length: "Họp đánh giá (7 ngày làm việc)"."""
    return _("%(clock)s (%(n)s ngày làm việc)") % {"clock": clock.label, "n": clock.working_days}


def _done_field(clock: Clock) -> str:
    return f"{clock.name}_done_on"


def _stop_date(clock: Clock):
    """The date the clock stopped: the date its act records, or the local day of the moment it records.

    A scalar subquery (one index probe per row) rather than joins: with the list's own four, the planner took
    14 ms to order ten relations for a page of twenty-five rows.
    """
    first, *rest = clock.stopped_on.split(LOOKUP_SEP)
    act = Proposal._meta.get_field(first)
    model = act.related_model
    for relation in rest[:-1]:
        model = model._meta.get_field(relation).related_model
    path = LOOKUP_SEP.join(rest)
    value = (TruncDate(path, tzinfo=timezone.get_current_timezone())
             if isinstance(model._meta.get_field(rest[-1]), DateTimeField) else F(path))
    acts = act.related_model.objects.filter(**{act.field.name: OuterRef("pk")})
    return Subquery(acts.annotate(stopped_on=value).values("stopped_on")[:1])


def compliance_q(clock: Clock | None, compliance: str, today: datetime.date) -> Q:
    """Facts on which the clock (any clock when None) stands as `compliance` says, on `today`."""
    if compliance in (Compliance.OVERDUE, Compliance.PENDING):
        # The due date of the clock running now is the only one that can be overdue: one indexed comparison.
        due = Q(open_due_date__lt=today) if compliance == Compliance.OVERDUE else Q(open_due_date__gte=today)
        return due & Q(open_clock=clock.name) if clock else due
    clocks = [clock] if clock else CLOCKS
    return reduce(or_, (Q(**{f"{each.name}_{compliance}": 1}) for each in clocks))



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


def _scope_units(scope: Scope) -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(scope.unit_q())


def _decided_q(decided: str) -> Q:
    # The facts' measures carry the rule: approved, rejected, override (approved by the head alone) and pending
    # (undecided, submitted or returned) are 1 exactly on the proposals the figure counts.
    return Q(**{decided: 1})


def _reward_q(kind: str, result: str) -> Q:
    kinds = [kind] if kind else Reward.Kind.values
    results = [result] if result else Reward.Result.values
    return reduce(or_, (Q(**{f"reward_{k}_{r}__gt": 0}) for k in kinds for r in results))


def facts_for_report(*, scope: Scope, filters: ReportFilters, today: datetime.date | None = None,
                     ) -> QuerySet[ProposalFact]:
    """The facts of the proposals behind a figure: registered in the period, within the scope, narrowed by every
    filter but the text search. Registered means submitted at least once; drafts are nobody's business but their
    author's."""
    today = today or timezone.localdate()
    facts = ProposalFact.objects.filter(
        submitted_at__gte=_day_start(filters.date_from),
        submitted_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)),
    )
    if not scope.unrestricted:
        facts = facts.filter(deciding_authority__in=_scope_units(scope).values("pk"))
    if filters.authority:
        facts = facts.filter(deciding_authority=filters.authority)
    if filters.kind:
        facts = facts.filter(deciding_authority__in=OrganisationUnit.objects.filter(kind=filters.kind).values("pk"))
    if filters.topic:
        facts = facts.filter(topic=filters.topic)
    if filters.status:
        facts = facts.filter(status=filters.status)
    if filters.decided:
        facts = facts.filter(_decided_q(filters.decided))
    if filters.compliance:
        facts = facts.filter(compliance_q(CLOCK_BY_NAME[filters.clock] if filters.clock else None,
                                          filters.compliance, today))
    if filters.outcome:
        facts = facts.filter(**{f"outcome_{filters.outcome}": 1})
    if filters.damage:
        facts = facts.filter(evaluated=1, damage=1 if filters.damage == Damage.YES else 0)
    if filters.tier:
        facts = facts.filter(**{f"tier_{filters.tier}": 1})
    if filters.reward_kind or filters.reward_result:
        facts = facts.filter(_reward_q(filters.reward_kind, filters.reward_result))
    if filters.retaliation and scope.city:
        # Retaliation reports are confidential: only city-wide monitors may narrow a list by them, since a head
        # could otherwise learn which of their own authority's proposals were reported.
        facts = facts.filter(**{f"retaliation_{filters.retaliation}__gt": 0})
    return facts


def proposals_for_report(*, scope: Scope, filters: ReportFilters, today: datetime.date | None = None,
                         ) -> QuerySet[Proposal]:
    """The proposals behind a figure (every filter but the text search), for exports and checks."""
    facts = facts_for_report(scope=scope, filters=filters, today=today)
    return Proposal.objects.filter(pk__in=facts.values("proposal_id"))


def _list_rows(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return (_with_done_dates(queryset).annotate(decision_kind=F("decision__kind"))
            .select_related("author", "topic", "deciding_authority", "submitter_unit").defer(*LIST_DEFERRED))


def _with_done_dates(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Each clock's stop date, from one-to-one joins (decision, results report, evaluation meeting, conclusion)."""
    return queryset.annotate(**{_done_field(clock): _stop_date(clock) for clock in CLOCKS})


class ProposalsByIds(Sequence):
    """A drill-down list read in two steps: a page's proposal ids in list order from a narrow query (the facts'
    index, or a search's ranking), then only those proposals with everything the list shows. `total`, when
    known (the figure itself, from the counters), spares the count."""

    def __init__(self, ids: QuerySet, total: int | None = None):
        self.ids = ids
        self.total = total

    def count(self) -> int:
        if self.total is None:
            self.total = self.ids.count()
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key:key + 1][0]
        if self.total is not None and (key.start or 0) >= self.total:
            return []  # nothing to find: without this, a search for no row would read every fact of the period
        ids = list(self.ids[key])
        found = {proposal.pk: proposal for proposal in _list_rows(Proposal.objects.filter(pk__in=ids))}
        return [found[pk] for pk in ids if pk in found]


def with_running_clocks(proposals, *, today: datetime.date | None = None) -> list:
    """The proposals of a page, each with `running` set: the clock running now, its due date and the working days
    by which it is late (`proposals.clocks.running_clock`); one read of the calendar for the whole page."""
    proposals = list(proposals)
    lateness = Lateness(today or timezone.localdate())
    for proposal in proposals:
        proposal.running = running_clock(
            proposal.status, {clock.due_field: getattr(proposal, clock.due_field) for clock in CLOCKS}, lateness)
    return proposals


def proposal_list_for_report(*, scope: Scope, filters: ReportFilters, today: datetime.date | None = None):
    """The proposals behind a figure, newest first, or best match first when searched; paginate it."""
    today = today or timezone.localdate()
    facts = facts_for_report(scope=scope, filters=filters, today=today).order_by("-submitted_at", "-proposal_id")
    if not filters.text:
        return ProposalsByIds(facts.values_list("proposal_id", flat=True),
                              total=figure_count(scope=scope, filters=filters, today=today))
    # The newest matches are found walking the facts' index of the list's order, not the proposals; the ranking
    # chooses a page's ids before the list's joins are read for those few.
    ranked = search(Proposal.objects.filter(pk__in=facts.values("proposal_id")), filters.text, newest_of=facts)
    return ProposalsByIds(ranked.values_list("pk", flat=True))


# — the dashboard —
#
# The figures are sums of the facts' measures (reports.models): whole months of the period from the monthly
# counters, the days of a month the period covers in part from the facts, in one grouped query per grain; the
# overdue counts, which depend on today, from the facts' `open_due_date` index. See docs/reports.md.

#: The columns a breakdown table shows.
BREAKDOWN = ("total", "approved", "rejected", "override", "pending", "review_late", "overdue")
BREAKDOWN_MEASURES = BREAKDOWN[:-1]
#: Grouping sets, by the dimension they group: summary (none), authority, topic, month.
SETS = {"summary": (), "authority": ("deciding_authority_id",), "topic": ("topic_id",), "month": ("month",),
        "clock": ("open_clock",)}
DIMENSIONS = ("deciding_authority_id", "topic_id", "month")
SUMMED = (*MEASURES, "damage_amount")


def _period_parts(start: datetime.date, end: datetime.date):
    """Whole months [first, stop) of the period for the counters, and the day ranges [a, b) outside them."""
    first = start if start.day == 1 else (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    after_end = end + datetime.timedelta(days=1)
    stop = after_end if after_end.day == 1 else end.replace(day=1)
    if first >= stop:
        return None, [(start, after_end)]
    edges = [(a, b) for a, b in ((start, first), (stop, after_end)) if a < b]
    return (first, stop), edges


def _unit_sql(scope: Scope, filters: ReportFilters) -> tuple[list[str], list]:
    clauses, params = [], []
    if not scope.unrestricted:
        clauses.append("deciding_authority_id IN (SELECT id FROM accounts_organisationunit WHERE "
                       + " OR ".join(["path LIKE %s"] * len(scope.authorities)) + ")")
        params += [f"{unit.path}%" for unit in scope.authorities]
    if filters.authority:
        clauses.append("deciding_authority_id = %s")
        params.append(filters.authority.pk)
    if filters.kind:
        clauses.append("deciding_authority_id IN (SELECT id FROM accounts_organisationunit WHERE kind = %s)")
        params.append(filters.kind)
    if filters.topic:
        clauses.append("topic_id = %s")
        params.append(filters.topic.pk)
    return clauses, params


def _fetch(sql: str, params: list) -> list[dict]:
    # Raw SQL bypasses the router: ask it where report reads go (the replica, when there is one).
    with connections[router.db_for_read(ProposalFact)].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _grouped(rows: list[dict], arguments: tuple[str, ...], sets: list[str]) -> dict[str, list[dict]]:
    """Split a GROUPING SETS result by set, from GROUPING()'s bits (1 for each argument not grouped)."""
    masks = {}
    for name in sets:
        masks[sum(1 << (len(arguments) - 1 - i) for i, arg in enumerate(arguments) if arg not in SETS[name])] = name
    out: dict[str, list[dict]] = {name: [] for name in sets}
    for row in rows:
        out[masks[row.pop("grouping")]].append(row)
    return out


def _cells(*, scope: Scope, filters: ReportFilters, grain: int, sets: list[str],
           measures: Sequence[str] = SUMMED) -> dict[str, list[dict]]:
    """The measures summed by each of `sets`, from the counters of `grain` and the facts of partial months."""
    unit_clauses, unit_params = _unit_sql(scope, filters)
    columns = ", ".join(measures)
    parts, params = [], []
    months, edges = _period_parts(filters.date_from, filters.date_to)
    if months:
        where = ["grain = %s", "month >= %s", "month < %s", *unit_clauses]
        parts.append(f"SELECT deciding_authority_id, topic_id, month, {columns} FROM reports_proposalcount "
                     f"WHERE {' AND '.join(where)}")
        params += [grain, *months, *unit_params]
    if edges:
        days = " OR ".join(["(submitted_at >= %s AND submitted_at < %s)"] * len(edges))
        parts.append(f"SELECT deciding_authority_id, topic_id, month, {columns} FROM reports_proposalfact "
                     f"WHERE ({days}){''.join(' AND ' + c for c in unit_clauses)}")
        params += [_day_start(day) for edge in edges for day in edge] + unit_params
    arguments = _arguments(DIMENSIONS, sets)
    sql = (f"SELECT {_grouping_sql(arguments)}"
           f"{', '.join(f'sum({name}) AS {name}' for name in measures)} "
           f"FROM ({' UNION ALL '.join(parts)}) AS cells GROUP BY {_sets_sql(sets)}")
    return _grouped(_fetch(sql, params), arguments, sets)


def _arguments(dimensions: tuple[str, ...], sets: list[str]) -> tuple[str, ...]:
    """The dimensions some set groups by (GROUPING() accepts no other)."""
    return tuple(name for name in dimensions if any(name in SETS[each] for each in sets))


def _grouping_sql(arguments: tuple[str, ...]) -> str:
    if not arguments:
        return "0 AS grouping, "
    return f"GROUPING({', '.join(arguments)}) AS grouping, {', '.join(arguments)}, "


def _sets_sql(sets: list[str]) -> str:
    return "GROUPING SETS (" + ", ".join("(" + ", ".join(SETS[name]) + ")" for name in sets) + ")"


def _overdue(*, scope: Scope, filters: ReportFilters, today: datetime.date, sets: list[str], grain: int) -> dict:
    """Proposals whose running clock is past its due date, counted by each of `sets` and, for the summary, by
    clock. A clock due in a month before today's is overdue whatever the day: those come from the running-clock
    counters of the period's whole months; the clocks due earlier this month, and those of the partial months,
    from the facts (the covering index of running clocks, and the few days' rows)."""
    unit_clauses, unit_params = _unit_sql(scope, filters)
    units = "".join(" AND " + clause for clause in unit_clauses)
    this_month = today.replace(day=1)
    months, edges = _period_parts(filters.date_from, filters.date_to)
    parts, params = [], []
    if months:
        parts.append("SELECT deciding_authority_id, topic_id, month, clock AS open_clock, running AS n "
                     "FROM reports_runningclockcount WHERE grain = %s AND due_month < %s "
                     f"AND month >= %s AND month < %s{units}")
        params += [grain, this_month, *months, *unit_params]
        if this_month < today:
            parts.append("SELECT deciding_authority_id, topic_id, month, open_clock, 1 AS n FROM reports_proposalfact "
                         "WHERE open_due_date >= %s AND open_due_date < %s AND month >= %s AND month < %s"
                         f"{units}")
            params += [this_month, today, *months, *unit_params]
    for start, end in edges:
        # The months too, so that the index of running clocks by month answers alone.
        parts.append("SELECT deciding_authority_id, topic_id, month, open_clock, 1 AS n FROM reports_proposalfact "
                     "WHERE month >= %s AND month <= %s AND open_due_date < %s "
                     f"AND submitted_at >= %s AND submitted_at < %s{units}")
        params += [start.replace(day=1), (end - datetime.timedelta(days=1)).replace(day=1), today,
                   _day_start(start), _day_start(end), *unit_params]
    sets = [*sets, *(["clock"] if "summary" in sets else [])]
    arguments = _arguments((*DIMENSIONS, "open_clock"), sets)
    sql = (f"SELECT {_grouping_sql(arguments)}coalesce(sum(n), 0) AS overdue "
           f"FROM ({' UNION ALL '.join(parts)}) AS running GROUP BY {_sets_sql(sets)}")
    grouped = _grouped(_fetch(sql, params), arguments, sets)
    return {
        name: {(row[SETS[name][0]] if SETS[name] else None): row["overdue"] for row in found}
        for name, found in grouped.items()
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


def _breakdown_row(cells: dict, overdue: int, **extra) -> dict:
    return _with_rates({**{key: cells[key] for key in BREAKDOWN if key != "overdue"}, "overdue": overdue, **extra})


def _add(into: dict, row: dict, keys: Iterable[str]) -> None:
    for key in keys:
        into[key] = into.get(key, 0) + row[key]


def _summary(cells: dict, overdue: dict) -> dict:
    row = _breakdown_row(cells, overdue["summary"].get(None, 0))
    row["clocks"] = []
    for clock in CLOCKS:
        late_now = overdue["clock"].get(clock.name, 0)
        counts = {
            Compliance.ON_TIME: cells[f"{clock.name}_on_time"], Compliance.LATE: cells[f"{clock.name}_late"],
            Compliance.OVERDUE: late_now, Compliance.PENDING: cells[f"{clock.name}_running"] - late_now,
        }
        finished = counts[Compliance.ON_TIME] + counts[Compliance.LATE]
        row["clocks"].append({"key": clock.name, "label": clock_label(clock), **counts,
                              "on_time_rate": _rate(counts[Compliance.ON_TIME], finished)})
    return row


def _by_authority(rows: list[dict], overdue: dict) -> list[dict]:
    units = {unit.pk: unit for unit in OrganisationUnit.objects.filter(
        pk__in=[row["deciding_authority_id"] for row in rows]).only("name", "kind")}
    result = []
    for row in rows:
        unit = units.get(row["deciding_authority_id"])
        result.append(_breakdown_row(row, overdue.get(row["deciding_authority_id"], 0),
                                     key=row["deciding_authority_id"], label=unit.name if unit else "",
                                     kind=unit.kind if unit else ""))
    return sorted(result, key=lambda row: (-row["total"], row["label"]))


def _by_kind(by_authority: list[dict]) -> list[dict]:
    labels = dict(OrganisationUnit.Kind.choices)
    kinds: dict[str, dict] = {}
    for row in by_authority:
        _add(kinds.setdefault(row["kind"], {"key": row["kind"], "label": labels.get(row["kind"], row["kind"])}),
             row, BREAKDOWN)
    return [_with_rates(kinds[kind]) for kind in sorted(kinds)]


def _by_topic(rows: list[dict], overdue: dict) -> list[dict]:
    names = {topic.pk: topic.label for topic in Topic.objects.filter(pk__in=[row["topic_id"] for row in rows])}
    result = [_breakdown_row(row, overdue.get(row["topic_id"], 0), key=row["topic_id"] or "",
                             label=names.get(row["topic_id"]) or _("Chưa chọn lĩnh vực"))
              for row in rows]
    return sorted(result, key=lambda row: (-row["total"], str(row["label"])))


def _by_period(rows: list[dict], overdue: dict) -> dict[str, list[dict]]:
    """Months from the grouped rows; quarters and years are sums of their months."""
    months, quarters, years = [], {}, {}
    for cells in sorted(rows, key=lambda row: row["month"]):
        start = cells["month"]
        row = _breakdown_row(cells, overdue.get(start, 0))
        end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        months.append({**row, "label": start.strftime("%m/%Y"), "start": start, "end": end})
        quarter = (start.month - 1) // 3 + 1
        q_start = datetime.date(start.year, 3 * quarter - 2, 1)
        q_end = (datetime.date(start.year, 3 * quarter, 28) + datetime.timedelta(days=4)).replace(day=1) \
            - datetime.timedelta(days=1)
        bucket = quarters.setdefault((start.year, quarter), {
            "label": _("Quý %(q)s/%(y)s") % {"q": quarter, "y": start.year}, "start": q_start, "end": q_end})
        _add(bucket, row, BREAKDOWN)
        bucket = years.setdefault(start.year, {
            "label": str(start.year), "start": datetime.date(start.year, 1, 1), "end": datetime.date(start.year, 12, 31)})
        _add(bucket, row, BREAKDOWN)
    return {
        "months": months,
        "quarters": [_with_rates(quarters[key]) for key in sorted(quarters)],
        "years": [_with_rates(years[key]) for key in sorted(years)],
    }


def _by_status(cells: dict) -> list[dict]:
    return [{"status": value, "label": label, "count": cells[f"status_{value}"]}
            for value, label in Status.choices if value != Status.DRAFT]


def _aftercare(cells: dict) -> dict:
    return {
        "evaluated": cells["evaluated"],
        "outcomes": [{"key": value, "label": label, "count": cells[f"outcome_{value}"]}
                     for value, label in Outcome.choices],
        "damage": cells["damage"],
        "damage_amount": cells["damage_amount"],
        "protected": cells["protected"],
        "tier_differs": cells["tier_differs"],
        "tiers": [{"key": value, "label": label, "count": cells[f"tier_{value}"]}
                  for value, label in ProtectionTier.choices],
    }


def _rewards(cells: dict) -> dict:
    """Reward recommendations by kind and result. Counts recommendations: a proposal may carry several."""
    rows = []
    for kind, label in Reward.Kind.choices:
        row = {"key": kind, "label": label, **{result: cells[f"reward_{kind}_{result}"] for result in Reward.Result.values}}
        row["total"] = sum(row[result] for result in Reward.Result.values)
        row["cells"] = [{"key": result, "count": row[result]} for result in Reward.Result.values]
        rows.append(row)
    totals = {result: sum(row[result] for row in rows) for result in Reward.Result.values}
    totals["total"] = sum(totals.values())
    total_cells = [{"key": result, "count": totals[result]} for result in Reward.Result.values]
    return {"rows": rows, "totals": totals, "total_cells": total_cells, "results": Reward.Result.choices}


def _retaliation(cells: dict) -> dict:
    """Retaliation reports by status: counts only, nothing that names anyone."""
    rows = [{"key": value, "label": label, "count": cells[f"retaliation_{value}"]}
            for value, label in RetaliationReport.Status.choices]
    return {"rows": rows, "total": sum(row["count"] for row in rows)}


def _empty_cells() -> dict:
    return dict.fromkeys(SUMMED, 0)


def _grains(scope: Scope, filters: ReportFilters) -> tuple[int, int]:
    """The counters to read: for the summary, authorities and months; and for topics."""
    if filters.topic:
        return ProposalCount.Grain.AUTHORITY_TOPIC, ProposalCount.Grain.AUTHORITY_TOPIC
    by_unit = not scope.unrestricted or filters.authority or filters.kind
    return ProposalCount.Grain.AUTHORITY, (ProposalCount.Grain.AUTHORITY_TOPIC if by_unit
                                           else ProposalCount.Grain.TOPIC)


def dashboard_figures(*, scope: Scope, filters: ReportFilters, today: datetime.date,
                      sets: Iterable[str] = ("summary", "authority", "topic", "month")) -> dict[str, list[dict]]:
    """The cells of each grouping set, with their overdue counts (up to five short queries): every measure for
    the summary, and the breakdown tables' few for the others, since summing all sixty by every authority and
    month was most of the work."""
    sets = list(sets)
    main, topic_grain = _grains(scope, filters)
    first = [name for name in sets if name != "topic" or topic_grain == main]
    cells = {}
    if "summary" in sets:
        cells.update(_cells(scope=scope, filters=filters, grain=main, sets=["summary"]))
    if rest := [name for name in first if name != "summary"]:
        cells.update(_cells(scope=scope, filters=filters, grain=main, sets=rest, measures=BREAKDOWN_MEASURES))
    if "topic" in sets and topic_grain != main:
        cells.update(_cells(scope=scope, filters=filters, grain=topic_grain, sets=["topic"],
                            measures=BREAKDOWN_MEASURES))
    overdue = _overdue(scope=scope, filters=filters, today=today, sets=first, grain=main) if first else {}
    if "topic" in sets and topic_grain != main:
        overdue.update(_overdue(scope=scope, filters=filters, today=today, sets=["topic"], grain=topic_grain))
    return {"cells": cells, "overdue": overdue}


@dataclasses.dataclass(frozen=True)
class _Figure:
    """A dashboard figure: the sum of `plus` measures minus `minus` ones, and, for "overdue" and "pending",
    the clock (or every clock: "*") whose overdue count is the figure or is taken off it."""

    plus: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()
    overdue: str = ""


def _figure(scope: Scope, filters: ReportFilters) -> _Figure | None:
    """The dashboard figure a drill-down stands behind when its filters name exactly one; None when they
    combine several or name none (the facts are counted then)."""
    chosen = [name for name in DRILL_DOWNS if getattr(filters, name)]
    if filters.retaliation and not scope.city:
        chosen.remove("retaliation")  # ignored for them (facts_for_report)
    figure = None
    if not chosen:
        figure = _Figure(plus=("total",))
    elif chosen == ["status"]:
        figure = _Figure(plus=(f"status_{filters.status}",))
    elif chosen == ["decided"]:
        figure = _Figure(plus=(filters.decided,))
    elif chosen == ["outcome"]:
        figure = _Figure(plus=(f"outcome_{filters.outcome}",))
    elif chosen == ["tier"]:
        figure = _Figure(plus=(f"tier_{filters.tier}",))
    elif chosen == ["damage"]:
        figure = _Figure(plus=("damage",)) if filters.damage == Damage.YES else \
            _Figure(plus=("evaluated",), minus=("damage",))
    elif chosen in (["compliance"], ["clock", "compliance"]):
        clocks = [CLOCK_BY_NAME[filters.clock]] if filters.clock else CLOCKS
        if filters.compliance == Compliance.OVERDUE:
            figure = _Figure(overdue=filters.clock or "*")
        elif filters.compliance == Compliance.PENDING:
            # At most one clock runs per proposal, so the clocks' counts add up to proposals.
            figure = _Figure(plus=tuple(f"{clock.name}_running" for clock in clocks), overdue=filters.clock or "*")
        elif filters.clock:  # on time or late on any clock is not a sum: one proposal may be late on two
            figure = _Figure(plus=(f"{filters.clock}_{filters.compliance}",))
    # Rewards and retaliation count recommendations and reports, not proposals: the facts are counted for those.
    if figure is None or not set(figure.plus + figure.minus) <= set(MEASURES):
        return None
    return figure


def figure_count(*, scope: Scope, filters: ReportFilters, today: datetime.date) -> int | None:
    """The number of proposals a drill-down lists, read from the counters when it is a figure of the dashboard
    (which counts them so by construction, docs/reports.md), else None."""
    figure = _figure(scope, filters)
    if figure is None:
        return None
    main, _topic_grain = _grains(scope, filters)
    count = 0
    if figure.plus:
        measures = [*figure.plus, *figure.minus]
        found = _cells(scope=scope, filters=filters, grain=main, sets=["summary"], measures=measures)["summary"]
        cells = found[0] if found else dict.fromkeys(measures, 0)
        count = sum(cells[name] or 0 for name in figure.plus) - sum(cells[name] or 0 for name in figure.minus)
    if figure.overdue:
        overdue = _overdue(scope=scope, filters=filters, today=today, sets=["summary"], grain=main)
        late_now = overdue["summary"].get(None, 0) if figure.overdue == "*" else \
            overdue["clock"].get(figure.overdue, 0)
        count = late_now if filters.compliance == Compliance.OVERDUE else count - late_now
    return count


def dashboard_breakdown(*, scope: Scope, filters: ReportFilters, dimension: str,
                        today: datetime.date | None = None) -> list[dict]:
    """One breakdown table in full ("authority" or "month"), for the page that shows it part by part."""
    today = today or timezone.localdate()
    figures = dashboard_figures(scope=scope, filters=filters, today=today, sets=[dimension])
    rows, overdue = figures["cells"][dimension], figures["overdue"][dimension]
    if dimension == "authority":
        return _by_authority(rows, overdue)
    return _by_period(rows, overdue)["months"]


OVERDUE_LIST_SIZE = 20


def overdue_items(*, scope: Scope, filters: ReportFilters, today: datetime.date,
                  limit: int = OVERDUE_LIST_SIZE) -> list[Proposal]:
    """Proposals with a clock past its due date, the longest overdue first; each carries the clock and date.

    Month by month: the first few of each month of registration in due-date order on the index of running clocks
    by month, then the first of those. Walking one due-date index over the whole city instead passes every older
    overdue clock of other periods (they are due earliest) before reaching the period's."""
    unit_clauses, unit_params = _unit_sql(scope, filters)
    units = "".join(" AND " + clause for clause in unit_clauses)
    sql = ("SELECT f.proposal_id, f.open_clock, f.open_due_date "
           "FROM generate_series(%s::date, %s::date, interval '1 month') AS m(month) "
           "CROSS JOIN LATERAL (SELECT proposal_id, open_clock, open_due_date FROM reports_proposalfact "
           "WHERE month = m.month::date AND open_due_date < %s AND submitted_at >= %s AND submitted_at < %s"
           f"{units} ORDER BY open_due_date, proposal_id LIMIT %s) AS f "
           "ORDER BY f.open_due_date, f.proposal_id LIMIT %s")
    rows = _fetch(sql, [filters.date_from.replace(day=1), filters.date_to.replace(day=1), today,
                        _day_start(filters.date_from), _day_start(filters.date_to + datetime.timedelta(days=1)),
                        *unit_params, limit, limit])
    proposals = Proposal.objects.filter(pk__in=[row["proposal_id"] for row in rows]).select_related(
        "deciding_authority", "topic").defer(*LIST_DEFERRED).in_bulk()
    items = []
    for row in rows:
        proposal = proposals[row["proposal_id"]]
        proposal.overdue_clock, proposal.overdue_due = row["open_clock"], row["open_due_date"]
        items.append(proposal)
    return items


def units_without_proposals(*, scope: Scope, year: int, today: datetime.date | None = None,
                            ) -> QuerySet[OrganisationUnit]:
    """City agencies and local committees from none of whose people a proposal was registered in the year.

    A unit registered when it, or a unit below it, submitted one: the ids on the paths of the units counted in
    the year (reports.models.UnitYearCount) are exactly those units."""
    today = today or timezone.localdate()
    on = min(datetime.date(year, 12, 31), today)
    registered = RawSQL(
        "SELECT DISTINCT unnest(string_to_array(trim(both '/' from u.path), '/'))::bigint "
        "FROM reports_unityearcount c JOIN accounts_organisationunit u ON u.id = c.unit_id "
        "WHERE c.year = %s AND c.proposals > 0", [year])
    return (
        OrganisationUnit.objects.current(on).filter(kind__in=PLAN_UNIT_KINDS).filter(scope.unit_q())
        .exclude(pk__in=registered).order_by("kind", "name")
    )


def dashboard_data(*, scope: Scope, filters: ReportFilters, today: datetime.date | None = None) -> dict:
    """Every figure of the dashboard in full (the page shows the long tables part by part)."""
    today = today or timezone.localdate()
    figures = dashboard_figures(scope=scope, filters=filters, today=today)
    cells, overdue = figures["cells"], figures["overdue"]
    totals = (cells["summary"] or [_empty_cells()])[0]
    if totals["total"] is None:
        totals = _empty_cells()
    by_authority = _by_authority(cells["authority"], overdue["authority"])
    return {
        "summary": _summary(totals, overdue),
        "by_status": _by_status(totals),
        "by_authority": by_authority,
        "by_kind": _by_kind(by_authority),
        "by_topic": _by_topic(cells["topic"], overdue["topic"]),
        "by_period": _by_period(cells["month"], overdue["month"]),
        "overdue": overdue_items(scope=scope, filters=filters, today=today),
        "units_without_proposals": list(units_without_proposals(scope=scope, year=filters.date_to.year, today=today)),
        "aftercare": _aftercare(totals),
        "rewards": _rewards(totals),
        # Retaliation reports reach Home Affairs and the authority above the one involved, never the authority
        # involved; a head's scoped dashboard would count reports about their own authority, so only city-wide
        # monitors see these figures at all.
        "retaliation": _retaliation(totals) if scope.city else None,
    }


def filter_choices(*, scope: Scope) -> dict:
    """What the filter form checks and offers: the authorities in the scope (never listed in the page: the form
    searches them) and the topics (one query, for the topics)."""
    return {
        "authorities": OrganisationUnit.objects.filter(kind__in=OrganisationUnit.AUTHORITY_KINDS).filter(scope.unit_q()),
        "topics": Topic.objects.order_by("order", "name"),
    }



# — export rows —

#: What an export reads of each proposal; reports.exports turns it into the columns of the list on screen.
EXPORT_FIELDS = (
    "reference", "title", "topic__name", "topic__name_en", "author__full_name", "submitter_post_title", "submitter_unit__name",
    "deciding_authority__name", "status", "submitted_at", *(clock.due_field for clock in CLOCKS),
    "decision__decision_date", "decision__kind", "approval_basis", "budget_amount",
)


def proposal_export_rows(*, scope: Scope, filters: ReportFilters, chunk_size: int = 2000):
    """Plain tuples for exports, streamed from a server-side cursor so memory stays flat."""
    facts = facts_for_report(scope=scope, filters=filters)
    return (
        search(Proposal.objects.filter(pk__in=facts.values("proposal_id")), filters.text,
               newest_of=facts.order_by("-submitted_at", "-proposal_id")).order_by("submitted_at", "pk")
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
