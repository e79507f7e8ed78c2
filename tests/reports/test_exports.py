"""Background exports of the monitoring lists (issue 11): the job, the task that writes the file through the
storage API, and the pages, each only for the person who asked."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import ADMINISTRATORS_GROUP, HOME_AFFAIRS_GROUP, AuthorityMembership
from proposals.models import private_storage
from reports import services
from reports.errors import NotAllowed
from reports.models import ExportJob
from reports.selectors import ReportFilters
from tests.factories import UserFactory
from routing.calendar import working_days_between
from tests.helpers import client_for, submitted

Status = ExportJob.Status


@pytest.fixture
def period():
    today = timezone.localdate()
    return ReportFilters(date_from=today - datetime.timedelta(days=60), date_to=today)


@pytest.fixture
def enqueued_jobs(monkeypatch) -> list[int]:
    """Job ids handed to the broker after commit (recorded here instead of sent)."""
    ids: list[int] = []
    monkeypatch.setattr("reports.tasks.enqueue_export_job", ids.append)
    return ids


def _query(**extra) -> dict:
    today = timezone.localdate()
    return {"date_from": (today - datetime.timedelta(days=60)).strftime("%d/%m/%Y"),
            "date_to": today.strftime("%d/%m/%Y"), **extra}


def _start_url(**extra) -> str:
    from urllib.parse import urlencode

    return f"{reverse('reports:export_start')}?{urlencode(_query(**extra))}"


def _sheet_rows(job: ExportJob) -> list[tuple]:
    with private_storage.open(job.file.name, "rb") as file:
        return list(load_workbook(io.BytesIO(file.read())).active.iter_rows(values_only=True))


# — the service —

def test_a_second_request_for_the_same_list_while_it_is_made_returns_the_same_job(org, period, enqueued_jobs,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
        again = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
        other_format = services.export_job_start(actor=org.homeaffairs, fmt="csv", filters=period)
        narrower = services.export_job_start(actor=org.homeaffairs, fmt="xlsx",
                                             filters=ReportFilters(**{**vars(period), "status": "submitted"}))

    assert again.pk == job.pk and job.status == Status.QUEUED
    assert len({job.pk, other_format.pk, narrower.pk}) == 3
    assert enqueued_jobs == [job.pk, other_format.pk, narrower.pk]  # once each, after commit
    assert job.params == period.params() and job.expires_at > timezone.now()
    # the database holds it too: a second active job for the same list cannot be written
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(created_by=org.homeaffairs, format="xlsx", params=job.params,
                                 params_key=job.params_key, expires_at=job.expires_at)


def test_once_the_file_is_ready_the_same_list_can_be_exported_again(org, period, enqueued_jobs):
    first = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
    services.export_job_run(job_id=first.pk)

    second = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)

    assert second.pk != first.pk


def test_a_job_whose_worker_vanished_does_not_block_a_new_one(org, period, enqueued_jobs, settings):
    stuck = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
    ExportJob.objects.filter(pk=stuck.pk).update(
        status=Status.RUNNING, started_at=timezone.now() - datetime.timedelta(seconds=settings.EXPORT_TIME_LIMIT + 1))

    fresh = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)

    stuck.refresh_from_db()
    assert fresh.pk != stuck.pk
    assert stuck.status == Status.FAILED and stuck.failure == ExportJob.Failure.INTERRUPTED


@pytest.mark.parametrize("who", ["proposer_dept", "deputy_dept", "outsider"])
def test_only_people_with_a_report_scope_may_export(org, period, who):
    with pytest.raises(NotAllowed) as refused:
        services.export_job_start(actor=getattr(org, who), fmt="xlsx", filters=period)

    assert refused.value.code == "not_allowed"
    assert not ExportJob.objects.exists()


# — the task —

def test_the_task_writes_the_workbook_into_private_storage_and_counts_its_rows(org, dataset, period, enqueued_jobs,
                                                                             monkeypatch):
    from reports import tasks
    from reports.services import exports as export_services

    monkeypatch.setattr(export_services, "PROGRESS_EVERY", 2)
    seen: list[int] = []
    real_progress = export_services._progress
    monkeypatch.setattr(export_services, "_progress", lambda job_id, rows: (seen.append(rows),
                                                                            real_progress(job_id, rows)))
    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)

    assert tasks.export_job_run(job.pk) == "done"

    job.refresh_from_db()
    rows = _sheet_rows(job)
    assert rows[0][:3] == ("Số hiệu", "Tên đề xuất", "Lĩnh vực")
    assert {row[1] for row in rows[1:]} == {p.title for p in dataset.registered}
    assert isinstance(rows[1][8], datetime.datetime)
    assert job.rows_done == job.rows_total == len(dataset.registered) == len(rows) - 1
    assert seen == [2, 4, 6, 8]
    assert job.scope_key == "city" and job.finished_at and job.expires_at > job.finished_at
    assert private_storage.exists(job.file.name)
    # a second delivery of the task changes nothing
    first_file = job.file.name
    assert tasks.export_job_run(job.pk) == "done"
    job.refresh_from_db()
    assert job.file.name == first_file


def test_a_head_s_csv_holds_only_the_scope_read_when_it_runs(org, dataset, period, enqueued_jobs):
    job = services.export_job_start(actor=org.head_dept, fmt="csv", filters=period)

    services.export_job_run(job_id=job.pk)

    job.refresh_from_db()
    with private_storage.open(job.file.name, "rb") as file:
        rows = list(csv.reader(io.StringIO(file.read().decode("utf-8-sig"))))
    titles = {row[1] for row in rows[1:]}
    assert len(titles) == 6 and "Phường phê duyệt" not in titles and "Thành phố không phê duyệt" not in titles
    assert job.scope_key == f"authorities:{org.construction.pk}"


def test_a_person_who_lost_the_scope_before_the_job_ran_gets_no_file(org, dataset, period, enqueued_jobs):
    job = services.export_job_start(actor=org.head_dept, fmt="xlsx", filters=period)
    AuthorityMembership.objects.filter(user=org.head_dept).update(
        valid_from=timezone.localdate() - datetime.timedelta(days=30),
        valid_to=timezone.localdate() - datetime.timedelta(days=1))

    job = services.export_job_run(job_id=job.pk)

    assert job.status == Status.FAILED and job.failure == ExportJob.Failure.NO_SCOPE and not job.file


def test_filters_outside_the_scope_are_refused_when_the_job_runs(org, dataset, period, enqueued_jobs):
    job = services.export_job_start(actor=org.head_dept, fmt="xlsx",
                                    filters=ReportFilters(**{**vars(period), "authority": org.ward}))

    job = services.export_job_run(job_id=job.pk)

    assert job.status == Status.FAILED and job.failure == ExportJob.Failure.FILTERS and not job.file


def test_a_failed_job_says_so_and_can_be_retried(org, dataset, period, enqueued_jobs, monkeypatch,
                                                django_capture_on_commit_callbacks):
    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)

    from reports import exports

    real_write = exports.write_proposals

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reports.exports.write_proposals", broken)
    job = services.export_job_run(job_id=job.pk)
    assert job.status == Status.FAILED and job.failure == ExportJob.Failure.ERROR and "disk full" in job.error

    monkeypatch.setattr("reports.exports.write_proposals", real_write)
    with django_capture_on_commit_callbacks(execute=True):
        retried = services.export_job_retry(actor=org.homeaffairs, job=job)
    assert retried.pk == job.pk and retried.status == Status.QUEUED and retried.failure == ""
    assert enqueued_jobs == [job.pk]
    assert services.export_job_run(job_id=job.pk).status == Status.DONE
    with pytest.raises(NotAllowed):
        services.export_job_retry(actor=org.head_dept, job=job)


def test_files_expire_and_are_deleted_from_storage(org, period, enqueued_jobs):
    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
    job = services.export_job_run(job_id=job.pk)
    name = job.file.name

    assert services.export_jobs_expire(now=job.expires_at - datetime.timedelta(seconds=1)) == 0
    assert services.export_jobs_expire(now=job.expires_at) == 1

    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not private_storage.exists(name)


def test_the_file_is_written_in_the_language_of_the_person_who_asked(org, dataset, period, enqueued_jobs):
    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period, language="en")

    job = services.export_job_run(job_id=job.pk)

    assert _sheet_rows(job)[0][0] == "Reference number"


@pytest.mark.django_db(transaction=True)
def test_with_no_broker_the_file_is_written_in_a_thread_and_the_request_returns_at_once(org, period):
    import time

    from notifications import broker
    from portal.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:6399/0"  # nothing listens there
    app.close()
    broker.forget()
    try:
        response = client_for(org.homeaffairs).post(_start_url(), {"format": "xlsx"})
        assert response.status_code == 302
        job = ExportJob.objects.get()
        deadline = time.monotonic() + 30
        while ExportJob.objects.get(pk=job.pk).status != Status.DONE and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        app.conf.broker_url = previous
        app.close()
        broker.forget()
    job.refresh_from_db()
    assert job.status == Status.DONE and private_storage.exists(job.file.name)


# — the pages —

def test_the_list_page_starts_a_job_with_a_post_and_a_double_click_opens_the_same_job(org, dataset, enqueued_jobs):
    client = client_for(org.homeaffairs)
    page = client.get(reverse("reports:proposals"), _query(status="rejected")).content.decode()
    assert f'action="{reverse("reports:export_start")}?' in page and 'name="format" value="xlsx"' in page

    first = client.post(_start_url(status="rejected"), {"format": "xlsx"})
    second = client.post(_start_url(status="rejected"), {"format": "xlsx"})

    job = ExportJob.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("reports:export_job", args=[job.pk])
    assert job.params["status"] == "rejected" and job.format == "xlsx"
    assert client.get(_start_url()).status_code == 405


def test_the_old_excel_link_leads_back_to_the_list(org):
    response = client_for(org.homeaffairs).get(reverse("reports:export", args=["xlsx"]), _query(status="approved"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:proposals")) and "status=approved" in response["Location"]


def test_the_job_page_polls_until_the_file_is_ready_then_offers_it(org, dataset, period, enqueued_jobs):
    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
    client = client_for(org.homeaffairs)
    progress = reverse("reports:export_progress", args=[job.pk])
    download = reverse("reports:export_download", args=[job.pk])

    waiting = client.get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert f'hx-get="{progress}"' in waiting and 'hx-trigger="every 1s"' in waiting and download not in waiting

    services.export_job_run(job_id=job.pk)
    done = client.get(progress).content.decode()
    assert "hx-trigger" not in done and download in done

    response = client.get(download)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == len(dataset.registered) + 1


def test_a_failed_job_shows_a_translated_reason_and_a_retry_button(org, period, enqueued_jobs):
    job = services.export_job_start(actor=org.head_dept, fmt="xlsx",
                                    filters=ReportFilters(**{**vars(period), "authority": org.ward}))
    services.export_job_run(job_id=job.pk)
    client = client_for(org.head_dept)

    page = client.get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert str(ExportJob.Failure.FILTERS.label) in page
    assert reverse("reports:export_retry", args=[job.pk]) in page

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert str(ExportJob.Failure.FILTERS.label) not in english

    assert client.post(reverse("reports:export_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == Status.QUEUED


def test_the_progress_fragment_runs_a_fixed_number_of_queries(org, dataset, period, enqueued_jobs,
                                                             django_assert_max_num_queries):
    job = services.export_job_start(actor=org.head_dept, fmt="xlsx", filters=period)
    client = client_for(org.head_dept)
    url = reverse("reports:export_progress", args=[job.pk])

    with django_assert_max_num_queries(6) as captured:
        assert client.get(url).status_code == 200
    services.export_job_run(job_id=job.pk)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert reverse("reports:export_download", args=[job.pk]) in client.get(url).content.decode()


def test_the_list_of_my_exports_runs_a_fixed_number_of_queries(org, period, enqueued_jobs,
                                                             django_assert_max_num_queries):
    client = client_for(org.homeaffairs)
    services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
    with django_assert_max_num_queries(8) as captured:
        client.get(reverse("reports:exports"))
    for status in ("submitted", "approved", "rejected"):
        services.export_job_start(actor=org.homeaffairs, fmt="csv",
                                  filters=ReportFilters(**{**vars(period), "status": status}))
    services.export_job_start(actor=org.head_dept, fmt="xlsx", filters=period)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(reverse("reports:exports"))
    assert len(response.context["jobs"]) == 4  # not the head's


@pytest.fixture
def everyone_else(org):
    """Everybody but the author of the job: another Home Affairs officer, an administrator, heads, a deputy,
    proposers and an outsider."""
    colleague = UserFactory(username="homeaffairs.2", full_name="Đồng Nghiệp Nội Vụ")
    colleague.groups.add(Group.objects.get(name=HOME_AFFAIRS_GROUP))
    admin = UserFactory(username="admin.portal", full_name="Quản Trị")
    admin.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    return {"colleague": colleague, "admin": admin, "head_city": org.head_city, "head_dept": org.head_dept,
            "head_ward": org.head_ward, "deputy_dept": org.deputy_dept, "proposer_dept": org.proposer_dept,
            "outsider": org.outsider}


@pytest.mark.parametrize("who", ["colleague", "admin", "head_city", "head_dept", "head_ward", "deputy_dept",
                                 "proposer_dept", "outsider"])
def test_nobody_but_its_author_sees_a_job_or_its_file(org, period, enqueued_jobs, everyone_else, who):
    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
    services.export_job_run(job_id=job.pk)
    client = client_for(everyone_else[who])

    for name in ("export_job", "export_progress", "export_download"):
        assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404, name
    assert client.post(reverse("reports:export_retry", args=[job.pk])).status_code == 404
    assert job.pk not in [j.pk for j in (client.get(reverse("reports:exports")).context or {}).get("jobs", [])]
    # and the author does
    assert client_for(org.homeaffairs).get(reverse("reports:export_download", args=[job.pk])).status_code == 200


@pytest.mark.parametrize("who", ["proposer_dept", "deputy_dept", "outsider"])
def test_people_without_a_report_scope_cannot_start_or_list_exports(org, who):
    client = client_for(getattr(org, who))

    assert client.post(_start_url(), {"format": "xlsx"}).status_code == 404
    assert client.get(reverse("reports:exports")).status_code == 404
    assert not ExportJob.objects.exists()


def test_an_expired_file_or_a_changed_scope_is_no_longer_served(org, dataset, period, enqueued_jobs):
    job = services.export_job_start(actor=org.head_dept, fmt="xlsx", filters=period)
    services.export_job_run(job_id=job.pk)
    client = client_for(org.head_dept)
    url = reverse("reports:export_download", args=[job.pk])
    assert client.get(url).status_code == 200

    # the head now also heads the ward: the file was written for a narrower scope
    AuthorityMembership.objects.create(authority=org.ward, user=org.head_dept, role="deputy")
    AuthorityMembership.objects.filter(authority=org.ward, role="head").update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
        valid_from=timezone.localdate() - datetime.timedelta(days=30))
    AuthorityMembership.objects.filter(authority=org.ward, user=org.head_dept).update(role="head")
    assert client.get(url).status_code == 404

    AuthorityMembership.objects.filter(authority=org.ward, user=org.head_dept).delete()
    assert client.get(url).status_code == 200
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(url).status_code == 404


def test_a_new_proposal_after_the_export_is_not_in_the_file(org, dataset, period, enqueued_jobs):
    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
    services.export_job_run(job_id=job.pk)
    submitted(org.proposer_dept, title="Gửi sau khi xuất")

    job.refresh_from_db()
    assert "Gửi sau khi xuất" not in {row[1] for row in _sheet_rows(job)}


def test_a_job_deleted_with_its_owner_takes_its_file_out_of_storage(org, period, enqueued_jobs,
                                                                    django_capture_on_commit_callbacks):
    owner = UserFactory(username="monitor.leaving")
    Group.objects.get(name=HOME_AFFAIRS_GROUP).user_set.add(owner)
    job = services.export_job_run(job_id=services.export_job_start(actor=owner, fmt="xlsx", filters=period).pk)
    name = job.file.name
    assert private_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        owner.delete()

    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not private_storage.exists(name)


# — the same columns as the screen, and file names that say what they hold —

def test_the_export_has_the_screens_columns_in_its_order_with_the_running_step_and_its_lateness(
        org, dataset, period, enqueued_jobs):
    from reports import exports

    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=period)
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    rows = _sheet_rows(job)

    header = list(rows[0])
    assert header == exports.headers()
    overdue = next(row for row in rows[1:] if row[1] == "Đang quá hạn xem xét")
    step, due, late = (overdue[header.index(name)] for name in ("Bước đang chạy", "Hạn của bước",
                                                               "Quá hạn (ngày làm việc)"))
    assert step == "Xem xét, quyết định" and due.date() == dataset.overdue.review_due_date
    assert late == working_days_between(dataset.overdue.review_due_date, timezone.localdate()) > 0
    # the screen shows the same columns in the same order: the cells beneath a heading follow it in the file
    page = client_for(org.homeaffairs).get(reverse("reports:proposals"), _query()).content.decode()
    headings = [heading for heading in ("Số hiệu", "Tên đề xuất", "Người đề xuất", "Cơ quan quyết định",
                                        "Trạng thái", "Ngày gửi", "Bước đang chạy", "Ngày quyết định",
                                        "Kinh phí dự kiến (đồng)")]
    thead = page.split("<thead>")[1].split("</thead>")[0]
    assert [thead.index(heading) for heading in headings] == sorted(thead.index(heading) for heading in headings)
    assert [header.index(heading) for heading in headings] == sorted(header.index(heading) for heading in headings)
    row = page.split("Đang quá hạn xem xét")[1].split("</tr>")[0]
    assert f"quá {late} ngày làm việc" in row and dataset.overdue.review_due_date.strftime("%d/%m/%Y") in row


def test_an_export_s_file_name_says_which_proposals_it_holds(org, dataset, enqueued_jobs):
    today = timezone.localdate()
    filters = ReportFilters(date_from=datetime.date(today.year, 1, 1), date_to=today, authority=org.construction,
                            clock="review")
    job = services.export_job_start(actor=org.homeaffairs, fmt="xlsx", filters=filters)

    assert job.filename.startswith(f"de-xuat_so-xay-dung_01-01-{today.year}_{today:%d-%m-%Y}_review_")
    assert job.filename.endswith(".xlsx") and job.filename.isascii()
    response = client_for(org.homeaffairs).get(reverse("reports:export", args=["csv"]), _query(status="submitted"))
    assert 'filename="de-xuat_tat-ca-co-quan_' in response["Content-Disposition"]
    assert "_submitted_" in response["Content-Disposition"]
