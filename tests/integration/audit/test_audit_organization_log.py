"""The organization's event log: what it records (own events, the vault's items), with the acting provider, device
and address; its date window and pages; and who may read it (everyone else: 404)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mspvault.shared.contracts import identity as idc
from mspvault.shared.contracts import provider as pvc
from mspvault.shared.contracts import vault as vc
from mspvault.shared.contracts.envelope import Actor
from tests.integration.audit.audit_helpers import GATEWAY_HEADERS, deliver_own_outbox, feed, read_log, types
from tests.integration.organization.org_harness import OrgService, User
from tests.integration.organization.org_scenarios import b64, confirmed_provider_user, join, register, rsa, sym

pytestmark = pytest.mark.integration
OWN = "organization.events"


@dataclass
class ThroughGateway(User):
    """A caller whose requests carry what the gateway forwards: the client's Device-Type and its address."""

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **GATEWAY_HEADERS}


@dataclass
class Client:
    provider_id: uuid.UUID
    org_id: uuid.UUID
    bob: ThroughGateway
    bob_row: uuid.UUID

    @property
    def base(self) -> str:
        return f"/api/organizations/{self.org_id}"


async def client_org(org: OrgService) -> Client:
    """Bob, a Service User of a provider, creates the client org (the provider event carries him as its actor)."""
    provider_id = uuid.uuid4()
    await feed(
        org.app,
        pvc.ProviderCreatedV1(provider_id=provider_id, name="Acme MSP", type=0, owner_email="a@acme.test"),
        producer="provider",
    )
    bob, row = await confirmed_provider_user(org, provider_id)
    org_id = uuid.uuid4()
    created = pvc.ClientOrgCreatedV1(
        provider_id=provider_id,
        organization_id=org_id,
        provider_name="Acme MSP",
        name="Contoso",
        billing_email="billing@contoso.test",
        owner_email=f"owner-{org_id.hex[:8]}@contoso.test",
        plan_type=20,
        seats=50,
        public_key=b64(294),
        encrypted_private_key=sym(),
        collection_name=sym(),
    )
    actor = Actor(user_id=bob.id, provider_id=provider_id, device_type=9, ip="203.0.113.7")
    await feed(org.app, created, producer="provider", actor=actor)
    return Client(provider_id, org_id, ThroughGateway(bob.id, bob.email, bob.token), row)


async def test_the_log_records_what_a_provider_user_did_with_provider_device_and_address(org_fed) -> None:
    org = org_fed
    client = await client_org(org)
    bob = client.bob
    carol, carol_member = await join(org, bob, client.org_id)
    collection = await org.http.post(f"{client.base}/collections", headers=bob.auth, json={"name": sym()})
    assert collection.status_code == 200, collection.text
    policy = await org.http.put(f"{client.base}/policies/1", headers=bob.auth, json={"enabled": True})
    assert policy.status_code == 200, policy.text
    # The vault's events: an item of the org saved by Bob (the vault does not mark him as acting for the provider
    # yet: the log works it out), one saved by Carol, and a personal item (not the org's business).
    bob_item, carol_item = uuid.uuid4(), uuid.uuid4()
    item = {"owner_id": client.org_id, "organization_id": client.org_id}
    await feed(org.app, vc.CipherCreatedV1(cipher_id=bob_item, **item), producer="vault", actor=Actor(user_id=bob.id))
    await feed(
        org.app, vc.CipherUpdatedV1(cipher_id=carol_item, **item), producer="vault", actor=Actor(user_id=carol.id)
    )
    personal = vc.CipherCreatedV1(owner_id=carol.id, cipher_id=uuid.uuid4(), user_id=carol.id)
    await feed(org.app, personal, producer="vault", actor=Actor(user_id=carol.id))
    assert await deliver_own_outbox(org.app, OWN) > 0
    assert await deliver_own_outbox(org.app, OWN) == 0  # redelivered: nothing recorded twice

    entries, pages = await read_log(org.http, f"{client.base}/events", bob.auth)
    assert pages == 1
    assert sorted(types(entries)) == sorted([1500, 1300, 1500, 1501, 1300, 1700, 1100, 1101])
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates, reverse=True)
    by_bob = [e for e in entries if e["actingUserId"] == str(bob.id)]
    assert len(by_bob) == 7
    assert all(e["providerId"] == str(client.provider_id) for e in by_bob)
    assert all((e["deviceType"], e["ipAddress"]) == (9, "203.0.113.7") for e in by_bob if e["type"] != 1100)
    assert all(e["object"] == "event" and e["organizationId"] == str(client.org_id) for e in entries)

    invited_carol = next(e for e in entries if e["type"] == 1500 and e["organizationUserId"] == carol_member)
    assert invited_carol["userId"] is None  # not accepted yet when invited
    confirmed = next(e for e in entries if e["type"] == 1501)
    assert (confirmed["organizationUserId"], confirmed["userId"]) == (carol_member, str(carol.id))
    created_collection = [e for e in entries if e["type"] == 1300 and e["collectionId"] == collection.json()["id"]]
    assert len(created_collection) == 1
    policy_entry = next(e for e in entries if e["type"] == 1700)
    assert policy_entry["policyId"] == policy.json()["id"]
    carols = next(e for e in entries if e["type"] == 1101)
    assert (carols["cipherId"], carols["actingUserId"], carols["providerId"]) == (str(carol_item), str(carol.id), None)
    assert next(e for e in entries if e["type"] == 1100)["cipherId"] == str(bob_item)

    # One member's log: what that member did.
    mine, _ = await read_log(org.http, f"{client.base}/users/{carol_member}/events", bob.auth)
    assert [(e["type"], e["cipherId"]) for e in mine] == [(1101, str(carol_item))]


