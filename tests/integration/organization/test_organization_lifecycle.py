"""Ordinary organizations, role rules between members, policies (Single Org), groups, and revisions."""

from __future__ import annotations

import pytest

from tests.integration.organization.org_harness import OrgService, User
from tests.integration.organization.org_scenarios import client_org, join, register, rsa, sym

pytestmark = pytest.mark.integration


async def create_org(org: OrgService, owner: User, name: str = "Fabrikam") -> str:
    response = await org.http.post(
        "/api/organizations",
        headers=owner.auth,
        json={
            "name": name,
            "billingEmail": owner.email,
            "planType": 20,
            "key": rsa(),
            "keys": {"publicKey": "AAAA", "encryptedPrivateKey": sym()},
            "collectionName": sym(),
        },
    )
    assert response.status_code == 200, response.text
    org_id: str = response.json()["id"]
    return org_id


async def test_a_user_creates_an_organization_and_is_its_confirmed_owner(org_http) -> None:
    org = org_http
    olga = org.user("olga")
    org_id = await create_org(org, olga)
    assert [e["type"] for e in await org.outbox()] == [
        "OrganizationCreated",
        "MemberConfirmed",
        "CollectionCreated",
        "CollectionAccessChanged",
    ]
    # The owner's revision date moved; the commit announced it (the gateway answers revision-date from these).
    [bumped] = await org.outbox("RevisionsBumped")
    assert bumped["data"]["user_ids"] == [str(olga.id)]
    assert bumped["key"] == bumped["data"]["service"] == bumped["producer"]
    [access] = await org.outbox("CollectionAccessChanged")
    assert access["data"]["access"] == [
        {"user_id": str(olga.id), "read_only": False, "hide_passwords": False, "manage": True}
    ]
    sync = (await org.http.get("/internal/sync", headers=olga.auth)).json()
    [profile] = sync["organizations"]
    assert (profile["id"], profile["type"], profile["status"], profile["providerId"]) == (org_id, 0, 2, None)
    assert profile["hasPublicAndPrivateKeys"] is True
    [collection] = sync["collections"]
    assert collection["manage"] is True
    assert collection["organizationId"] == org_id
    # The profile's read: the same organizations, without the collections and policies a profile never shows.
    profile_part = (await org.http.get("/internal/profile", headers=olga.auth)).json()
    assert profile_part == {"organizations": sync["organizations"], "collections": [], "policies": []}
    # Only the caller's own: no token, no answer; another user's read shows none of Olga's organizations.
    assert (await org.http.get("/internal/profile")).status_code == 401
    stranger = (await org.http.get("/internal/profile", headers=org.user("stranger").auth)).json()
    assert stranger["organizations"] == []
    members = (await org.http.get(f"/api/organizations/{org_id}/users", headers=olga.auth)).json()["data"]
    assert [(m["email"], m["type"], m["status"]) for m in members] == [(olga.email, 0, 2)]


async def test_only_owners_manage_owners_and_the_last_owner_stays(org_http) -> None:
    org = org_http
    olga = org.user("olga")
    org_id = await create_org(org, olga)
    base = f"/api/organizations/{org_id}/users"
    alice, alice_member = await join(org, olga, org_id, member_type=1, name="alice")  # Admin
    olga_member = next(
        m["id"] for m in (await org.http.get(base, headers=olga.auth)).json()["data"] if m["email"] == olga.email
    )

    owner_invite = await org.http.post(f"{base}/invite", headers=alice.auth, json={"emails": ["o@x.test"], "type": 0})
    assert owner_invite.status_code == 400
    assert (await org.http.put(f"{base}/{olga_member}/revoke", headers=alice.auth)).status_code == 400
    assert (await org.http.put(f"{base}/{olga_member}", headers=alice.auth, json={"type": 2})).status_code == 400

    # An Admin invites another Admin, but only an Owner may confirm them.
    bert = org.user("bert")
    await register(org, bert)
    assert (
        await org.http.post(f"{base}/invite", headers=alice.auth, json={"emails": [bert.email], "type": 1})
    ).status_code == 200
    link = await org.invite_mail(bert.email)
    await org.http.post(f"{base}/{link['organizationUserId']}/accept", headers=bert.auth, json={"token": link["token"]})
    refused = await org.http.post(
        f"{base}/{link['organizationUserId']}/confirm", headers=alice.auth, json={"key": rsa()}
    )
    assert refused.status_code == 400
    assert "Only Owners" in refused.json()["message"]
    assert (
        await org.http.post(f"{base}/{link['organizationUserId']}/confirm", headers=olga.auth, json={"key": rsa()})
    ).status_code == 200

    demote = await org.http.put(f"{base}/{olga_member}", headers=olga.auth, json={"type": 1})
    assert demote.status_code == 400
    assert demote.json()["message"] == "You cannot edit yourself."  # issue 11 #1: nobody edits their own membership
    assert (await org.http.delete(f"{base}/{olga_member}", headers=olga.auth)).status_code == 400  # not yourself

    bulk = await org.http.post(f"{base}/remove", headers=olga.auth, json={"ids": [alice_member, olga_member]})
    assert bulk.status_code == 200
    errors = {r["id"]: r["error"] for r in bulk.json()["data"]}
    assert errors[alice_member] == ""
    assert errors[olga_member]
    assert (await org.http.get("/internal/sync", headers=alice.auth)).json()["organizations"] == []


