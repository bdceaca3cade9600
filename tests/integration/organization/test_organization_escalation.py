"""Issue 11 #1 over HTTP: a Custom member with only "manage users" cannot give themselves `editAnyCollection`, a
group manager cannot join a group reaching every collection; both answer a clear 400 JSON body, and a collection
the caller cannot see is refused exactly as an unknown id is."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.organization.org_scenarios import client_org, confirmed_provider_user, join, sym
from tests.integration.organization.test_organization_lifecycle import create_org

pytestmark = pytest.mark.integration


async def custom(org, owner, org_id: str, name: str, permissions: dict[str, bool]):
    user, member_id = await join(org, owner, org_id, member_type=4, name=name)
    made = await org.http.put(
        f"/api/organizations/{org_id}/users/{member_id}",
        headers=owner.auth,
        json={"type": 4, "permissions": permissions},
    )
    assert made.status_code == 200, made.text
    return user, member_id


async def test_self_edit_and_grants_beyond_ones_own_are_refused(org_http) -> None:
    org = org_http
    olga = org.user("olga")
    org_id = await create_org(org, olga)
    base = f"/api/organizations/{org_id}"
    mallory, mallory_member = await custom(org, olga, org_id, "mallory", {"manageUsers": True, "manageGroups": True})
    _, trent_member = await join(org, olga, org_id, name="trent")
    secret = (
        await org.http.post(f"{base}/collections", headers=olga.auth, json={"name": sym(), "users": [], "groups": []})
    ).json()["id"]

    escalate = {"type": 4, "permissions": {"manageUsers": True, "editAnyCollection": True}}
    own = await org.http.put(f"{base}/users/{mallory_member}", headers=mallory.auth, json=escalate)
    assert own.status_code == 400, own.text
    assert own.json()["message"] == "You cannot edit yourself."

    other = await org.http.put(f"{base}/users/{trent_member}", headers=mallory.auth, json=escalate)
    assert other.status_code == 400, other.text
    assert "editAnyCollection" in other.json()["message"]
    assert other.json()["validationErrors"] == {"permissions": [other.json()["message"]]}

    def give(collection: str) -> dict[str, Any]:
        grant = {"id": collection, "readOnly": False, "hidePasswords": False, "manage": True}
        return {"type": 2, "collections": [grant]}

    hidden = await org.http.put(f"{base}/users/{trent_member}", headers=mallory.auth, json=give(secret))
    unknown = await org.http.put(f"{base}/users/{trent_member}", headers=mallory.auth, json=give(str(uuid.uuid4())))
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == unknown.json()  # the refusal does not reveal that the collection exists

    everything = await org.http.post(
        f"{base}/groups",
        headers=olga.auth,
        json={"name": "All", "collections": [give(secret)["collections"][0]], "users": []},
    )
    assert everything.status_code == 200, everything.text
    joined = await org.http.put(
        f"{base}/groups/{everything.json()['id']}/users", headers=mallory.auth, json=[mallory_member]
    )
    assert joined.status_code == 400, joined.text
    assert joined.json()["message"] == "You cannot add yourself to a group."

    member = (await org.http.get(f"{base}/users/{mallory_member}", headers=olga.auth)).json()
    assert member["permissions"]["editAnyCollection"] is False


async def test_a_provider_user_cannot_join_a_client_as_a_direct_member(org_http) -> None:
    """Issue 11 #6: their access must end when the provider revokes them, so it may only come through the provider."""
    org = org_http
    client = await client_org(org)
    bob = client.provider_user
    base = f"/api/organizations/{client.org_id}/users"
    own = await org.http.post(f"{base}/invite", headers=bob.auth, json={"emails": [bob.email], "type": 1})
    assert own.status_code == 400, own.text
    assert "through their provider" in own.json()["message"]

    # Invited by a colleague, Bob still cannot accept.
    alice, _ = await confirmed_provider_user(org, client.provider_id, name="alice")
    invited = await org.http.post(f"{base}/invite", headers=alice.auth, json={"emails": [bob.email], "type": 1})
    assert invited.status_code == 200, invited.text
    link = await org.invite_mail(bob.email)
    accepted = await org.http.post(
        f"{base}/{link['organizationUserId']}/accept", headers=bob.auth, json={"token": link["token"]}
    )
    assert accepted.status_code == 400, accepted.text
