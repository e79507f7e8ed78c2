import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.celery import app as celery_app
from reports import services, tasks
from reports.errors import NotAllowed
from reports.models import AnnualReview, AnnualReviewReport
from tests.helpers import client_for


@pytest.fixture
def year():
    from django.utils import timezone

    return timezone.localdate().year


def test_home_affairs_writes_the_assessment(org, year):
    services.annual_review_save(actor=org.homeaffairs, year=year, data={
        "results": "Nhiều đề xuất được phê duyệt.", "lessons": "Cần hướng dẫn sớm.",
        "shortcomings": "=HYPERLINK(\"x\")", "corrective_measures": "Tập huấn."})

    review = AnnualReview.objects.get(year=year)
    assert review.results == "Nhiều đề xuất được phê duyệt." and review.updated_by == org.homeaffairs
    with pytest.raises(NotAllowed):
        services.annual_review_save(actor=org.head_dept, year=year, data={"results": "x"})


def test_the_task_produces_the_pdf_and_xlsx_and_is_safe_to_run_twice(org, dataset, year):
    services.annual_review_save(actor=org.homeaffairs, year=year, data={
        "results": "Kết quả tốt.", "lessons": "", "shortcomings": '=HYPERLINK("http://x","y")',
        "corrective_measures": ""})
    report = services.annual_review_report_request(actor=org.homeaffairs, year=year)
    assert report.status == "queued"
    # a second click while it waits returns the same report
    assert services.annual_review_report_request(actor=org.homeaffairs, year=year).pk == report.pk

    assert tasks.annual_review_report_generate(report.pk) == "done"
    report.refresh_from_db()
    first_pdf = report.pdf.name
    assert tasks.annual_review_report_generate(report.pk) == "done"  # idempotent: nothing regenerated

    report.refresh_from_db()
    assert report.progress == 100 and report.pdf.name == first_pdf and report.finished_at
    pdf = report.pdf.read()
    assert pdf.startswith(b"%PDF")
    # the Department's letterhead in the Decree 30 format; the number is left for its clerk to give
    from pypdf import PdfReader

    first_page = [" ".join(line.split()) for line in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()]
    assert "SỞ NỘI VỤ" in first_page and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first_page
    assert any(line.startswith("Số:") and line.endswith("/BC-SNV") for line in first_page)
    book = load_workbook(io.BytesIO(report.xlsx.read()))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Số đề xuất đăng ký"] == sum(
        1 for p in dataset.registered if p.submitted_at.year == year)
    assessment = {row[0]: row[1] for row in book["Đánh giá"].iter_rows(min_row=2, values_only=True)}
    assert assessment["Hạn chế, tồn tại"] == '=HYPERLINK("http://x","y")'
    cell = next(c for c in book["Đánh giá"]["B"] if c.value == '=HYPERLINK("http://x","y")')
    assert cell.data_type == "s"
    authorities = {row[0] for row in book["Theo cơ quan"].iter_rows(min_row=2, values_only=True)}
    assert "Sở Xây dựng" in authorities


def test_a_failed_generation_is_recorded_and_can_be_retried(org, year, monkeypatch):
    report = services.annual_review_report_request(actor=org.homeaffairs, year=year)

    def broken(**kwargs):
        raise RuntimeError("Pango missing")

    monkeypatch.setattr("reports.documents.annual_review_pdf", broken)
    services.annual_review_report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and "Pango missing" in report.error

    monkeypatch.undo()
    services.annual_review_report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "done"


@pytest.fixture
def eager_celery():
    """Tasks run in this process instead of going to the broker, as a worker would run them."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_requesting_a_report_queues_the_task_after_commit(org, year, eager_celery, django_capture_on_commit_callbacks):
    client = client_for(org.homeaffairs)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("reports:annual_generate", args=[year]))

    assert response.status_code == 302
    assert len(callbacks) == 1
    report = AnnualReviewReport.objects.get()
    assert report.status == "done"
    page = client.get(reverse("reports:annual", args=[year]))
    assert reverse("reports:annual_download", args=[report.pk, "pdf"]) in page.content.decode()
    download = client.get(reverse("reports:annual_download", args=[report.pk, "xlsx"]))
    assert download.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(download.streaming_content)))["Tổng hợp"]


def test_the_progress_fragment_polls_until_done(org, year):
    report = services.annual_review_report_request(actor=org.homeaffairs, year=year)
    client = client_for(org.homeaffairs)
    url = reverse("reports:annual_progress", args=[report.pk])

    waiting = client.get(url).content.decode()
    services.annual_review_report_generate(report_id=report.pk)
    done = client.get(url).content.decode()

    assert 'hx-trigger="every 1s"' in waiting and f'hx-get="{url}"' in waiting and 'aria-valuenow="0"' in waiting
    assert "hx-trigger" not in done
    assert reverse("reports:annual_download", args=[report.pk, "pdf"]) in done
    # once done, the page's message that the report was being made is removed (an out-of-band delete)
    removal = '<div id="background-work-message" hx-swap-oob="delete"></div>'
    assert removal not in waiting and removal in done


def test_the_message_that_a_report_is_being_made_can_be_removed_when_it_is(org, year):
    client = client_for(org.homeaffairs)
    page = client.post(reverse("reports:annual_generate", args=[year]), follow=True).content.decode()
    assert 'role="alert" id="background-work-message"' in page and "Đang tạo báo cáo tổng kết" in page


def test_earlier_reports_stay_listed(org, year):
    first = services.annual_review_report_request(actor=org.homeaffairs, year=year)
    services.annual_review_report_generate(report_id=first.pk)
    second = services.annual_review_report_request(actor=org.homeaffairs, year=year)

    response = client_for(org.homeaffairs).get(reverse("reports:annual", args=[year]))

    assert [r.pk for r in response.context["reports"]] == [second.pk, first.pk]


@pytest.mark.parametrize("who", ["head_dept", "proposer_dept", "outsider"])
def test_annual_review_pages_are_404_for_everyone_else(org, year, who):
    report = services.annual_review_report_request(actor=org.homeaffairs, year=year)
    services.annual_review_report_generate(report_id=report.pk)
    client = client_for(getattr(org, who))

    assert client.get(reverse("reports:annual", args=[year])).status_code == 404
    assert client.post(reverse("reports:annual_generate", args=[year])).status_code == 404
    assert client.get(reverse("reports:annual_progress", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:annual_download", args=[report.pk, "pdf"])).status_code == 404


def test_the_assessment_form_saves(org, year):
    response = client_for(org.homeaffairs).post(reverse("reports:annual", args=[year]), {
        "results": "Tốt", "lessons": "", "shortcomings": "", "corrective_measures": "Tăng cường"})

    assert response.status_code == 302
    assert AnnualReview.objects.get(year=year).corrective_measures == "Tăng cường"
