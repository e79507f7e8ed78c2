"""Helpers for the browser tests. Each one that sends a form waits for the page the server answers with and for
what that page shows, never for a length of time: under load a click's page may take seconds to arrive, and an
action taken on the old page is lost when the new one replaces it.

Pages of signed-in people come from the `signed_in` fixture (tests/browser/conftest.py), which closes them after
the test.
"""

import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from proposals import content


def today() -> str:
    """Today's date as the portal's date fields take it."""
    return timezone.localdate().strftime("%d/%m/%Y")


#: The widths a journey is walked at: a test parametrized with `width` gets its pages at that size (`signed_in`).
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

#: Where the browser tests leave a picture of each step of the journeys (git-ignored; docs/ guides reuse them).
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page picture of what `page` shows now, as var/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


#: How long a form's answer may take to arrive. Playwright's default (30 s) is a time limit, not a condition:
#: signing a decision renders its PDF in the request, which on a loaded CI machine has taken longer than that.
NAVIGATION_TIMEOUT_MS = 180_000


def submit(page: Page, button: Locator) -> None:
    """Press a form's `button` and wait until the page the server answers with has loaded (the same page with
    the form's errors, or the page it redirects to)."""
    with page.expect_navigation(timeout=NAVIGATION_TIMEOUT_MS):
        button.click()


def submit_sign_in_form(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    submit(page, page.locator("form:has(input[name=password]) [type=submit]"))


def sign_in(page: Page, base_url: str, username: str, password: str = "demo") -> None:
    """Sign in and wait until the page shows the signed-in menu (its sign-out button)."""
    submit_sign_in_form(page, base_url, username, password)
    expect(page.get_by_role("button", name="Đăng xuất", include_hidden=True)).to_be_attached()


def sign_in_with_city_account(page: Page, base_url: str, login: str) -> None:
    """Sign in through the identity provider (tests/oidc): the portal's button, then the provider's own page,
    which takes any password; wait until the portal shows the signed-in menu."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#single-sign-on").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("the provider's password")
    page.get_by_role("button", name="Sign-in").click()
    expect(page.get_by_role("button", name="Đăng xuất", include_hidden=True)).to_be_attached()


def open_action(page: Page, label: str) -> None:
    """Unfold the proposal page's action whose heading is `label`, and wait until it is open."""
    header = page.get_by_role("button", name=label)
    fold = header.get_attribute("data-bs-target")  # before the click: the unfolded form's buttons share words
    header.click()
    _expect_unfolded(page, fold)


def _expect_unfolded(page: Page, selector: str) -> None:
    # Bootstrap marks a fold `show` once it has opened; a click while it is still opening may miss its button.
    expect(page.locator(selector)).to_have_class(re.compile(r"\bshow\b"))


def sign(page: Page, name: str, button: str, screenshot_as: str = "") -> None:
    """Send the unfolded action `name`, which issues a document; wait for the document to be shown whole, then sign
    it with `button` and wait for the page after it."""
    submit(page, page.locator(f"#action-{name} button[type=submit]"))
    expect(page.locator(".document-preview").first).to_be_visible()
    if screenshot_as:
        screenshot(page, screenshot_as)
    submit(page, page.locator("#confirm-document-form").get_by_role("button", name=button, exact=True))


def act(page: Page, name: str, fields: dict, *, checks: tuple = (), shows: str, signs: str = "") -> None:
    """Open the proposal page's action `name`, fill it in, send it (and, for an action that issues a document, sign
    the document shown with the button `signs`), and wait for the page after it to show `shows` (the action's
    confirmation)."""
    page.locator(f"[data-bs-target='#action-{name}']").click()
    _expect_unfolded(page, f"#action-{name}")
    for field_name, value in fields.items():
        field = page.locator(f"[name='{field_name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for field_name in checks:
        page.locator(f"[name='{field_name}']").check()
    if signs:
        sign(page, name, signs)
    else:
        submit(page, page.locator(f"#action-{name} button[type=submit]"))
    expect_message(page, shows)


def expect_message(page: Page, text: str) -> None:
    """Wait until the page shows the message (Django's messages framework) that contains `text`."""
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


#: A whole plan as an official types it into the proposal form.
PLAN = {
    "title": "Liên thông cấp phép xây dựng và đấu nối điện nước",
    "summary": "Một hồ sơ cho ba thủ tục.",
    "necessity": "Người dân phải đi ba nơi.",
    "bottleneck": "Chưa có quy định liên thông giữa các ngành.",
    "objectives": "Giảm thời gian còn 10 ngày.",
    "content_solutions": "Một cửa điện tử liên ngành.",
    "scope": "Thí điểm tại phường Bến Thành.",
    "implementers": "Phòng Quản lý nhà.",
    "start_date": "04/01/2027",
    "end_date": "30/06/2027",
    "timeline_description": "Quý I thí điểm.",
    "resources": "4 cán bộ.",
    "budget_amount": "300000000",
    "budget_source": "Ngân sách Sở",
    "feasibility": "Đã có phần mềm một cửa.",
    "positive_impact": "Giảm chi phí cho người dân.",
    "negative_impact": "Tăng tải cho bộ phận một cửa.",
    "expected_results": "90% hồ sơ đúng hạn.",
    "risks": "Phối hợp liên ngành chậm.",
    "worst_case": "Phải quay lại quy trình cũ.",
    "risk_handling": "Giữ song song quy trình giấy 3 tháng.",
}
CONDITIONS = ["cond_removes_bottleneck", "cond_common_good", "cond_urgent_no_harm", "cond_within_authority",
              "commitment"]


def file_through_the_guided_form(author: Page, width: str) -> None:
    """Fill the plan one section per page, as the guided form asks for it, until the check page."""
    for step in range(1, len(content.SECTIONS) + 1):
        expect(author.locator("main")).to_contain_text(f"Bước {step} trên {len(content.SECTIONS)}")
        expect(author.locator('.step-progress [aria-current="step"]')).to_contain_text(str(content.SECTIONS[step - 1][0]))
        for name in content.section_fields(step):
            if name in PLAN:
                author.locator(f"[name={name}]").fill(PLAN[name])
            elif name in CONDITIONS:
                author.locator(f"input[name={name}]").check()
            elif name == "topic":
                author.locator("select[name=topic]").select_option(index=1)
        if step == 1:
            screenshot(author, f"{width}-filing-0-first-section")
        label = "Lưu và tiếp tục: kiểm tra và gửi" if step == len(content.SECTIONS) else "Lưu và tiếp tục"
        submit(author, author.get_by_role("button", name=label, exact=True))
