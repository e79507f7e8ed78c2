"""Home Affairs in the browser: the dashboard, a drill-down, an export and the annual review, both made in the
background by a real worker."""

import io

import redis
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from openpyxl import load_workbook
import pytest
from playwright.sync_api import expect

import reports.tasks  # noqa: F401  (a real worker imports it through autodiscovery)
from portal.celery import app
from reports.models import ExportJob
from tests.browser.helpers import WIDTHS, screenshot
from tests.helpers import approved, reject, submitted


@pytest.mark.parametrize("width", WIDTHS)
def test_home_affairs_monitors_exports_and_produces_the_annual_review(live_server, signed_in, org, width):
    approved(org.proposer_dept, title="Số hóa cấp phép")
    rejected = submitted(org.proposer_dept, title="Đề xuất bị từ chối")
    reject(org.head_dept, rejected)
    submitted(org.proposer_ward, title="Đề xuất của phường")
    monitor = signed_in("homeaffairs")

    monitor.goto(f"{live_server.url}/reports/")
    main = monitor.locator("main")
    expect(main).to_contain_text("Sở Xây dựng")
    expect(main).to_contain_text("UBND phường Bến Thành")
    screenshot(monitor, f"{width}-monitoring-1-dashboard")
    monitor.goto(f"{live_server.url}/reports/proposals/?status=rejected")
    expect(monitor.locator("main")).to_contain_text("Đề xuất bị từ chối")
    expect(monitor.locator("main")).not_to_contain_text("Số hóa cấp phép")
    screenshot(monitor, f"{width}-monitoring-2-drill-down")

    # the Excel file is written by a real worker while the job page shows its progress, then downloaded
    redis.Redis.from_url(app.conf.broker_url).flushdb()
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10,
                      loglevel="WARNING"):
        monitor.goto(f"{live_server.url}/reports/proposals/")
        monitor.locator("button[name=format][value=xlsx]").click()
        expect(monitor.locator("h1")).to_contain_text("Xuất danh sách đề xuất")
        download_link = monitor.locator("a", has_text="Tải về")
        expect(download_link).to_be_visible(timeout=60_000)
        screenshot(monitor, f"{width}-monitoring-3-export")
    with monitor.expect_download() as download:
        download_link.click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"Số hóa cấp phép", "Đề xuất bị từ chối", "Đề xuất của phường"} <= titles
    # a double click on the list's button opens the same job, not a second one
    monitor.goto(f"{live_server.url}/reports/proposals/")
    monitor.locator("button[name=format][value=xlsx]").dblclick()
    expect(monitor.locator("h1")).to_contain_text("Xuất danh sách đề xuất")
    assert ExportJob.objects.count() == 2

    # the annual review is produced by a real worker while the page shows its progress
    redis.Redis.from_url(app.conf.broker_url).flushdb()
    year = timezone.localdate().year
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10,
                      loglevel="WARNING"):
        monitor.goto(f"{live_server.url}/reports/annual/{year}/")
        monitor.locator("form[action$='/generate/'] button[type=submit]").click()
        expect(monitor.locator("a", has_text="PDF")).to_be_visible(timeout=60_000)
        # the message that the report was being made goes once it is made
        expect(monitor.locator("#background-work-message")).to_have_count(0)
    with monitor.expect_download() as pdf:
        monitor.locator("a", has_text="PDF").first.click()
    assert open(pdf.value.path(), "rb").read(4) == b"%PDF"


def test_a_head_sees_only_his_authority_and_a_proposer_nothing(live_server, signed_in, org):
    submitted(org.proposer_dept, title="Đề xuất của Sở")
    submitted(org.proposer_ward, title="Đề xuất của phường")

    head = signed_in("head.dept")
    head.goto(f"{live_server.url}/reports/proposals/")
    expect(head.locator("main")).to_contain_text("Đề xuất của Sở")
    expect(head.locator("main")).not_to_contain_text("Đề xuất của phường")

    proposer = signed_in("proposer.dept")
    assert proposer.goto(f"{live_server.url}/reports/").status == 404
