"""The clock table (`proposals.clocks`) is the only declaration of the procedure's clocks: the proposal page, the
review inbox, the deadline scan and its messages, and the reports' compliance figures each cover exactly the
clocks of the table."""

import dataclasses
import datetime

import pytest
from django.conf import settings
from django.db import models
from django.utils import timezone

from notifications import services as notifications
from notifications.messages import compose
from proposals import selectors
from proposals import services as proposal_services
from proposals.clocks import CLOCK_OF_STATE, CLOCKS
from proposals.models import Proposal
from proposals.workflow import Status
from reports import selectors as reports
from reports.forms import ReportFilterForm
from routing.calendar import add_working_days
from tests.helpers import approved, evaluated, reported, submitted

NAMES = [clock.name for clock in CLOCKS]


def completed(author):
    proposal = approved(author)
    proposal_services.implementation_start(actor=author, proposal=proposal)
    proposal_services.proposal_complete(actor=author, proposal=proposal)
    proposal.refresh_from_db()
    return proposal


#: How to bring a proposal, through the services, into the first state in which each clock runs.
#: A new clock needs a line here.
INTO_STATE = {
    Status.SUBMITTED: submitted,
    Status.COMPLETED: completed,
    Status.REPORTED: reported,
    Status.EVALUATED: evaluated,
}


def test_no_two_clocks_run_in_the_same_state():
    assert len(CLOCK_OF_STATE) == sum(len(clock.states) for clock in CLOCKS)


def test_every_clock_has_its_length_in_the_settings_and_every_length_a_clock():
    assert set(settings.CLOCK_WORKING_DAYS) == set(NAMES)


@pytest.mark.parametrize("clock", CLOCKS, ids=NAMES)
def test_a_clock_names_a_due_date_column_and_the_date_that_stops_it(clock):
    assert isinstance(Proposal._meta.get_field(clock.due_field), models.DateField)
    # the lookup of the act's date resolves from a proposal (a FieldError otherwise)
    assert str(Proposal.objects.values(clock.stopped_on).query)


@pytest.mark.parametrize("clock", CLOCKS, ids=NAMES)
def test_a_clock_lasts_the_working_days_its_setting_gives(db, settings, clock):
    settings.CLOCK_WORKING_DAYS = {**settings.CLOCK_WORKING_DAYS, clock.name: 11}
    start = datetime.date(2026, 3, 2)

    assert clock.due_from(start) == add_working_days(start, 11)


def test_the_reports_offer_the_clocks_of_the_table_as_drill_downs(db):
    form = ReportFilterForm(scope=reports.Scope(city=True))

    assert [value for value, _label in form.fields["clock"].choices if value] == NAMES


@pytest.mark.parametrize("clock", CLOCKS, ids=NAMES)
def test_the_page_the_inbox_the_scan_and_the_reports_follow_each_clock_of_the_table(org, clock):
    # given a proposal in the first state in which the clock runs, a working day past its due date
    proposal = INTO_STATE[clock.states[0]](org.proposer_dept)
    due = getattr(proposal, clock.due_field)
    late = add_working_days(due, 1)

    # the proposal page shows the clock
    assert proposal.open_clock == {"name": clock.name, "label": clock.label, "due": due}

    # the reviewer's inbox lists it as overdue
    overdue_inbox = selectors.proposal_inbox_for_reviewer(
        user=org.deputy_dept, filters=selectors.InboxFilters(overdue=True), today=late)
    assert list(overdue_inbox) == [proposal]

    # the deadline scan chases it, and the message names the clock's deadline
    escalations = notifications.deadline_scan(today=late)
    assert {event.details["clock"] for event in escalations} == {clock.name}
    assert all(str(clock.deadline) in compose(event).body for event in escalations)

    # the reports count it, list it among the overdue and behind the clock's drill-down
    today = timezone.localdate()
    filters = reports.ReportFilters(date_from=today - datetime.timedelta(days=1),
                                    date_to=today + datetime.timedelta(days=1))
    scope = reports.Scope(city=True)
    data = reports.dashboard_data(scope=scope, filters=filters, today=late)
    figures = data["summary"]["clocks"]
    assert [row["key"] for row in figures] == NAMES
    assert {row["key"]: row["overdue"] for row in figures} == {name: int(name == clock.name) for name in NAMES}
    assert [(p.pk, p.overdue_clock) for p in data["overdue"]] == [(proposal.pk, clock.name)]
    drill_down = dataclasses.replace(filters, clock=clock.name, compliance=reports.Compliance.OVERDUE)
    assert list(reports.proposals_for_report(scope=scope, filters=drill_down, today=late)) == [proposal]
