"""The procedure's clocks, declared once (DOMAIN.md "The procedure and its clocks").

A clock runs while the proposal is in some states, ends on a due date kept in a column of the proposal, lasts
`settings.CLOCK_WORKING_DAYS[name]` working days and stops on the date of the act that ends it. Everything else
reads this table: the proposal page and the review inbox (`Proposal.open_clock`, `proposals.selectors`), the
deadline scan (`notifications.services.deadlines`) and its messages, the compliance figures and drill-down lists
(`reports.selectors`). A new clock is a row here, its due-date column, and the service that starts it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from proposals.workflow import Status
from routing.calendar import WorkingCalendar, add_working_days, working_days_between

#: Who must act before a clock ends: the members of the deciding authority, or the author.
AUTHORITY, AUTHOR = "authority", "author"


@dataclass(frozen=True)
class Clock:
    #: Its key: in settings.CLOCK_WORKING_DAYS, in the details of reminder and escalation events, in the
    #: reports' drill-down links.
    name: str
    #: What must be done before it ends, as a heading: "Họp đánh giá: 05/03/2026".
    label: Promise
    #: Its deadline as a sentence names it: "… sắp đến hạn họp đánh giá kết quả".
    deadline: Promise
    #: The Proposal column holding its due date.
    due_field: str
    #: The states in which it runs.
    states: tuple[str, ...]
    #: Who must act before it ends: AUTHORITY or AUTHOR.
    responsible: str
    #: Lookup from a Proposal to the date (or the moment) the act that stops it records. The reports compare it
    #: with the due date; a moment counts by its local day.
    stopped_on: str

    @property
    def working_days(self) -> int:
        return settings.CLOCK_WORKING_DAYS[self.name]

    def due_from(self, start: datetime.date) -> datetime.date:
        """The due date of this clock when it starts on `start`."""
        return add_working_days(start, self.working_days)


CLOCKS: tuple[Clock, ...] = (
    Clock(
        name="review", label=_("Xem xét, quyết định"), deadline=_("hạn xem xét, quyết định"),
        due_field="review_due_date", states=(Status.SUBMITTED,), responsible=AUTHORITY,
        stopped_on="decision__decision_date",
    ),
    Clock(
        # The context keeps the English apart from the event "Nộp báo cáo kết quả" (a report was filed).
        name="report", label=pgettext_lazy("clock", "Nộp báo cáo kết quả"), deadline=_("hạn nộp báo cáo kết quả"),
        due_field="report_due_date", states=(Status.COMPLETED, Status.TERMINATED), responsible=AUTHOR,
        stopped_on="results_report__filed_at",
    ),
    Clock(
        name="evaluation", label=_("Họp đánh giá"), deadline=_("hạn họp đánh giá kết quả"),
        due_field="evaluation_due_date", states=(Status.REPORTED,), responsible=AUTHORITY,
        stopped_on="evaluation__meeting__meeting_date",
    ),
    Clock(
        name="conclusion", label=_("Kết luận bằng văn bản"), deadline=_("hạn kết luận bằng văn bản"),
        due_field="conclusion_due_date", states=(Status.EVALUATED,), responsible=AUTHORITY,
        stopped_on="conclusion__conclusion_date",
    ),
)

CLOCK_BY_NAME: dict[str, Clock] = {clock.name: clock for clock in CLOCKS}
#: The clock that runs in each state (at most one).
CLOCK_OF_STATE: dict[str, Clock] = {state: clock for clock in CLOCKS for state in clock.states}


#: How far back the lateness of a clock is counted from a table of working days built once; older due dates (a
#: proposal forgotten for years) are counted day by day.
LATENESS_TABLE_DAYS = 3 * 366


class Lateness:
    """Working days by which due dates have passed, for many rows with one read of the calendar: a running count
    of working days from a start date, so each row costs a subtraction (a list, an export of a million rows)."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.start = today - datetime.timedelta(days=LATENESS_TABLE_DAYS)
        calendar = WorkingCalendar(self.start, today)
        self._count: dict[datetime.date, int] = {}
        count, day = 0, self.start
        while day <= today:
            if day > self.start and calendar.is_working_day(day):
                count += 1
            self._count[day] = count
            day += datetime.timedelta(days=1)

    def working_days_late(self, due: datetime.date | None) -> int:
        """Working days after `due` up to today (0 when not yet due): as `routing.calendar.working_days_between`."""
        if due is None or due >= self.today:
            return 0
        if due < self.start:
            return working_days_between(due, self.today)
        return self._count[self.today] - self._count[due]


def running_clock(status: str, due_dates: dict[str, datetime.date | None], lateness: Lateness) -> dict | None:
    """The clock running in `status`: its label, due date and the working days by which it is late, if any."""
    clock = CLOCK_OF_STATE.get(status)
    due = due_dates.get(clock.due_field) if clock else None
    if due is None:
        return None
    return {"name": clock.name, "label": clock.label, "due": due, "late": lateness.working_days_late(due)}
