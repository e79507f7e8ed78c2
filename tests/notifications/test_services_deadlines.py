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


# — the scan in bulk (issue 11: a day's share, or a missed week, at city scale) —


def _written(events) -> set:
    return {(e.proposal_id, e.details["clock"], e.details["due_date"], e.details["level"],
             tuple(e.details["recipients"])) for e in events}


def test_a_scan_runs_the_same_number_of_queries_however_many_proposals_are_due(org, django_assert_max_num_queries):
    # given two late proposals of two authorities, scanned on the day both escalations are due
    few = [submitted(org.proposer_dept), submitted(org.proposer_ward)]
    late = add_working_days(max(p.review_due_date for p in few), 3)
    with django_assert_max_num_queries(30) as captured:
        assert len(services.deadline_scan(today=late)) == 4

    # when four times as many are due on the same day
    many = [submitted(author) for author in (org.proposer_dept, org.proposer_ward, org.proposer_city) * 3]
    with django_assert_max_num_queries(len(captured.captured_queries)):
        written = services.deadline_scan(today=late)

    # then the scan wrote each of them, with no more queries than for two
    assert {(e.proposal_id, e.details["level"]) for e in written} == {
        (p.pk, level) for p in many for level in (HEAD, ABOVE)}
    assert OutboxMessage.objects.filter(event__in=written).count() == sum(len(e.details["recipients"]) for e in written)
    assert services.deadline_scan(today=late) == []


def test_a_missed_week_is_caught_up_by_one_run_that_writes_each_escalation_once(org, monkeypatch):
    from django.db import transaction

    from tests.helpers import days_ago

    # given proposals whose clocks end on different days, and a scan that ran daily until `last_run`
    proposals = []
    for back in range(0, 12, 2):
        with days_ago(monkeypatch, back):
            proposals.append(submitted(org.proposer_dept if back % 4 else org.proposer_ward))
    dues = sorted({p.review_due_date for p in proposals})
    last_run = dues[0] - ONE_DAY
    day = dues[0] - datetime.timedelta(days=7)
    while day <= last_run:
        services.deadline_scan(today=day)
        day += ONE_DAY
    back_on = last_run + datetime.timedelta(days=8)

    # what a scan that never missed a day would have written in that week (then undone)
    sid = transaction.savepoint()
    daily = set()
    day = last_run + ONE_DAY
    while day <= back_on:
        daily |= _written(services.deadline_scan(today=day))
        day += ONE_DAY
    transaction.savepoint_rollback(sid)

    # when the scan runs again a week later
    caught_up = services.deadline_scan(today=back_on)

    # then every escalation of the missed days is written once, with the same recipients, and so is every
    # reminder of a clock that has not ended yet; a reminder of a clock that ended meanwhile is not sent late
    assert {e for e in daily if e[3] != REMINDER} and {e for e in daily if e[3] != REMINDER} <= _written(caught_up)
    assert _written(caught_up) == {e for e in daily if e[3] != REMINDER or e[2] >= back_on.isoformat()}
    assert services.deadline_scan(today=back_on) == []
    services.deadline_scan(today=back_on + ONE_DAY)  # the next day's own, and nothing twice
    history = ProposalEvent.objects.filter(kind__in=["reminded", "escalated"]).values_list(
        "proposal_id", "details__clock", "details__due_date", "details__level")
    assert len(history) == len(set(history))
    escalated_above = {e.proposal_id for e in caught_up if e.details["level"] == ABOVE}
    assert escalated_above and all(permissions.can_view(org.head_city, p) for p in proposals if p.pk in escalated_above)


def _wait_for_a_lock_waiter(timeout=20.0) -> bool:
    """Poll PostgreSQL until some session of this database waits on a row lock."""
    import time

    from django.db import connection

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("returned", [False, True], ids=["decision-kept", "returned-meanwhile"])
def test_the_scan_waits_for_a_transition_in_progress_and_judges_the_row_it_leaves(org, returned):
    import threading

    from django.db import connection, transaction

    from proposals import services as proposal_services
    from proposals.locks import proposal_lock

    proposal = submitted(org.proposer_dept)
    late = add_working_days(proposal.review_due_date, 1)
    locked, waited = threading.Event(), []

    def transition_in_progress():
        try:
            with transaction.atomic():
                proposal_lock(proposal.pk)
                if returned:
                    proposal_services.proposal_return_for_revision(
                        actor=org.deputy_dept, proposal=proposal, message="Bổ sung")
                locked.set()
                # hold the row until the scan, having skipped it once, waits for it
                waited.append(_wait_for_a_lock_waiter())
        finally:
            connection.close()

    thread = threading.Thread(target=transition_in_progress)
    thread.start()
    assert locked.wait(20)
    written = services.deadline_scan(today=late)
    thread.join()

    assert waited == [True]
    if returned:
        assert written == [] and not ProposalEvent.objects.filter(kind="escalated").exists()
    else:
        assert [(e.proposal_id, e.details["level"]) for e in written] == [(proposal.pk, HEAD)]
