"""The `/ops` page in a real headless Chromium (Debian's `chromium`, driven by Playwright): the operator signs in with
email and master password in the browser, traces a request, sees lag, backlog, topics, masked events, and replays a
dead letter. Screenshots are kept under test-artifacts/ops-page/.

`make test` installs the browser when it can (`apt-get install -y chromium`; never `playwright install`)."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaProducer

from mspvault.client import MSPVaultClient
from mspvault.client.providers import ProviderType
from mspvault.deploy.chromium import CHROMIUM, CHROMIUM_ARGS, missing_message
from mspvault.deploy.system import System
from mspvault.shared.contracts.envelope import Envelope
from tests.e2e.test_ops_console import PASSWORD, CorrelationRecorder, leaks, make_operator, new_email, tls

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def shots(artifacts_dir: Path) -> Path:
    path = artifacts_dir / "ops-page"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def operator_flow(system: System) -> AsyncIterator[tuple[str, str]]:
    """An operator account, and the correlation id of its "open provider" request (an event flow to trace)."""
    email = new_email("page-operator")
    recorder = CorrelationRecorder(httpx.AsyncHTTPTransport(verify=tls(system)))
    async with MSPVaultClient(system.gateway_url, verify=system.ca_path, transport=recorder) as client:
        await client.register(email, PASSWORD, name="Page Operator")
        await client.login(email, PASSWORD)
        await make_operator(system, client, email)
        await client.providers.open(
            name="Fabrikam MSP", owner_email=new_email("fabrikam"), provider_type=ProviderType.MSP
        )
        yield email, recorder.last("POST", "/api/admin/providers")


async def poison(system: System) -> tuple[str, str]:
    """A ProviderCreated whose data breaks its contract: every consumer of provider.events dead-letters it."""
    cid = uuid.uuid4().hex
    envelope = Envelope(
        type="ProviderCreated",
        version=1,
        producer="provider",
        key=str(uuid.uuid4()),
        correlation_id=cid,
        data={"provider_id": "not-a-uuid"},
    )
    producer = AIOKafkaProducer(bootstrap_servers=system.kafka.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            "provider.events",
            envelope.model_dump_json().encode(),
            key=envelope.key.encode(),
            headers=[
                ("event_id", str(envelope.id).encode()),
                ("event_type", b"ProviderCreated"),
                ("correlation_id", cid.encode()),
            ],
        )
    finally:
        await producer.stop()
    return cid, str(envelope.id)


async def test_the_operator_page_in_headless_chromium(
    system: System, operator_flow: tuple[str, str], shots: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail(missing_message(), pytrace=False)
    from playwright.async_api import async_playwright, expect

    # Playwright's 5 s default is too short on a busy 2-core machine (the page polls the console's API); wait as
    # long as the browser suite does.
    expect.set_options(timeout=30_000)
    email, flow_cid = operator_flow
    _, poisoned_event = await poison(system)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            context = await browser.new_context(ignore_https_errors=True, viewport={"width": 1440, "height": 1100})
            page = await context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            problems: list[str] = []
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

            # Nothing but the sign-in form without a token.
            await page.goto(system.gateway_url + "/ops")
            await expect(page.locator("#signin")).to_be_visible()
            await expect(page.locator("#console")).to_be_hidden()
            await page.screenshot(path=str(shots / "1-sign-in.png"), full_page=True)

            # A non-operator's password signs in but is refused the console.
            stranger = new_email("page-stranger")
            async with MSPVaultClient(system.gateway_url, verify=system.ca_path) as other:
                await other.register(stranger, PASSWORD, name="Stranger")
            await page.fill("#login-email", stranger)
            await page.fill("#login-password", PASSWORD)
            await page.click("#login-submit")
            await expect(page.locator("#signin-error")).to_contain_text("not a platform operator")
            await expect(page.locator("#console")).to_be_hidden()
            problems.clear()  # the browser logs the refused 404 above; from here on nothing may fail

            # The operator signs in: the password is stretched in the browser, only its hash leaves.
            await page.fill("#login-email", email)
            await page.fill("#login-password", PASSWORD)
            await page.click("#login-submit")
            await expect(page.locator("#console")).to_be_visible()
            await expect(page.locator("#who")).to_have_text(email)
            await expect(page.locator("#outbox tbody tr[data-service='organization']")).to_be_visible()
            await expect(page.locator("#lag tbody tr[data-group='vault']").first).to_be_visible()
            await expect(page.locator("#topics tbody")).to_contain_text("provider.events")

            # The trace of the operator's own "open provider" request.
            await page.fill("#trace-id", flow_cid)
            await page.click("#trace-form button")
            published = page.locator(".step[data-kind='published'][data-event-type='ProviderCreated']")
            await expect(published).to_have_count(1)
            applied = page.locator(".step[data-kind='applied'][data-event-type='ProviderCreated']")
            await expect(applied.first).to_be_visible()
            await page.reload()  # the trace id stays in the URL; the session in this tab
            await expect(published).to_have_count(1)
            await expect(page.locator(".step[data-kind='applied'][data-service='organization']").first).to_be_visible()
            await page.screenshot(path=str(shots / "2-trace-and-lag.png"), full_page=True)

            # The poisoned event reaches the DLQ (refresh every 5 s); replay it from its row.
            row = page.locator(f"#dlq tbody tr[data-event-id='{poisoned_event}']").first
            await expect(row).to_be_visible()
            await expect(row).to_contain_text("ValidationError")
            await page.screenshot(path=str(shots / "3-dead-letters.png"), full_page=True)
            await row.locator("button.replay").click()
            replayed = page.locator(f"#dlq tbody tr[data-event-id='{poisoned_event}'] .pill.ok")
            await expect(replayed.first).to_contain_text("replayed")

            # Recent events of a topic, masked.
            await page.select_option("#events-topic", "provider.events")
            await expect(page.locator("#events tbody")).to_contain_text("ProviderCreated")
            await expect(page.locator("#events tbody")).to_contain_text("[masked]")
            await page.locator("#events-title").scroll_into_view_if_needed()
            await page.screenshot(path=str(shots / "4-recent-events.png"), full_page=True)

            text = await page.locator("body").inner_text()
            assert not leaks(text), leaks(text)[:3]
            assert not re.search(r"\d\.[A-Za-z0-9+/=]+\|", await page.content())
            assert not problems, problems

            await page.click("#sign-out")
            await expect(page.locator("#signin")).to_be_visible()
            await expect(page.locator("#console")).to_be_hidden()
        finally:
            await browser.close()