async def test_a_members_logins_and_account_recovery_show_in_the_log(org_fed) -> None:
    """Identity's events about Carol (a failed login, a login, a password change) in each organization she is in;
    the account recovery Bob did for Contoso in Contoso's log only, as Bob for Acme; her enrolment and withdrawal."""
    org = org_fed
    client = await client_org(org)
    bob = client.bob
    carol, carol_member = await join(org, bob, client.org_id)
    carol_auth = {"Authorization": f"Bearer {carol.token}", **GATEWAY_HEADERS}
    for policy_type in (3, 8):  # Account Recovery needs Single Organization first
        policy = await org.http.put(f"{client.base}/policies/{policy_type}", headers=bob.auth, json={"enabled": True})
        assert policy.status_code == 200, policy.text
    enrolment = f"{client.base}/users/{carol.id}/reset-password-enrollment"
    for key in (rsa(), None):
        response = await org.http.put(enrolment, headers=carol_auth, json={"resetPasswordKey": key})
        assert response.status_code == 200, response.text
    assert await deliver_own_outbox(org.app, OWN) > 0

    at_login = Actor(user_id=carol.id, device_type=14, ip="198.51.100.4")
    for event in (idc.UserLoginFailedV1, idc.UserTwoStepLoginFailedV1, idc.UserLoggedInV1, idc.MasterPasswordChangedV1):
        await feed(org.app, event(user_id=carol.id), producer="identity", actor=at_login)
    recovered = idc.AccountRecoveredV1(
        user_id=carol.id, organization_id=client.org_id, organization_user_id=uuid.UUID(carol_member)
    )
    await feed(org.app, recovered, producer="identity", actor=Actor(user_id=bob.id, device_type=9))
    elsewhere = idc.AccountRecoveredV1(
        user_id=carol.id, organization_id=uuid.uuid4(), organization_user_id=uuid.uuid4()
    )
    await feed(org.app, elsewhere, producer="identity", actor=Actor(user_id=bob.id))  # not an org held here

    entries, _ = await read_log(org.http, f"{client.base}/events", bob.auth)
    carols = {e["type"]: e for e in entries if e["userId"] == str(carol.id) and e["type"] not in (1500, 1501)}
    assert sorted(carols) == [1000, 1001, 1005, 1006, 1506, 1507, 1508]
    for code in (1000, 1001, 1005, 1006):
        assert (carols[code]["actingUserId"], carols[code]["deviceType"]) == (str(carol.id), 14)
        assert (carols[code]["ipAddress"], carols[code]["organizationUserId"]) == ("198.51.100.4", carol_member)
    reset = carols[1508]
    assert (reset["actingUserId"], reset["providerId"]) == (str(bob.id), str(client.provider_id))
    assert reset["organizationUserId"] == carol_member
    assert carols[1506]["actingUserId"] == str(carol.id)


