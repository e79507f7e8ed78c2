"""Celery adapters: take ids, call a service, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django import db
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
