import datetime

import pytest

from notifications import services
from notifications.services.deadlines import ABOVE, HEAD, REMINDER
from proposals import permissions
from proposals.models import OutboxMessage, ProposalEvent
from routing.calendar import add_working_days, is_working_day, working_days_between
from tests.helpers import approved, evaluated, reported, submitted

ONE_DAY = datetime.timedelta(days=1)


def reminder_day(due: datetime.date) -> datetime.date:
    """The working day two working days before `due`."""
    day = due - ONE_DAY
    while not (is_working_day(day) and working_days_between(day, due) == 2):
        day -= ONE_DAY
    return day


def recipients(event):
    return set(OutboxMessage.objects.filter(event=event).values_list("recipient_id", flat=True))


def test_members_of_the_authority_are_reminded_two_working_days_before_the_review_clock_ends(org):
    proposal = submitted(org.proposer_dept)
    due = proposal.review_due_date
    day = reminder_day(due)

    assert services.deadline_scan(today=day - ONE_DAY) == []
    [event] = services.deadline_scan(today=day)

    assert event.kind == ProposalEvent.Kind.REMINDED and event.actor is None
    assert event.details["clock"] == "review" and event.details["level"] == REMINDER
    assert event.details["due_date"] == due.isoformat()
    assert due.strftime("%d/%m/%Y") in event.details["reason"]
    assert recipients(event) == {org.head_dept.pk, org.deputy_dept.pk}
    # never twice for the same clock and level, however often the scan runs
    assert services.deadline_scan(today=day) == []
    assert services.deadline_scan(today=due) == []


def test_an_overdue_review_goes_to_the_head_then_to_the_authority_above_and_home_affairs(org):
    proposal = submitted(org.proposer_dept)
    due = proposal.review_due_date
    services.deadline_scan(today=reminder_day(due))
    first_after, third_after = add_working_days(due, 1), add_working_days(due, 3)

    # on the last day of the clock and on days off after it: nothing new
    assert services.deadline_scan(today=due) == []
    day = due + ONE_DAY
    while day < first_after:
        assert services.deadline_scan(today=day) == []
        day += ONE_DAY

    [to_head] = services.deadline_scan(today=first_after)
    assert to_head.kind == ProposalEvent.Kind.ESCALATED and to_head.details["level"] == HEAD
    assert recipients(to_head) == {org.head_dept.pk}
    assert not permissions.can_view(org.head_city, proposal)

    assert services.deadline_scan(today=add_working_days(due, 2)) == []
    [above] = services.deadline_scan(today=third_after)
    assert above.details["level"] == ABOVE
    assert recipients(above) == {org.head_city.pk, org.homeaffairs.pk}
    assert org.city.name in above.details["reason"]
    assert permissions.can_view(org.head_city, proposal)
    from notifications.messages import compose

    assert "đôn đốc" in compose(above).body and "đôn đốc" not in compose(to_head).body
    assert services.deadline_scan(today=third_after + datetime.timedelta(days=30)) == []
    # all of it is in the proposal's history
    assert list(proposal.events.filter(kind__in=["reminded", "escalated"]).values_list("details__level", flat=True)) == [
        REMINDER, HEAD, ABOVE]


def test_a_scan_that_did_not_run_for_days_catches_up(org):
    proposal = submitted(org.proposer_dept)

    written = services.deadline_scan(today=add_working_days(proposal.review_due_date, 5))

    assert [e.details["level"] for e in written] == [HEAD, ABOVE]


def test_a_decided_or_returned_proposal_is_no_longer_chased(org):
    from proposals import services as proposal_services

    proposal = submitted(org.proposer_dept)
    proposal_services.proposal_return_for_revision(actor=org.deputy_dept, proposal=proposal, message="Bổ sung")

    assert services.deadline_scan(today=add_working_days(proposal.review_due_date, 5)) == []


@pytest.mark.parametrize(("clock", "build"), [("evaluation", reported), ("conclusion", evaluated)])
def test_the_authority_is_reminded_of_evaluation_and_conclusion(org, clock, build):
    proposal = build(org.proposer_dept)
    due = getattr(proposal, f"{clock}_due_date")

    [event] = services.deadline_scan(today=reminder_day(due))

    assert event.details["clock"] == clock
    assert recipients(event) == {org.head_dept.pk, org.deputy_dept.pk}


def test_the_author_is_reminded_of_the_results_report(org):
    from proposals import services as proposal_services

    proposal = approved(org.proposer_dept)
    proposal_services.implementation_start(actor=org.proposer_dept, proposal=proposal)
    proposal_services.proposal_complete(actor=org.proposer_dept, proposal=proposal)
    proposal.refresh_from_db()

    [event] = services.deadline_scan(today=reminder_day(proposal.report_due_date))

    assert event.details["clock"] == "report"
    assert recipients(event) == {org.proposer_dept.pk}
    [to_head] = services.deadline_scan(today=add_working_days(proposal.report_due_date, 1))
    assert recipients(to_head) == {org.head_dept.pk}
