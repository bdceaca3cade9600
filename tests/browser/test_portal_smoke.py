"""The portal loads at `/` through the gateway over HTTPS under its strict CSP: the app renders, every request stays
on the gateway's origin, nothing is logged as an error (a CSP refusal would be), and axe finds nothing serious."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.async_api import expect

from mspvault.gateway.routes.portal import CONTENT_SECURITY_POLICY
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, shot


async def test_the_portal_loads_under_its_policy_without_errors(portal: PortalSession) -> None:
    response = await portal.page.goto(portal.url)
    assert response is not None
    assert response.status == 200
    assert urlsplit(response.url).scheme == "https"
    headers = await response.all_headers()
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["cache-control"] == "no-cache"

    await expect(portal.page).to_have_title("MSPVault")
    await expect(portal.page.locator("#root > *").first).to_be_visible()  # React rendered: its script ran
    await portal.page.wait_for_load_state("networkidle")
    await shot(portal.page, "0-start")

    origin = portal.system.gateway_url
    assert portal.requests.requests, "the page made no request"
    assert all(request.url.startswith(origin + "/") for request in portal.requests.requests), [
        request.url for request in portal.requests.requests if not request.url.startswith(origin + "/")
    ]
    scripts = [r.url for r in portal.requests.requests if "/assets/" in r.url and r.url.endswith(".js")]
    assert scripts, "the page loaded no script from /assets/"
    await assert_accessible(portal.page)
    portal.problems.assert_clean()
