"""With a read replica (DATABASE_REPLICA_URL), the monitoring pages read from it and everything else from the
primary. In the test settings the replica alias is a second, read-only connection to the test database
(a test mirror), so these tests commit their data (transaction=True) for that connection to see it."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.replica import ReportReadsRouter, report_reads
from proposals.models import Proposal
from tests.helpers import client_for, submitted

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.REPORT_READS_DATABASE = "replica"


def run(client, url) -> tuple[bytes, list[str], list[str]]:
    """The page's body, and the SQL it ran on the replica and on the primary (a streamed body included)."""
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return body, [q["sql"] for q in on_replica.captured_queries], [q["sql"] for q in on_primary.captured_queries]


def _reads_figures(sql: str) -> bool:
    """The proposals, or the dashboard's facts and counters kept from them (reports.models)."""
    return any(table in sql for table in ('"proposals_proposal"', 'reports_proposalfact', 'reports_proposalcount'))


@pytest.mark.parametrize("url", [reverse("reports:dashboard"), reverse("reports:proposals"),
                                 reverse("reports:dashboard_part", args=["authority"]),
                                 reverse("reports:export", args=["csv"])])
def test_the_monitoring_pages_read_their_figures_from_the_replica(org, replica, url):
    proposal = submitted(org.proposer_dept, title="Đề xuất trên bản sao")

    body, on_replica, on_primary = run(client_for(org.homeaffairs), url)

    assert any(_reads_figures(sql) for sql in on_replica)
    assert not any(_reads_figures(sql) for sql in on_primary)
    # the reader's session and own notifications stay on the primary
    assert any('"django_session"' in sql for sql in on_primary)
    assert not any('"django_session"' in sql or '"notifications_' in sql for sql in on_replica)
    if "export.csv" in url:
        assert proposal.reference.encode() in body


def test_a_background_export_reads_its_rows_from_the_replica_and_writes_its_job_on_the_primary(
        org, replica, monkeypatch):
    import datetime

    from reports import services
    from reports.selectors import ReportFilters

    monkeypatch.setattr("reports.tasks.enqueue_export_job", lambda job_id: None)  # run here, not by a worker
    submitted(org.proposer_dept, title="Đề xuất trên bản sao")
    today = timezone.localdate()
    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=ReportFilters(
        date_from=today - datetime.timedelta(days=30), date_to=today))

    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        job = services.export_job_run(job_id=job.pk)

    assert job.status == job.Status.DONE and job.rows_done == 1
    assert any('"proposals_proposal"' in q["sql"] for q in on_replica.captured_queries)
    assert not any('"proposals_proposal"' in q["sql"] for q in on_primary.captured_queries)
    assert any(q["sql"].startswith("UPDATE") and "reports_exportjob" in q["sql"] for q in on_primary.captured_queries)


def test_a_proposal_page_and_the_inbox_read_only_from_the_primary(org, replica):
    proposal = submitted(org.proposer_dept)

    for user, url in ((org.proposer_dept, proposal.get_absolute_url()), (org.head_dept, reverse("review:inbox"))):
        _body, on_replica, on_primary = run(client_for(user), url)
        assert on_replica == [] and any('"proposals_proposal"' in sql for sql in on_primary)


def test_without_a_replica_the_monitoring_pages_read_from_the_primary(org, settings):
    settings.REPORT_READS_DATABASE = None
    submitted(org.proposer_dept)

    _body, on_replica, on_primary = run(client_for(org.homeaffairs), reverse("reports:dashboard"))

    assert on_replica == [] and any(_reads_figures(sql) for sql in on_primary)


def test_a_row_read_from_the_replica_is_saved_to_the_primary(org, replica):
    submitted(org.proposer_dept)
    with report_reads():
        proposal = Proposal.objects.get()
    assert proposal._state.db == "replica"

    proposal.title = "Sửa trên bản chính"
    proposal.save(update_fields=["title"])  # the replica's connection is read-only: this would fail there

    assert Proposal.objects.using("default").get().title == "Sửa trên bản chính"
    router = ReportReadsRouter()
    assert router.db_for_write(Proposal, instance=proposal) == "default"
    assert router.allow_migrate("replica", "proposals") is False


def test_a_report_page_that_shows_the_readers_own_changes_reads_from_the_primary(org, replica):
    """The annual review lists the reports Home Affairs has just asked for: a lagging replica would hide them."""
    url = reverse("reports:annual", args=[timezone.localdate().year])
    _body, on_replica, on_primary = run(client_for(org.homeaffairs), url)

    assert on_replica == [] and on_primary
