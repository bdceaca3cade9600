"""The portal's browser suite: Python Playwright driving Debian's Chromium (`/usr/bin/chromium`, never a download)
against the running system (`system`, shared with tests/e2e) through the HTTPS gateway.

`portal` gives each test a fresh browser context (no shared cookies or storage) with a `RequestRecorder` attached
before the first page opens and a `ProblemLog` on its page. Every test here is marked `browser`; nothing is skipped:
a missing Chromium fails with the one command that installs it (`make test` runs it for you when it can).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
import pytest_asyncio

from mspvault.deploy.chromium import CHROMIUM, CHROMIUM_ARGS, missing_message
from tests.browser.harness import ProblemLog, RequestRecorder

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

    from mspvault.client.onboarding import Person
    from mspvault.deploy.system import System

BROWSER_TIMEOUT = 900  # seconds per test: the first one also pays for the system start
ACTION_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.timeout(BROWSER_TIMEOUT))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test (`item.rep_call`), so a fixture can tell that its test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def patient_assertions() -> None:
    """`expect(...)` waits as long as an action may (Playwright's own default is 5 s): on a busy 2-core machine
    a page that encrypts and calls the API (a new client's keys, a reload after an accept) can take longer."""
    from playwright.async_api import expect

    expect.set_options(timeout=ACTION_TIMEOUT_MS)


@pytest.fixture(scope="session")
def portal_built() -> Path:
    """The portal's build, made now if its sources changed (a no-op after `make test`'s own `make portal`)."""
    from mspvault.deploy.portal import PORTAL_DIR, build

    build(PORTAL_DIR)
    return PORTAL_DIR / "dist"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(missing_message(), pytrace=False)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            yield chromium
        finally:
            await chromium.close()


@dataclass
class PortalSession:
    """One person's browser: a page on the portal, every request it made, and the errors it logged."""

    system: System
    page: Page
    requests: RequestRecorder
    problems: ProblemLog

    @property
    def url(self) -> str:
        return self.system.gateway_url + "/"

    async def open(self, route: str = "") -> None:
        """The portal at a hash route (`"/clients"` → `https://…/#/clients`), or its start page."""
        await self.page.goto(self.url + (f"#{route}" if route else ""))

    async def log_in(self, person: Person, route: str) -> Page:
        """Through the portal's own login form, then on to `route` (the form's `next`). Straight to the form: through
        the guard's redirect (after a log-out, say) the form could be mounted afresh between two fills, leaving
        "Log in" disabled (seen at load ~27)."""
        await self.open(f"/login?next={quote(route, safe='/')}")
        await self.page.get_by_label("Email address").fill(person.email)
        await self.page.get_by_label("Master password", exact=True).fill(person.password)
        await self.page.get_by_role("button", name="Log in").click()
        return self.page


@pytest_asyncio.fixture(loop_scope="session")
async def portal(portal_built: Path, system: System, browser: Browser) -> AsyncIterator[PortalSession]:
    # The gateway's certificate is signed by the system's own CA, which this throwaway profile does not trust.
    context = await browser.new_context(ignore_https_errors=True, viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    recorder = RequestRecorder().attach(context)
    try:
        page = await context.new_page()
        yield PortalSession(system, page, recorder, ProblemLog().attach(page))
    finally:
        await context.close()
