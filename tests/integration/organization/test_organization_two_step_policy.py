"""Require two-step login on the real PostgreSQL, fed identity's TwoFactor* events through the inbox (issue 14):
turning it on revokes members without two-step login, accept/confirm/restore wait for it, and a user who turns it
off is revoked; Owners and Admins are exempt."""

from __future__ import annotations

import pytest

from mspvault.shared.contracts.identity import TwoFactorDisabledV1, TwoFactorEnabledV1
from tests.integration.organization.org_harness import User
from tests.integration.organization.org_scenarios import join, register, rsa
from tests.integration.organization.test_organization_lifecycle import create_org

pytestmark = pytest.mark.integration


async def two_step(org, user: User, on: bool) -> None:
    event = (
        TwoFactorEnabledV1(user_id=user.id, provider=0, providers=[0])
        if on
        else TwoFactorDisabledV1(user_id=user.id, provider=0, providers=[])
    )
    await org.feed(event, producer="identity")


async def statuses(org, owner: User, org_id: str) -> dict[str, int]:
    members = (await org.http.get(f"/api/organizations/{org_id}/users", headers=owner.auth)).json()["data"]
    return {m["id"]: m["status"] for m in members}


async def test_require_two_step_login_revokes_and_holds_members_without_it(org_http) -> None:
    org = org_http
    olga = org.user("olga")
    org_id = await create_org(org, olga)
    carol, carol_member = await join(org, olga, org_id, name="carol")
    dave, dave_member = await join(org, olga, org_id, name="dave")
    adam, adam_member = await join(org, olga, org_id, name="adam", member_type=1)  # Admin: exempt
    await two_step(org, dave, True)

    enabled = await org.http.put(
        f"/api/organizations/{org_id}/policies/0", headers=olga.auth, json={"enabled": True, "data": None}
    )
    assert enabled.status_code == 200, enabled.text
    now = await statuses(org, olga, org_id)
    assert (now[carol_member], now[dave_member], now[adam_member]) == (-1, 2, 2)
    revoked = [e["data"]["member_id"] for e in await org.outbox("MemberRevoked")]
    assert revoked == [carol_member]

    restore = f"/api/organizations/{org_id}/users/{carol_member}/restore"
    refused = await org.http.put(restore, headers=olga.auth)
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        "You cannot restore this user until they enable two-step login on their user account."
    )
    await two_step(org, carol, True)
    assert (await org.http.put(restore, headers=olga.auth)).status_code == 200
    assert (await statuses(org, olga, org_id))[carol_member] == 2

    # Turning it off again revokes her at once; an Admin turning it off stays.
    await two_step(org, carol, False)
    await two_step(org, adam, False)
    assert (await statuses(org, olga, org_id))[carol_member] == -1
    assert (await statuses(org, olga, org_id))[adam_member] == 2

    # A new member cannot accept without it.
    erin = org.user("erin")
    await register(org, erin)
    invited = await org.http.post(
        f"/api/organizations/{org_id}/users/invite", headers=olga.auth, json={"emails": [erin.email], "type": 2}
    )
    assert invited.status_code == 200
    link = await org.invite_mail(erin.email)
    accept = f"/api/organizations/{org_id}/users/{link['organizationUserId']}/accept"
    refused = await org.http.post(accept, headers=erin.auth, json={"token": link["token"]})
    assert refused.status_code == 400
    assert "enable two-step login" in refused.json()["message"]
    await two_step(org, erin, True)
    assert (await org.http.post(accept, headers=erin.auth, json={"token": link["token"]})).status_code == 200
    confirm = f"/api/organizations/{org_id}/users/{link['organizationUserId']}/confirm"
    assert (await org.http.post(confirm, headers=olga.auth, json={"key": rsa()})).status_code == 200
