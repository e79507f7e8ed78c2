"""Celery adapters of the accounts app: take ids, call a service, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from accounts import services

logger = logging.getLogger(__name__)


@shared_task(name="accounts.organisation_import_check")
def organisation_import_check(import_id: int) -> str:
    return services.organisation_import_check(import_id=import_id).status


@shared_task(name="accounts.organisation_import_apply")
def organisation_import_apply(import_id: int) -> str:
    return services.organisation_import_apply(import_id=import_id).status


def enqueue(task, import_id: int) -> None:
    """Hand the import to a worker; with no broker reachable, run it here so nothing waits forever."""
    try:
        task.delay(import_id)
    except OperationalError:
        logger.warning("Broker unreachable; running %s of import %s in process", task.name, import_id)
        task.run(import_id)