async def test_single_org_policy_blocks_other_memberships(org_http) -> None:
    org = org_http
    olga, pete = org.user("olga"), org.user("pete")
    strict = await create_org(org, olga, "Strict")
    other = await create_org(org, pete, "Other")
    carol, carol_member = await join(org, olga, strict)
    enabled = await org.http.put(
        f"/api/organizations/{strict}/policies/3", headers=olga.auth, json={"policy": {"enabled": True, "data": None}}
    )
    assert enabled.status_code == 200
    assert enabled.json()["enabled"] is True

    invite = await org.http.post(
        f"/api/organizations/{other}/users/invite", headers=pete.auth, json={"emails": [carol.email], "type": 2}
    )
    assert invite.status_code == 200
    link = await org.invite_mail(carol.email)
    refused = await org.http.post(
        f"/api/organizations/{other}/users/{link['organizationUserId']}/accept",
        headers=carol.auth,
        json={"token": link["token"]},
    )
    assert refused.status_code == 400
    assert "organization" in refused.json()["message"]
    blocked = await org.http.post(
        "/api/organizations", headers=carol.auth, json={"name": "Mine", "billingEmail": carol.email, "key": rsa()}
    )
    assert blocked.status_code == 400

    # Carol's policies arrive with her sync; the owner is exempt and may still join elsewhere.
    policies = (await org.http.get("/internal/sync", headers=carol.auth)).json()["policies"]
    assert [(p["type"], p["enabled"]) for p in policies] == [(3, True)]

    # Turning Single Org on elsewhere revokes (restorably) members who belong to another organization.
    dan, dan_member = await join(org, pete, other, name="dan")
    third = await create_org(org, pete, "Third")
    await join(org, pete, third, user=dan)
    assert (await org.http.get(f"/api/organizations/{other}/policies/3", headers=pete.auth)).json()["enabled"] is False
    assert (
        await org.http.put(f"/api/organizations/{other}/policies/3", headers=pete.auth, json={"enabled": True})
    ).status_code == 200
    members = (await org.http.get(f"/api/organizations/{other}/users", headers=pete.auth)).json()["data"]
    assert {m["id"]: m["status"] for m in members}[dan_member] == -1
    assert (await org.outbox("MemberRevoked"))[-1]["data"]["member_id"] == dan_member
    needs = await org.http.put(f"/api/organizations/{other}/policies/8", headers=pete.auth, json={"enabled": True})
    assert needs.status_code == 200  # Single Org is on now
    off = await org.http.put(f"/api/organizations/{other}/policies/3", headers=pete.auth, json={"enabled": False})
    assert off.status_code == 400
    assert off.json()["validationErrors"] == {"enabled": [off.json()["message"]]}
    assert (
        await org.http.put(f"/api/organizations/{other}/policies/0", headers=pete.auth, json={"enabled": True})
    ).status_code == 200
    listed = (await org.http.get(f"/api/organizations/{other}/policies", headers=pete.auth)).json()["data"]
    assert [(p["type"], p["enabled"]) for p in listed] == [(0, True), (3, True), (8, True)]
    assert [e["data"]["policy_type"] for e in await org.outbox("PolicyUpdated")] == [3, 3, 8, 0]
    assert carol_member


async def test_changes_bump_the_revision_of_those_who_see_them(org_http) -> None:
    org = org_http
    olga = org.user("olga")
    org_id = await create_org(org, olga)
    carol, carol_member = await join(org, olga, org_id)

    async def revision(user: User) -> int:
        date: int = (await org.http.get("/internal/revision-date", headers=user.auth)).json()["revisionDate"]
        return date

    before = await revision(carol)
    created = await org.http.post(
        f"/api/organizations/{org_id}/collections",
        headers=olga.auth,
        json={"name": sym(), "users": [{"id": carol_member, "readOnly": True}]},
    )
    assert created.status_code == 200
    after = await revision(carol)
    assert after >= before
    stranger = org.user("stranger")
    assert await revision(stranger) == 0
    group = await org.http.post(
        f"/api/organizations/{org_id}/groups", headers=olga.auth, json={"name": "Team", "users": [carol_member]}
    )
    assert group.status_code == 200
    assert group.json()["users"] == [carol_member]
    details = (
        await org.http.get(f"/api/organizations/{org_id}/users/{carol_member}?includeGroups=true", headers=olga.auth)
    ).json()
    assert details["groups"] == [group.json()["id"]]
    assert details["collections"] == [
        {"id": created.json()["id"], "readOnly": True, "hidePasswords": False, "manage": False}
    ]
    deleted = await org.http.delete(
        f"/api/organizations/{org_id}/collections/{created.json()['id']}", headers=olga.auth
    )
    assert deleted.status_code == 200
    assert [e["type"] for e in await org.outbox()][-1] == "CollectionDeleted"
    assert (await org.http.get("/internal/sync", headers=carol.auth)).json()["collections"] == []


async def test_sole_ownership_counts_the_own_organizations_without_another_confirmed_owner(org_http) -> None:
    org = org_http

    async def sole(user: User) -> int:
        response = await org.http.get("/internal/sole-ownership", headers=user.auth)
        assert response.status_code == 200, response.text
        count: int = response.json()["organizations"]
        return count

    olga = org.user("olga")
    org_id = await create_org(org, olga)
    assert await sole(olga) == 1
    alice, _ = await join(org, olga, org_id, member_type=1, name="alice")  # an Admin is no Owner
    assert (await sole(olga), await sole(alice)) == (1, 0)
    oscar, _ = await join(org, olga, org_id, member_type=0, name="oscar")  # a second confirmed Owner
    assert (await sole(olga), await sole(oscar)) == (0, 0)
    # A provider's client needs no Owner member (its provider administers it): its only Owner is not counted.
    client = await client_org(org)
    cora, _ = await join(org, client.provider_user, client.org_id, member_type=0, name="cora")
    assert await sole(cora) == 0
