"""Home Affairs takes in the organisation from an HR workbook of a few thousand rows in the browser, checked and
applied by a real Celery worker; an imported official then signs in through the City's identity provider (a real
OpenID provider on 127.0.0.1, tests/oidc), finds their unit and files a proposal, which goes to the imported
authority's head; a merge of two departments then moves it to their successor (issue 15)."""

import copy
import io
import re

import redis
from celery.contrib.testing.worker import start_worker
from openpyxl import Workbook
from playwright.sync_api import expect

import accounts.tasks  # noqa: F401  (a real worker imports it through autodiscovery)
from accounts.models import OrganisationUnit
from portal.celery import app
from portal.settings.base import origin_of
from proposals.models import Proposal
from tests.accounts.test_imports import MEMBERSHIP_HEADERS, OFFICIAL_HEADERS, POST_HEADERS, UNIT_HEADERS
from tests.browser.helpers import (
    PLAN,
    file_through_the_guided_form,
    screenshot,
    sign_in_with_city_account,
    submit,
)
from tests.oidc import running_provider

DIVISIONS = 40
STAFF_PER_DIVISION = 50


def hr_workbook() -> bytes:
    """A department of 40 divisions and 2,000 officials, its director and deputy."""
    book = Workbook()
    book.remove(book.active)
    units = book.create_sheet("Đơn vị")
    units.append(UNIT_HEADERS)
    units.append(["so-gtvt", "Sở Giao thông vận tải", "city_agency", "ubnd-tp", "SGTVT", "01/07/2025", None])
    officials, posts = book.create_sheet("Cán bộ"), book.create_sheet("Chức vụ")
    officials.append(OFFICIAL_HEADERS)
    posts.append(POST_HEADERS)
    officials.append(["GT0000", "Nguyễn Văn Giám Đốc Giao Thông", "gd.gtvt@tphcm.gov.vn", None])
    posts.append(["GT0000", "so-gtvt", "Giám đốc", "admin_leader", "ubnd-tp", "có", "có", "01/07/2025", None])
    for division in range(1, DIVISIONS + 1):
        code = f"sgtvt-p{division:02d}"
        units.append([code, f"Phòng {division} Sở Giao thông vận tải", "division", "so-gtvt", None, "01/07/2025",
                      None])
        for person in range(STAFF_PER_DIVISION):
            staff = f"GT{division:02d}{person:02d}"
            officials.append([staff, f"Trần Thị Cán Bộ {division}-{person}", f"{staff.lower()}@tphcm.gov.vn", None])
            head = person == 0
            posts.append([staff, code, "Trưởng phòng" if head else "Chuyên viên",
                          "admin_leader" if head else "staff", "so-gtvt", "có", "có" if head else "không",
                          "01/07/2025", None])
    memberships = book.create_sheet("Thành viên cơ quan")
    memberships.append(MEMBERSHIP_HEADERS)
    memberships.append(["so-gtvt", "GT0000", "head", "01/07/2025", None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


#: The imported official and director at the City's identity provider: one known by staff code, the other by
#: the e-mail address the HR file gave.
PROVIDER_ACCOUNTS = {
    "tran.canbo": {"staff_code": "GT0101", "email": "another.address@tphcm.gov.vn", "email_verified": True},
    "giamdoc.gtvt": {"email": "GD.GTVT@tphcm.gov.vn", "email_verified": True},
}


def test_home_affairs_imports_the_organisation_and_an_imported_official_files_a_proposal(
        live_server, signed_in, org, tmp_path, settings):
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(hr_workbook())
    monitor = signed_in("homeaffairs")
    monitor.on("dialog", lambda dialog: dialog.accept())  # "apply this import?"

    redis.Redis.from_url(app.conf.broker_url).flushdb()
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10,
                      loglevel="WARNING"):
        monitor.goto(f"{live_server.url}/organisation/")
        monitor.get_by_role("link", name="Nhập từ tệp nhân sự").click()
        monitor.locator("input[name=files]").set_input_files(str(path))
        monitor.get_by_role("button", name="Tải lên và kiểm tra").click()
        status = monitor.locator("[data-status]")
        expect(status).to_have_attribute("data-status", "checked", timeout=120_000)
        counts = monitor.locator("#import-counts")
        expect(counts).to_contain_text(str(DIVISIONS + 1))
        expect(counts).to_contain_text(str(DIVISIONS * STAFF_PER_DIVISION + 1))
        screenshot(monitor, "desktop-organisation-import-checked")
        monitor.get_by_role("button", name="Áp dụng").click()
        expect(monitor.locator("[data-status]")).to_have_attribute("data-status", "applied", timeout=120_000)
        screenshot(monitor, "desktop-organisation-import-applied")

    # an imported official signs in through the identity provider, and files a proposal
    with running_provider(PROVIDER_ACCOUNTS, f"{live_server.url}/oidc/callback/") as provider_settings:
        for name, value in provider_settings.items():
            setattr(settings, name, value)
        # as the settings do when a provider's end-session endpoint is configured
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(origin_of(provider_settings["OIDC_OP_LOGOUT_ENDPOINT"]))
        settings.CONTENT_SECURITY_POLICY = policy
        page = signed_in("proposer.dept")
        page.context.clear_cookies()
        sign_in_with_city_account(page, live_server.url, "tran.canbo")
        expect(page.locator("main")).to_contain_text("Trần Thị Cán Bộ 1-1")
        page.goto(f"{live_server.url}/organisation/?q=GT0101")
        expect(page.locator("#officials-found-table")).to_contain_text("Phòng 1 Sở Giao thông vận tải")
        page.goto(f"{live_server.url}/proposals/new/")
        file_through_the_guided_form(page, "desktop")
        expect(page.locator("#routing-preview")).to_contain_text(
            "Gửi người đứng đầu Sở Giao thông vận tải vì người đề xuất không giữ chức vụ quản lý")
        submit(page, page.get_by_role("button", name="Gửi đề xuất"))
        expect(page.locator("#sent-panel")).to_contain_text("Đã gửi đề xuất")
        proposal = Proposal.objects.get(title=PLAN["title"])
        assert proposal.author.employee_code == "GT0101"
        assert proposal.deciding_authority.code == "so-gtvt"

        # signing out of the portal signs out of the City's account too: the next person gives their own
        page.get_by_role("button", name="Đăng xuất", include_hidden=True).dispatch_event("click")
        page.get_by_role("button", name="Yes, sign me out").click()
        expect(page.locator("#single-sign-on")).to_be_visible()
        # the imported director, found by e-mail, has it to decide
        sign_in_with_city_account(page, live_server.url, "giamdoc.gtvt")
        page.goto(f"{live_server.url}/review/")
        expect(page.locator("main")).to_contain_text(PLAN["title"])

    # Home Affairs merges two departments, the imported one and Sở Xây dựng, into a new one: the open proposal
    # follows its successor
    monitor.goto(f"{live_server.url}/organisation/")
    monitor.get_by_role("link", name="Tổ chức lại đơn vị").click()
    combobox = monitor.get_by_role("combobox", name="Các đơn vị được hợp nhất (hoặc đổi tên)")
    for typed, name in (("so giao thong", "Sở Giao thông vận tải"), ("so xay dung", "Sở Xây dựng")):
        combobox.fill(typed)
        expect(monitor.get_by_role("option", name=re.compile(rf"^{name} —"))).to_be_visible()
        monitor.keyboard.press("ArrowDown")
        monitor.keyboard.press("Enter")
        expect(monitor.get_by_role("checkbox", name=name)).to_be_checked()
    monitor.locator("[name=new_name]").fill("Sở Giao thông công chính")
    monitor.locator("[name=new_code]").fill("so-gtcc")
    monitor.locator("[name=new_kind]").select_option("city_agency")
    submit(monitor, monitor.get_by_role("button", name="Xem trước"))
    expect(monitor.locator("#merge-proposals")).to_contain_text(proposal.reference)
    screenshot(monitor, "desktop-organisation-merge-plan")
    submit(monitor, monitor.get_by_role("button", name="Áp dụng tổ chức lại"))
    expect(monitor.locator("h1")).to_contain_text("Sở Giao thông công chính")
    proposal.refresh_from_db()
    assert proposal.deciding_authority.code == "so-gtcc"
    assert OrganisationUnit.objects.get(code="so-xay-dung").successor.code == "so-gtcc"
    page.goto(f"{live_server.url}/review/")  # the director's role moved with the department
    expect(page.locator("main")).to_contain_text(PLAN["title"])
