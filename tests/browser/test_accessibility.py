"""Every main page of the three journeys, at desktop and phone width, has no serious or critical accessibility
problem that axe-core finds (WCAG 2.1 A and AA rules). axe-core comes from npm (package.json) and is read from
node_modules: nothing is fetched from the network."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page

from tests.browser.helpers import WIDTHS, screenshot
from tests.helpers import deliver_all, draft, submitted

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def axe_problems(page: Page) -> list[str]:
    """The serious and critical problems axe-core finds on what `page` shows now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, which the page's Content-Security-Policy does
        # not govern: the portal's own policy stays as it is in production.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG21_AA)
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            f"{[node['target'] for node in violation['nodes']][:3]}"
            for violation in result["violations"] if violation["impact"] in BLOCKING]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_main_pages_have_no_serious_accessibility_problem(live_server, signed_in, org, width):
    unsent = draft(org.proposer_dept, title="Số hoá hồ sơ cấp phép")
    sent = submitted(org.proposer_dept, title="Một cửa liên thông điện tử")
    deliver_all()
    pages = {  # each page, and the name of its screenshot
        "proposer.dept": {"/": "home", "/proposals/": "my-proposals", "/proposals/new/": "new-proposal",
                          f"/proposals/{unsent.pk}/edit/9/": "guided-section",
                          f"/proposals/{unsent.pk}/check/": "check-your-answers",
                          f"/proposals/{unsent.pk}/delete/": "delete-draft",
                          f"/proposals/{sent.pk}/sent/": "sent", f"/proposals/{sent.pk}/": "proposal",
                          "/notifications/": "notifications"},
        "head.dept": {"/": "home", "/review/": "review-inbox", f"/proposals/{sent.pk}/": "proposal"},
        "homeaffairs": {"/reports/": "dashboard", "/reports/proposals/": "drill-down", "/organisation/": "directory",
                        f"/organisation/{org.construction.code}/": "directory-unit",
                        "/organisation/imports/": "organisation-imports",
                        "/organisation/imports/merge/": "reorganisation",
                        "/organisation/imports/split/": "reorganisation-split",
                        "/organisation/imports/move/": "reorganisation-move"},
    }
    problems = {}
    for username, paths in pages.items():
        page = signed_in(username)
        for path, name in paths.items():
            assert page.goto(f"{live_server.url}{path}").status == 200, path
            if found := axe_problems(page):
                problems[f"{username} {path}"] = found
            screenshot(page, f"{width}-{username}-{name}")
    assert problems == {}, "\n".join(f"{where}: {found}" for where, found in problems.items())
