"""The browser suite's own helpers catch what they are for, on pages served by Playwright itself (no system):
a request carrying a secret, a page refused by the portal's CSP, and an inaccessible control."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Route

from mspvault.gateway.routes.portal import CONTENT_SECURITY_POLICY
from tests.browser.harness import ProblemLog, RequestRecorder, assert_accessible

ORIGIN = "https://portal.test"
SECRET = "correct horse battery staple ✓"


@pytest_asyncio.fixture(loop_scope="session")
async def fake_site(browser: Browser) -> AsyncIterator[tuple[Page, RequestRecorder, dict[str, str]]]:
    """A page at ORIGIN whose documents (path → HTML) a test sets; every other request answers 204."""
    pages: dict[str, str] = {}

    async def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path in pages:
            headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}
            await route.fulfill(status=200, body=pages[path], content_type="text/html", headers=headers)
        else:
            await route.fulfill(status=204)

    context = await browser.new_context()
    await context.route(f"{ORIGIN}/**", serve)
    recorder = RequestRecorder().attach(context)
    try:
        yield await context.new_page(), recorder, pages
    finally:
        await context.close()


async def test_the_recorder_finds_a_secret_in_a_body_or_a_url(
    fake_site: tuple[Page, RequestRecorder, dict[str, str]],
) -> None:
    page, recorder, pages = fake_site
    pages["/"] = "<!doctype html><html lang='en'><title>t</title><main>empty</main></html>"
    await page.goto(ORIGIN + "/")
    recorder.assert_no_leak({"password": SECRET})
    await page.evaluate("secret => fetch('/api/x', {method: 'POST', body: JSON.stringify({p: secret})})", SECRET)
    await page.evaluate("secret => fetch('/api/y?q=' + encodeURIComponent(secret))", SECRET)
    assert recorder.leaks({"password": SECRET}) == [
        f"password in POST {ORIGIN}/api/x",
        f"password in GET {ORIGIN}/api/y?q=" + recorder.requests[-1].url.split("q=")[1],
    ]
    with pytest.raises(AssertionError, match="secrets left the browser"):
        recorder.assert_no_leak({"password": SECRET})


async def test_a_script_the_policy_refuses_is_logged_as_a_problem(
    fake_site: tuple[Page, RequestRecorder, dict[str, str]],
) -> None:
    page, _, pages = fake_site
    problems = ProblemLog().attach(page)
    pages["/inline"] = "<!doctype html><html lang='en'><title>t</title><script>document.title='ran'</script></html>"
    await page.goto(ORIGIN + "/inline")
    assert await page.title() == "t"  # the inline script never ran
    with pytest.raises(AssertionError, match="Content Security Policy"):
        problems.assert_clean()


async def test_axe_fails_a_page_with_an_unlabelled_control(
    fake_site: tuple[Page, RequestRecorder, dict[str, str]],
) -> None:
    page, _, pages = fake_site
    pages["/form"] = "<!doctype html><html lang='en'><title>t</title><main><input type='password'></main></html>"
    await page.goto(ORIGIN + "/form")
    with pytest.raises(AssertionError, match="label"):
        await assert_accessible(page)
    pages["/labelled"] = (
        "<!doctype html><html lang='en'><title>t</title><main>"
        "<label for='p'>Master password</label><input id='p' type='password'></main></html>"
    )
    await page.goto(ORIGIN + "/labelled")
    await assert_accessible(page)
