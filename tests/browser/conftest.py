"""Browser end-to-end tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Everything in this directory is marked `e2e`; `make test` runs these tests in a pytest process of their
own, after the rest of the suite.
"""

import os
from pathlib import Path

import pytest

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
