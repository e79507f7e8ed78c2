"""The bench generator (bench.generate.populate) writes data the portal itself would have written.

At a tiny size, into the test database: the rows pass the database's constraints (they are inserted, not patched
in), the search document is what the trigger computes, the deciding authority is what routing.policy.route answers,
the decide grants are exactly the current members of the deciding authority, and the real selectors count what a
direct query counts. A model change that the generator does not follow fails here rather than in `make bench`.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q

from accounts import selectors as org
from accounts.models import AuthorityMembership, OrganisationUnit, User
from bench import generate
from portal.database import as_owner
from proposals import selectors
from proposals.models import Decision, Proposal, ProposalEvent, ProposalUserObjectPermission, ProposalVersion
from proposals.workflow import AUTHORITY_INBOX, Status
from reports import selectors as reports
from routing.policy import SubmitterProfile, route

PROPOSALS = 300
PLAN = ("necessity", "bottleneck", "objectives", "content_solutions", "scope", "implementers", "timeline_description",
        "resources", "feasibility", "positive_impact", "negative_impact", "expected_results", "risks", "worst_case",
        "risk_handling")


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Generated once for the module, in a transaction rolled back after its last test (each test nests inside);
    as the database's owner, as `make bench` connects, since the generator switches triggers off."""
    from accounts.services import roles_ensure
    from proposals.defaults import ensure_topics
    from proposals.models import Topic
    from routing.defaults import ensure_default_rules
    from routing.models import RoutingRule

    with django_db_blocker.unblock(), as_owner(), transaction.atomic():
        roles_ensure()
        ensure_topics(Topic)
        ensure_default_rules(RoutingRule)
        call_command("seed_demo", "--organisation-only", verbosity=0)
        populated = generate.populate(proposals=PROPOSALS)
        # as `generate()` does: what the portal's triggers keep (the dashboard's facts) is rebuilt after the load
        generate.after_load()
        yield populated
        transaction.set_rollback(True)


@pytest.fixture
def bench_data(generated, db):
    return generated


def test_generator_writes_the_proposals_in_every_state_with_their_rows(bench_data):
    assert Proposal.objects.count() == PROPOSALS
    states = set(Proposal.objects.values_list("status", flat=True))
    assert len(states) >= 12 and Status.DRAFT in states and Status.CLOSED in states
    submitted = Proposal.objects.filter(submitted_at__isnull=False)
    assert ProposalVersion.objects.filter(number=1).count() == submitted.count()
    assert ProposalEvent.objects.filter(kind="created").count() == PROPOSALS
    decided = Proposal.objects.filter(decided_at__isnull=False)
    assert Decision.objects.count() == decided.count() > 0
    assert not Proposal.objects.filter(status=Status.CLOSED, conclusion__isnull=True).exists()
    assert OrganisationUnit.objects.filter(kind=OrganisationUnit.Kind.DIVISION).count() > 100


def test_search_document_is_what_the_trigger_writes(bench_data):
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT count(*) FROM proposals_proposal WHERE search_document IS DISTINCT FROM (
                setweight(to_tsvector('simple', portal_unaccent(concat_ws(' ', reference, title))), 'A')
                || setweight(to_tsvector('simple', portal_unaccent(coalesce(summary, ''))), 'B')
                || setweight(to_tsvector('simple', portal_unaccent(concat_ws(' ', {", ".join(PLAN)}))), 'C'))""")
        assert cursor.fetchone()[0] == 0
    assert selectors.search(Proposal.objects.all(), "so hoa").exists()


def test_generated_proposals_go_where_routing_sends_them(bench_data):
    today = datetime.date.today()
    sample = Proposal.objects.filter(submitted_at__isnull=False).order_by("pk")[:: PROPOSALS // 40]
    for proposal in sample:
        post = org.post_current_principal(user=proposal.author, on=today)
        decision = route(SubmitterProfile(user_id=proposal.author_id, post=post, involved_authorities=(), on=today))
        assert (decision.authority.pk, decision.rule.pk, decision.reason) == (
            proposal.deciding_authority_id, proposal.routings.get().rule_id, proposal.routing_reason)


def test_decide_grants_are_the_current_members_of_the_deciding_authority(bench_data):
    for proposal in Proposal.objects.exclude(status=Status.DRAFT).filter(submitted_at__isnull=False)[:50]:
        members = set(AuthorityMembership.objects.current().filter(authority_id=proposal.deciding_authority_id)
                      .exclude(user_id=proposal.author_id).values_list("user_id", flat=True))
        granted = set(ProposalUserObjectPermission.objects.filter(
            content_object=proposal, permission__codename="decide_proposal").values_list("user_id", flat=True))
        assert granted == members


def test_real_selectors_count_what_a_direct_query_counts(bench_data):
    head = User.objects.get(username="head.city")
    inbox = selectors.proposal_inbox_for_reviewer(user=head).count()
    direct = (Proposal.objects.filter(deciding_authority__code="ubnd-tp", status__in=AUTHORITY_INBOX)
              .exclude(author=head).count())
    assert inbox == direct > 0
    scope = reports.Scope(city=True)
    filters = reports.ReportFilters(date_from=datetime.date(2000, 1, 1), date_to=datetime.date.today())
    assert reports.proposal_list_for_report(scope=scope, filters=filters).count() == Proposal.objects.filter(
        Q(submitted_at__isnull=False)).count()


def test_the_bench_s_sessions_are_signed_in_as_the_portal_signs_in(bench_data):
    from django.conf import settings
    from django.test import Client

    from bench.run import session_for

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_for("proposer.dept")

    page = client.get("/proposals/")

    assert page.status_code == 200 and page.wsgi_request.user.username == "proposer.dept"