async def test_pages_of_100_newest_first_within_the_date_window(org_fed) -> None:
    org = org_fed
    client = await client_org(org)
    now = datetime.now(UTC)
    item = {"owner_id": client.org_id, "organization_id": client.org_id}
    # 230 item events over the last 23 days, 5 from 40 days ago (outside the default window), 1 tomorrow.
    recent = [now - timedelta(hours=2 * i + 1) for i in range(230)]
    for at in [*recent, *(now - timedelta(days=40, minutes=i) for i in range(5)), now + timedelta(days=1)]:
        await feed(org.app, vc.CipherUpdatedV1(cipher_id=uuid.uuid4(), **item), producer="vault", at=at)

    path = f"{client.base}/events"
    everything, pages = await read_log(org.http, path, client.bob.auth)
    assert pages == 3
    got = [datetime.fromisoformat(e["date"]) for e in everything]
    assert got == sorted(recent, reverse=True)  # exactly the window, newest first, nothing twice
    assert len({e["cipherId"] for e in everything}) == 230

    first = (await org.http.get(path, headers=client.bob.auth)).json()
    assert len(first["data"]) == 100
    assert first["continuationToken"]

    start, end = now - timedelta(days=41), now - timedelta(days=39)
    old, _ = await read_log(org.http, path, client.bob.auth, start=start.isoformat(), end=end.isoformat())
    assert len(old) == 5
    swapped, _ = await read_log(org.http, path, client.bob.auth, start=end.isoformat(), end=start.isoformat())
    assert swapped == old
    ahead, _ = await read_log(
        org.http, path, client.bob.auth, start=now.isoformat(), end=(now + timedelta(days=2)).isoformat()
    )
    assert len(ahead) == 1

    too_wide = await org.http.get(
        path, headers=client.bob.auth, params={"start": "2024-01-01T00:00:00Z", "end": "2025-06-01T00:00:00Z"}
    )
    assert too_wide.status_code == 400
    assert "end" in too_wide.json()["validationErrors"]
    bad_token = await org.http.get(path, headers=client.bob.auth, params={"continuationToken": "not-a-token"})
    assert bad_token.status_code == 400
    assert "continuationToken" in bad_token.json()["validationErrors"]
    bad_date = await org.http.get(path, headers=client.bob.auth, params={"start": "yesterday", "end": "today"})
    assert bad_date.status_code == 400
    assert "start" in bad_date.json()["validationErrors"]


async def test_only_owners_admins_custom_with_the_right_and_active_provider_users_read_the_log(org_fed) -> None:
    org = org_fed
    client = await client_org(org)
    bob = client.bob
    carol, carol_member = await join(org, bob, client.org_id)  # User
    rita, _ = await join(org, bob, client.org_id, member_type=1, name="rita")  # Admin
    cleo, _ = await join(org, bob, client.org_id, member_type=4, name="cleo")
    granted = await org.http.put(
        f"{client.base}/users/{_member_of(await _members(org, client), cleo)}",
        headers=bob.auth,
        json={"type": 4, "permissions": {"accessEventLogs": True}},
    )
    assert granted.status_code == 200, granted.text
    max_, _ = await join(org, bob, client.org_id, member_type=4, name="max")  # Custom without the right
    dave, _ = await confirmed_provider_user(org, uuid.uuid4(), "dave")  # another provider's user
    ghost, ghost_row = await confirmed_provider_user(org, client.provider_id, "ghost")
    await feed(
        org.app,
        pvc.ProviderUserRevokedV1(
            provider_id=client.provider_id, provider_user_id=ghost_row, user_id=ghost.id, email=ghost.email, type=1
        ),
        producer="provider",
    )
    outsider = org.user("outsider")
    await register(org, outsider)
    olga = org.user("olga")  # owner of an organization of her own
    mine = await org.http.post(
        "/api/organizations", headers=olga.auth, json={"name": "Olga's", "billingEmail": olga.email, "key": rsa()}
    )
    assert mine.status_code == 200, mine.text
    olga_member = (await org.http.get(f"/api/organizations/{mine.json()['id']}/users", headers=olga.auth)).json()

    paths = [f"{client.base}/events", f"{client.base}/users/{carol_member}/events"]
    allowed = {"provider Service User": bob, "Admin": rita, "Custom with accessEventLogs": cleo}
    for who, user in allowed.items():
        for path in paths:
            response = await org.http.get(path, headers=user.auth)
            assert response.status_code == 200, f"{who}: {path}: {response.text}"
    denied = {
        "outsider": outsider,
        "org User": carol,
        "Custom without accessEventLogs": max_,
        "user of another provider": dave,
        "revoked provider user": ghost,
        "owner of another organization": olga,
    }
    for who, user in denied.items():
        for path in paths:
            response = await org.http.get(path, headers=user.auth)
            assert (response.status_code, response.json()["object"]) == (404, "error"), f"{who}: {path}"
    assert (await org.http.get(paths[0])).status_code == 401

    # A member id of another organization, or none at all, is not found either.
    for member in (olga_member["data"][0]["id"], str(uuid.uuid4())):
        response = await org.http.get(f"{client.base}/users/{member}/events", headers=bob.auth)
        assert response.status_code == 404
    # Nor is another organization's log through this one's provider user.
    assert (await org.http.get(f"/api/organizations/{mine.json()['id']}/events", headers=bob.auth)).status_code == 404


async def _members(org: OrgService, client: Client) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = (await org.http.get(f"{client.base}/users", headers=client.bob.auth)).json()["data"]
    return listed


def _member_of(members: list[dict[str, Any]], user: User) -> str:
    return str(next(m["id"] for m in members if m["email"] == user.email))
