"""Browser end-to-end tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Everything in this directory is marked `e2e`; `make test` runs these tests in a pytest process of their
own, after the rest of the suite.
"""

import os
import time
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import Browser, Page

from tests.browser.helpers import NAVIGATION_TIMEOUT_MS, WIDTHS, sign_in

CHROMIUM = "/usr/bin/chromium"
# Run as root on a closed network: no sandbox, no GPU, and none of Chromium's background connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
# How long the live server's request threads may take to end once the browser has closed their connections.
SERVER_THREADS_END_WITHIN = 30.0


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _django_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the test thread, and Django then refuses
    ORM calls (SynchronousOnlyOperation). The tests are synchronous code, so allow them, for the
    browser tests' session only (playwright-pytest issues 29 and 46)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


#: Pages open with the reduced-motion preference, as a person who asked their system for less animation
#: would: Bootstrap then folds actions open and scrolls without animating. An animation moves what is on
#: the page while Playwright presses a button: one in sixty clicks on a form's button while its accordion
#: unfolded and the page scrolled smoothly landed beside it, and the form was never sent (the browser tests'
#: three-minute waits for a navigation that never came).
CONTEXT_ARGS = {"locale": "vi-VN", "reduced_motion": "reduce"}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """pytest-playwright's `page` fixture opens its context with these."""
    return {**browser_context_args, **CONTEXT_ARGS}


@pytest.fixture
def csp_violations(request):
    """What the browser refused under the Content-Security-Policy while the test ran: a browser test fails on
    any (docs/security.md). Chromium reports each refusal as a console error."""
    violations = []

    def watch(context):
        context.on("console", lambda message: violations.append(message.text)
                   if "Content Security Policy" in message.text else None)

    if "page" in request.fixturenames:
        watch(request.getfixturevalue("page").context)
    yield watch
    assert violations == [], "the Content-Security-Policy refused: " + "; ".join(violations)


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    if "live_server" in request.fixturenames:
        request.getfixturevalue("csp_violations")


@pytest.fixture
def signed_in(browser: Browser, live_server, csp_violations, request):
    """`signed_in("head.dept")` opens a browser context of its own, signs that person in and returns the page, at
    the test's `width` when it is parametrized with one. The contexts are closed after the test, which ends their
    connections to the live server."""
    contexts = []
    callspec = getattr(request.node, "callspec", None)
    width = callspec.params.get("width") if callspec else None
    size = {"viewport": WIDTHS[width]} if width else {}

    def open_page(username: str) -> Page:
        context = browser.new_context(**CONTEXT_ARGS, **size)
        csp_violations(context)
        # A page's arrival is a condition to wait for, however slow a loaded machine makes it (helpers.py).
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, live_server.url, username)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _live_server_connections_closed(request, django_db_blocker):
    """After each browser test, wait until the live server holds no database connection any more.

    pytest-django's live_server is Django's threaded server: one thread per browser connection, each with
    its own database connection, which CONN_MAX_AGE keeps open for the next request on that browser
    connection (keep-alive). A thread closes its database connections when the browser closes the
    connection (ThreadedWSGIServer.close_request), and the browser does when the test's contexts are closed
    (`signed_in`, pytest-playwright's `page`), which happens before this fixture's teardown. Left open, those
    connections outlive the test, and at the end of the session the test database cannot be dropped
    ("database ... is being accessed by other users")."""
    yield
    if "live_server" not in request.fixturenames:
        return
    with django_db_blocker.unblock():
        deadline = time.monotonic() + SERVER_THREADS_END_WITHIN
        while (others := _other_sessions()) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert not others, f"the live server still holds {others} database connection(s) after the test"


def _other_sessions() -> int:
    """Connections to the test database other than this thread's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]
