"""The annual review: opened each January, Home Affairs' assessment, and the report generated from it in the
background."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from proposals import outbox
from proposals.models import NoticeKind, OutboxMessage
from reports import documents, permissions, selectors
from reports.models import AnnualReview, AnnualReviewReport

logger = logging.getLogger(__name__)
Status = AnnualReviewReport.Status

ASSESSMENT_FIELDS = ("results", "lessons", "shortcomings", "corrective_measures")


@transaction.atomic
def annual_review_open(*, year: int, today: datetime.date | None = None) -> list[OutboxMessage]:
    """Open the review of `year` (DOMAIN.md "Monitoring and the annual review") and tell every current head of a
    city agency and of a local committee, in-app and by e-mail if they want it, to file the unit's
    implementation plan and report for the year.

    Safe to run again (the January task retries, beat may fire twice): the reminders are outbox messages keyed
    by the year, so each head is told once, and the review's row lock serialises two runs for one year.
    Returns the messages queued by this run."""
    today = today or timezone.localdate()
    AnnualReview.objects.select_for_update().get_or_create(year=year)
    return outbox.queue_notices(
        OutboxMessage(kind=NoticeKind.ANNUAL_REVIEW, key=f"annual-review:{year}", recipient_id=pk,
                      payload={"year": year, "unit": unit.name})
        for pk, unit in selectors.plan_unit_heads(on=today).items()
    )


@transaction.atomic
def annual_review_save(*, actor: User, year: int, data: dict) -> AnnualReview:
    permissions.require_monitor(actor)
    review, _created = AnnualReview.objects.select_for_update().get_or_create(year=year)
    changed = [name for name in ASSESSMENT_FIELDS if name in data and getattr(review, name) != data[name].strip()]
    for name in changed:
        setattr(review, name, data[name].strip())
    review.updated_by = actor
    review.full_clean()
    review.save(update_fields=[*changed, "updated_by", "updated_at"])
    return review


@transaction.atomic
def annual_review_report_request(*, actor: User, year: int) -> AnnualReviewReport:
    """Queue a report for the year. A report already waiting or running is returned instead of a second one."""
    permissions.require_monitor(actor)
    review, _created = AnnualReview.objects.select_for_update().get_or_create(year=year)
    waiting = review.reports.filter(status__in=[Status.QUEUED, Status.RUNNING]).first()
    if waiting:
        return waiting
    report = AnnualReviewReport.objects.create(review=review, created_by=actor)
    report_id = report.pk

    def enqueue():
        from reports.tasks import enqueue_annual_review_report

        enqueue_annual_review_report(report_id)

    transaction.on_commit(enqueue)
    return report


def _progress(report_id: int, progress: int) -> None:
    # Each step commits on its own so that the page polling the report sees it move.
    AnnualReviewReport.objects.filter(pk=report_id).update(progress=progress)


def annual_review_report_generate(*, report_id: int, today: datetime.date | None = None) -> AnnualReviewReport:
    """Produce the PDF and XLSX of a queued report. Safe to run twice: a finished report is left alone, and a
    report another worker is producing is not touched unless that worker has been gone for longer than a task
    may run."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimed = AnnualReviewReport.objects.filter(pk=report_id).filter(
        Q(status__in=[Status.QUEUED, Status.FAILED]) | Q(status=Status.RUNNING, started_at__lt=stale)
    ).update(status=Status.RUNNING, progress=5, started_at=now, error="")
    report = AnnualReviewReport.objects.select_related("review").get(pk=report_id)
    if not claimed:
        return report
    try:
        review = report.review
        figures = selectors.annual_review_figures(year=review.year, today=today)
        _progress(report_id, 40)
        pdf = documents.annual_review_pdf(review=review, figures=figures)
        _progress(report_id, 75)
        xlsx = documents.annual_review_xlsx(review=review, figures=figures)
        _progress(report_id, 90)
        stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
        base = f"tong-ket-{review.year}-{report_id}-{stamp}"
        report.pdf.save(f"{base}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"{base}.xlsx", ContentFile(xlsx), save=False)
        report.status, report.progress, report.finished_at = Status.DONE, 100, timezone.now()
        report.save(update_fields=["pdf", "xlsx", "status", "progress", "finished_at"])
    except Exception as error:
        logger.exception("Annual review report %s failed", report_id)
        AnnualReviewReport.objects.filter(pk=report_id).update(
            status=Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now())
        report.refresh_from_db()
    return report
