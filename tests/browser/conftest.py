"""Real-browser fixtures: Debian's chromium driven by Playwright for Python (sync API).

Playwright's own browser download (`playwright install`) does not work here, so the browser is
the system's chromium (`apt-get install chromium`; scripts/setup.sh installs it). Without
Playwright or chromium every browser test is skipped, saying what is missing and how to install
it; with ZHIDU_BROWSER_TESTS=required (CI) they fail instead, so they cannot silently vanish.

The pages are served by pytest-django's ``live_server`` from the test database, which for that
must be really committed (``transactional_db``); the tests mark themselves
``django_db(transaction=True, serialized_rollback=True)`` so that each starts from the migrated
database (groups, the policy library, the approval workflows) rather than an emptied one.
Screenshots of each step land in var/test-artifacts/browser/<test>/<step>-<width>.png; a failing
test also leaves failure-<width>.png and failure.html there.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.support import DESKTOP, PHONE

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "browser"
TIMEOUT_MS = 10_000
# As measured for this project (DESIGN.md): no sandbox (root in containers), no GPU, and
# nothing that phones home or updates itself during a test.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def unavailable(reason: str):
    """Skip (or, when CI requires the browser tests, fail) with ``reason``."""
    if os.environ.get("ZHIDU_BROWSER_TESTS") == "required":
        pytest.fail(f"{reason} (ZHIDU_BROWSER_TESTS=required)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    """The running chromium, shared by the session (launching takes ~0.5 s)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable(
            "Playwright for Python is not installed: run `make test` (it installs the dev "
            "extras) or `.venv/bin/pip install -e '.[dev]'`"
        )
    executable = chromium_path()
    if executable is None:
        unavailable(
            "Debian's chromium is not installed (no `chromium` on PATH, no /usr/bin/chromium): "
            "run `sudo apt-get install chromium`, or scripts/setup.sh, which installs it"
        )
    from django.db import connections
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    thread_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Between its calls Playwright's sync API leaves its event loop marked as running in
        # this thread. Django then refuses database access unless told it is safe (it is: the
        # tests' queries never run inside the loop) ...
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        # ... and keeps connections per asyncio context instead of per thread (asgiref's
        # thread-critical Local), so it would open second ones, without the test database's
        # serialized contents that serialized_rollback restores: keep using the thread's.
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def database_ready_to_restore(django_db_setup, django_db_blocker):
    """Before the first browser test (session-scoped fixtures are set up before the test's
    database): tests.migrated_database.migrated_rows_restorable."""
    from tests.migrated_database import migrated_rows_restorable

    with django_db_blocker.unblock():
        migrated_rows_restorable()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


class Browser:
    """Opens pages as separate people (one browser context, i.e. cookie jar, each) at the
    live server, in Chinese as a browser in China asks for it, and saves the screenshots."""

    def __init__(self, chromium, base_url: str, artifacts: Path):
        self.chromium = chromium
        self.base_url = base_url
        self.artifacts = artifacts
        self.contexts = []
        self.pages = []
        self.step = 0

    def new_page(self):
        context = self.chromium.new_context(
            base_url=self.base_url,
            viewport=DESKTOP,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        self.pages.append(page)
        return page

    def screenshot(self, page, step: str) -> None:
        """<nn>-<step>-1280.png and <nn>-<step>-375.png: the whole page, desktop and phone."""
        self.step += 1
        self.artifacts.mkdir(parents=True, exist_ok=True)
        page.wait_for_load_state()
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            page.screenshot(
                path=self.artifacts / f"{self.step:02d}-{step}-{size['width']}.png",
                full_page=True,
            )
        page.set_viewport_size(DESKTOP)

    def save_failure(self) -> None:
        if not self.pages:
            return
        page = self.pages[-1]
        self.artifacts.mkdir(parents=True, exist_ok=True)
        try:
            for size in (DESKTOP, PHONE):
                page.set_viewport_size(size)
                page.screenshot(
                    path=self.artifacts / f"failure-{size['width']}.png", full_page=True
                )
            (self.artifacts / "failure.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # noqa: BLE001 — the test's own failure is what matters
            print(f"could not save the failure screenshot: {error}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browser(database_ready_to_restore, chromium, live_server, request):
    """``browser.new_page()`` for each person in the journey; ``browser.screenshot(page, step)``."""
    from django.db import connection

    from policies_content.append_only import ensure_append_only_triggers

    ensure_append_only_triggers(connection)
    artifacts = ARTIFACTS / request.node.name
    shutil.rmtree(artifacts, ignore_errors=True)
    helper = Browser(chromium, live_server.url, artifacts)
    yield helper
    if getattr(request.node, "browser_test_failed", False):
        helper.save_failure()
    helper.close()
    from tests.migrated_database import append_only_triggers_drop

    append_only_triggers_drop()


@pytest.fixture
def empty_search_index():
    """The search index is a file of its own, not emptied with the database: start and end
    with nothing in it."""
    from search.backends import get_backend

    get_backend().clear()
    yield
    get_backend().clear()
