"""Background exports of the monitoring lists (issue 11: an export of any size is never cut off by the web
server's timeout).

The page asks for a job (`export_job_start`); a Celery worker writes the file (`export_job_run`) through the
storage API into private storage, counting rows as it goes so that the job page can show a progress bar; the
person downloads the file from the job page until it expires (`export_jobs_expire`, daily). The job keeps the
list's filters as query parameters: when it runs, the person's report scope is read again and the filters are
validated against it, so nobody gets rows they may no longer see.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import tempfile
import uuid
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from accounts.models import User
from portal.replica import report_reads
from reports import exports, permissions, selectors
from reports.errors import DomainError, NotAllowed
from reports.forms import ReportFilterForm
from reports.models import ExportJob

logger = logging.getLogger(__name__)
Status = ExportJob.Status
Failure = ExportJob.Failure
ACTIVE = (Status.QUEUED, Status.RUNNING)
#: Rows between two progress updates: one UPDATE per this many rows costs nothing next to writing them.
PROGRESS_EVERY = 1000


def _params_key(fmt: str, params: dict) -> str:
    return hashlib.sha256(json.dumps({"format": fmt, "params": params}, sort_keys=True).encode()).hexdigest()


def _stale_before(now: datetime.datetime) -> datetime.datetime:
    """A job waiting or running since before this moment is dead: the task's own time limit has passed."""
    return now - datetime.timedelta(seconds=settings.EXPORT_TIME_LIMIT)


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)


@transaction.atomic
def export_job_start(*, actor: User, fmt: str, filters: selectors.ReportFilters,
                     language: str | None = None) -> ExportJob:
    """Queue the export of a list, or return the one already being made for the same person, format and
    filters (a double click, a reload of the POST); returns the job."""
    if selectors.report_scope_for(user=actor) is None:
        raise NotAllowed()
    if fmt not in ExportJob.Format.values:
        raise DomainError(code="export_format_unknown")
    params = filters.params()
    key = _params_key(fmt, params)
    now = timezone.now()
    active = ExportJob.objects.select_for_update().filter(created_by=actor, params_key=key, status__in=ACTIVE).first()
    if active is not None:
        if (active.started_at or active.created_at) >= _stale_before(now):
            return active
        _fail(active.pk, Failure.INTERRUPTED, "no progress within EXPORT_TIME_LIMIT")
    try:
        # The partial unique constraint decides between two requests that race past the check above.
        with transaction.atomic():
            job = ExportJob.objects.create(created_by=actor, format=fmt, params=params, params_key=key,
                                           file_stem=exports.file_stem(filters, at=now),
                                           language=language or settings.LANGUAGE_CODE, expires_at=_expiry(now))
    except IntegrityError:
        return ExportJob.objects.get(created_by=actor, params_key=key, status__in=ACTIVE)
    _enqueue_after_commit(job.pk)
    return job


@transaction.atomic
def export_job_retry(*, actor: User, job: ExportJob) -> ExportJob:
    """Queue a failed job again, with the filters it was given; returns the job that will make the file (an
    identical job started meanwhile, if there is one)."""
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if not permissions.can_see_export(actor, job):
        raise NotAllowed()
    if job.status != Status.FAILED:
        raise DomainError(code="export_not_failed")
    if selectors.report_scope_for(user=actor) is None:
        raise NotAllowed()
    try:
        with transaction.atomic():
            ExportJob.objects.filter(pk=job.pk).update(
                status=Status.QUEUED, failure="", error="", rows_done=0, rows_total=None, started_at=None,
                finished_at=None, expires_at=_expiry(timezone.now()))
    except IntegrityError:
        return ExportJob.objects.get(created_by=actor, params_key=job.params_key, status__in=ACTIVE)
    _enqueue_after_commit(job.pk)
    job.refresh_from_db()
    return job


def _enqueue_after_commit(job_id: int) -> None:
    from reports.tasks import enqueue_export_job

    transaction.on_commit(partial(enqueue_export_job, job_id), robust=True)


def _progress(job_id: int, rows: int) -> None:
    # Outside any transaction in a worker, so the page polling the job sees each step.
    ExportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(rows_done=rows)


def _fail(job_id: int, failure: str, error: str = "") -> None:
    ExportJob.objects.filter(pk=job_id).update(status=Status.FAILED, failure=failure, error=error[:2000],
                                               finished_at=timezone.now())


def export_job_run(*, job_id: int, today: datetime.date | None = None) -> ExportJob | None:
    """Write the file of a queued job. Safe to run twice (the broker may deliver the task again): a job that is
    finished, or that another worker is writing, is left alone unless that worker has been gone for longer
    than a task may run. Returns the job as it is afterwards (None if it was deleted)."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id).filter(
        Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=_stale_before(now)),
    ).update(status=Status.RUNNING, started_at=now, rows_done=0, rows_total=None)
    job = ExportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or not claimed:
        return job
    saved = ""
    try:
        scope = selectors.report_scope_for(user=job.created_by)
        if scope is None:
            _fail(job_id, Failure.NO_SCOPE)
            return _reread(job_id)
        form = ReportFilterForm(job.params, scope=scope)
        if not form.is_valid():
            _fail(job_id, Failure.FILTERS, form.errors.as_json())
            return _reread(job_id)
        filters = form.filters(today)
        # The rows are report reads (the replica when there is one); the progress is written to the primary.
        with report_reads():
            total = selectors.proposal_list_for_report(scope=scope, filters=filters, today=today).count()
        ExportJob.objects.filter(pk=job_id).update(rows_total=total)
        with tempfile.TemporaryFile() as spool, translation.override(job.language), report_reads():
            written = exports.write_proposals(spool, fmt=job.format, scope=scope, filters=filters,
                                              progress=partial(_progress, job_id), every=PROGRESS_EVERY)
            spool.seek(0)
            # Through the storage API only: the private storage may be a local folder or an object store.
            job.file.save(f"{uuid.uuid4().hex}.{job.format}", File(spool), save=False)
            saved = job.file.name
        finished = timezone.now()
        done = ExportJob.objects.filter(pk=job_id, status=Status.RUNNING, started_at=now).update(
            status=Status.DONE, file=saved, rows_done=written, rows_total=written, scope_key=permissions.scope_key(scope),
            finished_at=finished, expires_at=_expiry(finished))
        if not done:
            # The job was deleted or taken over while this worker wrote; its file is nobody's.
            job.file.storage.delete(saved)
    except Exception as error:
        logger.exception("Export job %s failed", job_id)
        if saved:
            job.file.storage.delete(saved)
        failure = Failure.INTERRUPTED if isinstance(error, SoftTimeLimitExceeded) else Failure.ERROR
        ExportJob.objects.filter(pk=job_id, started_at=now).update(
            status=Status.FAILED, failure=failure, error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now())
    return _reread(job_id)


def _reread(job_id: int) -> ExportJob | None:
    return ExportJob.objects.select_related("created_by").filter(pk=job_id).first()


def export_jobs_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the jobs whose time is up, with their files; returns how many (daily, notifications/schedule.py)."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).only("pk", "file").iterator(chunk_size=500):
        if job.file.name:
            job.file.storage.delete(job.file.name)
        count += ExportJob.objects.filter(pk=job.pk).delete()[0]
    return count
