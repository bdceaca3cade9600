"""One flow across services on the real broker: a Service User creates a client and invites a member in it; the
organization's log and the provider's logs show each step, with the acting provider, the device and the address the
gateway forwarded, whichever service the request went to."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from mspvault.shared.testing.wait import wait_until
from tests.integration.audit.audit_helpers import GATEWAY_HEADERS
from tests.integration.organization.org_harness import running_service
from tests.integration.provider.provider_flows import SERVICE, add_member, client_body, set_up_provider

pytestmark = pytest.mark.integration


async def test_a_client_created_and_a_member_invited_show_in_every_log_with_actor_provider_device_and_ip(
    provider_live, new_database, kafka
) -> None:
    h = provider_live
    async with running_service(await new_database("audit_flow_org"), kafka) as org:
        org.app.state.verifier.add_jwks(h.signing.jwks())  # one identity signs for both services
        acme = await set_up_provider(h)
        bob, _ = await add_member(h, acme, "bob", SERVICE)
        through_gateway = {**bob.headers, **GATEWAY_HEADERS}

        created = await h.call("POST", f"{acme.base()}/clients", through_gateway, json=client_body())
        assert created.status_code == 200, created.text
        org_id = created.json()["organizationId"]

        async def org_log() -> list[dict[str, Any]] | None:
            response = await org.http.get(f"/api/organizations/{org_id}/events", headers=bob.headers)
            return response.json()["data"] if response.status_code == 200 else None

        # The organization service created the org and invited its owner, as Bob for Acme.
        await wait_until(lambda: _has(org_log, 1500), timeout=60, message="the owner's invitation in the org's log")
        carol_email = f"carol-{uuid.uuid4().hex[:6]}@contoso.test"
        invited = await org.http.post(
            f"/api/organizations/{org_id}/users/invite",
            headers=through_gateway,
            json={"emails": [carol_email], "type": 2, "collections": []},
        )
        assert invited.status_code == 200, invited.text

        async def both_invitations() -> list[dict[str, Any]] | None:
            response = await h.call("GET", f"{acme.base()}/clients/events", acme.admin)
            entries = [e for e in response.json()["data"] if e["type"] == 1500]
            return entries if len(entries) == 2 else None

        in_provider = await wait_until(both_invitations, timeout=30, message="both invitations in the combined log")
        for entry in in_provider:
            assert entry["organizationId"] == org_id
            assert (entry["actingUserId"], entry["providerId"]) == (str(bob.id), acme.id)
            assert (entry["deviceType"], entry["ipAddress"]) == (9, "203.0.113.7")
        provider_log = (await h.call("GET", f"{acme.base()}/events", acme.admin)).json()["data"]
        invitations = {e["organizationUserId"] for e in in_provider}
        assert {e["organizationUserId"] for e in provider_log if e["type"] == 1500} == invitations
        org_entries = await wait_until(lambda: _has(org_log, 1500, count=2), timeout=30, message="both in org log")
        assert {e["organizationUserId"] for e in org_entries if e["type"] == 1500} == invitations
        assert all(e["providerId"] == acme.id for e in org_entries if e["type"] == 1500)


async def _has(log: Any, code: int, count: int = 1) -> list[dict[str, Any]] | None:
    entries = await log()
    return entries if entries and sum(e["type"] == code for e in entries) >= count else None
