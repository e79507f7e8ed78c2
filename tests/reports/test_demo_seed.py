"""`seed_demo` fills the portal with proposals over the last three years, in every state, through the services."""

import datetime
import io

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from accounts.models import User
from proposals import demo
from proposals.models import (
    Decision,
    OutboxMessage,
    Proposal,
    ProposalEvent,
    ProtectionDecision,
    RetaliationReport,
    Reward,
)
from proposals.workflow import Status
from reports import selectors
from tests.helpers import submitted


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in (
        Proposal, ProposalEvent, Decision, ProtectionDecision, Reward, RetaliationReport, OutboxMessage, User)}


@pytest.mark.django_db(transaction=False)
def test_seed_demo_creates_proposals_in_every_state_once(reference_data):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    first = _counts()

    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())

    assert _counts() == first  # nothing new on a second run
    statuses = dict(Proposal.objects.values_list("status").annotate(n=Count("pk")))
    assert set(statuses) == set(Status.values)
    assert 60 <= first["Proposal"] <= 120
    assert set(Proposal.objects.values_list("creation_token", flat=True)) <= set(demo.demo_tokens(first["Proposal"]))

    # spread over the last three years, never in the future, with the audit trail the services wrote
    today = timezone.localdate()
    span = Proposal.objects.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    assert timezone.localdate(span["first"]) <= today - datetime.timedelta(days=700)
    assert timezone.localdate(span["first"]) >= today - datetime.timedelta(days=3 * 366)
    assert timezone.localdate(span["last"]) <= today
    assert not ProposalEvent.objects.filter(created_at__gt=timezone.now()).exists()
    for proposal in Proposal.objects.exclude(status=Status.DRAFT).exclude(submitted_at__isnull=True):
        submitted_event = proposal.events.filter(kind=ProposalEvent.Kind.SUBMITTED).order_by("created_at").first()
        assert submitted_event.created_at == proposal.submitted_at
    for decision in Decision.objects.select_related("proposal"):
        assert decision.decision_date == timezone.localdate(decision.proposal.decided_at)
    assert Proposal.objects.filter(approval_basis="head").exists()
    assert Proposal.objects.values("deciding_authority").distinct().count() >= 10

    # the dashboard is meaningful on first run
    filters = selectors.ReportFilters(date_from=today - datetime.timedelta(days=3 * 366), date_to=today)
    data = selectors.dashboard_data(scope=selectors.Scope(city=True), filters=filters)
    assert data["summary"]["total"] == Proposal.objects.exclude(status=Status.DRAFT).count()
    assert data["summary"]["approved"] and data["summary"]["rejected"] and data["summary"]["override"]
    assert all(clock["on_time"] and clock["late"] and clock["overdue"] for clock in data["summary"]["clocks"])
    assert all(row["count"] for row in data["aftercare"]["outcomes"])
    assert all(row["count"] for row in data["aftercare"]["tiers"])
    assert data["aftercare"]["damage"]
    assert all(row["total"] for row in data["rewards"]["rows"])
    assert all(data["rewards"]["totals"][result] for result in Reward.Result.values)
    assert all(row["count"] for row in data["retaliation"]["rows"])
    head = selectors.report_scope_for(user=User.objects.get(username="head.dept"))
    assert selectors.dashboard_data(scope=head, filters=filters)["summary"]["total"]


@pytest.mark.django_db
def test_demo_accounts_still_sign_in_and_new_proposals_route_as_before(reference_data):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    users = {user.username: user for user in User.objects.filter(username__in=[
        "proposer.dept", "proposer.city", "proposer.ward", "proposer.staff", "head.dept"])}

    routes = {name: submitted(user).deciding_authority.code for name, user in users.items()}

    assert all(check_password("demo", user.password) for user in users.values())
    assert routes == {"proposer.dept": "so-xay-dung", "proposer.staff": "so-xay-dung", "proposer.city": "ubnd-tp",
                      "head.dept": "ubnd-tp", "proposer.ward": "p-ben-thanh"}
