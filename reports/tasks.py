"""Celery adapters: take ids, call a service, safe to run twice."""

from __future__ import annotations

import logging
import threading

from celery import current_app, shared_task
from django import db
from django.conf import settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports import services

logger = logging.getLogger(__name__)


@shared_task(name="reports.annual_review_report_generate")
def annual_review_report_generate(report_id: int) -> str:
    return services.annual_review_report_generate(report_id=report_id).status


@shared_task(name="reports.annual_review_open", acks_late=True,
             autoretry_for=(db.OperationalError, db.InterfaceError), retry_backoff=True, max_retries=6)
def annual_review_open(year: int | None = None) -> int:
    """Each January (notifications/schedule.py): open the review of the year that has just ended."""
    year = year or timezone.localdate().year - 1
    return len(services.annual_review_open(year=year))


def enqueue_annual_review_report(report_id: int) -> None:
    """Hand the report to a worker; with no broker reachable, produce it here so nothing waits forever."""
    try:
        annual_review_report_generate.delay(report_id)
    except OperationalError:
        logger.warning("Broker unreachable; producing annual review report %s in process", report_id)
        services.annual_review_report_generate(report_id=report_id)


EXPORT_JOB_RUN = "reports.export_job_run"


# Longer than other tasks may run (CELERY_TASK_TIME_LIMIT): a list of every year can have a million rows. The soft
# limit comes first so that the job is marked interrupted and can be retried instead of staying "running".
@shared_task(name=EXPORT_JOB_RUN, acks_late=True, time_limit=settings.EXPORT_TIME_LIMIT + 30,
             soft_time_limit=settings.EXPORT_TIME_LIMIT)
def export_job_run(job_id: int) -> str | None:
    job = services.export_job_run(job_id=job_id)
    return job.status if job else None


@shared_task(name="reports.export_jobs_expire", acks_late=True)
def export_jobs_expire() -> int:
    """Daily (notifications/schedule.py): delete the export files whose time is up."""
    return services.export_jobs_expire()


def enqueue_export_job(job_id: int) -> None:
    """Hand the job to a worker. With no broker answering (a machine without Redis, where `make run` starts no
    worker) it is written in a thread of this process instead: the request that asked for it returns at once
    either way, so no web worker timeout can cut the file off."""
    try:
        with current_app.connection_for_write() as connection:
            # One connection attempt, no retries: kombu's defaults would hold the request for seconds.
            connection.ensure_connection(max_retries=0)
            current_app.send_task(EXPORT_JOB_RUN, args=[job_id], connection=connection, retry=False)
    except Exception:
        logger.warning("Broker unreachable; writing export job %s in a thread of this process", job_id)
        threading.Thread(target=_run_here, args=(job_id,), name=f"export-job-{job_id}", daemon=True).start()


def _run_here(job_id: int) -> None:
    try:
        services.export_job_run(job_id=job_id)
    finally:
        db.connection.close()  # the thread's own connection
