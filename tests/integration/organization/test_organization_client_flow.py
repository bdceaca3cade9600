"""A provider's client organization end to end inside the service: created from ClientOrgCreated, its owner
invited by mail, members invited/accepted/confirmed, collections granted, and provider access ended by events."""

from __future__ import annotations

import json
import logging
import time
import uuid

import pytest
from aiokafka import AIOKafkaProducer

from mspvault.shared.contracts import provider as pvc
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.testing.samples import client_org_created
from mspvault.shared.testing.statements import built_anew, executed
from mspvault.shared.testing.wait import wait_until
from tests.integration.organization.org_harness import OrgService, User
from tests.integration.organization.org_scenarios import client_org, confirmed_provider_user, join, register, rsa, sym

pytestmark = pytest.mark.integration
log = logging.getLogger(__name__)


async def test_client_org_created_makes_the_org_invites_its_owner_and_mails_the_link(org_http) -> None:
    org = org_http
    client = await client_org(org)
    bob = client.provider_user

    got = await org.http.get(f"/api/organizations/{client.org_id}", headers=bob.auth)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["name"] == "Contoso"
    assert body["seats"] == 10
    assert body["providerId"] == str(client.provider_id)
    assert body["planType"] == 20

    members = (await org.http.get(f"/api/organizations/{client.org_id}/users", headers=bob.auth)).json()
    assert members["object"] == "list"
    assert members["continuationToken"] is None
    [owner] = members["data"]
    assert (owner["email"], owner["type"], owner["status"], owner["userId"]) == (client.owner_email, 0, 0, None)

    link = await org.invite_mail(client.owner_email)
    assert link["organizationId"] == str(client.org_id)
    assert link["organizationUserId"] == owner["id"]
    assert link["email"] == client.owner_email
    assert link["token"]

    types = [e["type"] for e in await org.outbox()]
    assert types[:3] == ["OrganizationCreated", "MemberInvited", "CollectionCreated"]
    [created] = await org.outbox("OrganizationCreated")
    assert created["data"]["provider_id"] == str(client.provider_id)
    assert created["key"] == str(client.org_id)

    # Provider users see every collection of their client orgs (manage), without being members.
    sync = (await org.http.get("/internal/sync", headers=bob.auth)).json()
    assert sync["organizations"] == []
    [collection] = sync["collections"]
    assert collection["organizationId"] == str(client.org_id)
    assert collection["manage"] is True


async def test_owner_accepts_with_the_mailed_token_once_and_is_confirmed_by_the_provider_user(org_http) -> None:
    org = org_http
    client = await client_org(org)
    owner = org.user("owner")
    owner.email = client.owner_email
    owner.token = org.key.mint(user_id=owner.id, email=client.owner_email)
    await register(org, owner)
    link = await org.invite_mail(client.owner_email)
    member_id = link["organizationUserId"]
    url = f"/api/organizations/{client.org_id}/users/{member_id}"

    stranger = org.user("stranger")
    wrong = await org.http.post(f"{url}/accept", headers=stranger.auth, json={"token": link["token"]})
    assert wrong.status_code == 400
    assert "different account" in wrong.json()["message"]
    forged = await org.http.post(f"{url}/accept", headers=owner.auth, json={"token": link["token"][:-4] + "AAAA"})
    assert forged.status_code == 400
    assert forged.json()["validationErrors"] == {"token": [forged.json()["message"]]}

    assert (await org.http.post(f"{url}/accept", headers=owner.auth, json={"token": link["token"]})).status_code == 200
    again = await org.http.post(f"{url}/accept", headers=owner.auth, json={"token": link["token"]})
    assert again.status_code == 400, "tokens are single-use"

    keys = (
        await org.http.post(
            f"/api/organizations/{client.org_id}/users/public-keys",
            headers=client.provider_user.auth,
            json={"ids": [member_id]},
        )
    ).json()
    assert keys["data"][0]["userId"] == str(owner.id)
    assert keys["data"][0]["key"]

    confirmed = await org.http.post(f"{url}/confirm", headers=client.provider_user.auth, json={"key": rsa()})
    assert confirmed.status_code == 200, confirmed.text
    sync = (await org.http.get("/internal/sync", headers=owner.auth)).json()
    [profile] = sync["organizations"]
    assert profile["id"] == str(client.org_id)
    assert profile["type"] == 0
    assert profile["status"] == 2
    assert profile["key"].startswith("4.")
    assert profile["object"] == "profileOrganization"
    assert profile["providerId"] == str(client.provider_id)
    assert profile["providerName"] == "Acme MSP"
    assert profile["providerType"] == 0
    assert len(sync["collections"]) == 1  # an Owner sees every collection of the org

    revision = (await org.http.get("/internal/revision-date", headers=owner.auth)).json()["revisionDate"]
    assert revision > 0


async def test_confirm_needs_accept_first_and_invites_are_bound_by_seats(org_http) -> None:
    org = org_http
    client = await client_org(org, seats=2)  # the owner invite holds one seat
    bob = client.provider_user
    base = f"/api/organizations/{client.org_id}/users"
    ok = await org.http.post(f"{base}/invite", headers=bob.auth, json={"emails": ["dan@contoso.test"], "type": 2})
    assert ok.status_code == 200
    full = await org.http.post(f"{base}/invite", headers=bob.auth, json={"emails": ["eve@contoso.test"], "type": 2})
    assert full.status_code == 400
    assert "Seat limit" in full.json()["message"]

    dan = next(
        m for m in (await org.http.get(base, headers=bob.auth)).json()["data"] if m["email"] == "dan@contoso.test"
    )
    early = await org.http.post(f"{base}/{dan['id']}/confirm", headers=bob.auth, json={"key": rsa()})
    assert early.status_code == 400
    assert "accepted" in early.json()["message"]

    # A revoked member frees the seat; restoring them needs it back.
    assert (await org.http.put(f"{base}/{dan['id']}/revoke", headers=bob.auth)).status_code == 200
    assert (
        await org.http.post(f"{base}/invite", headers=bob.auth, json={"emails": ["eve@contoso.test"], "type": 2})
    ).status_code == 200
    blocked = await org.http.put(f"{base}/{dan['id']}/restore", headers=bob.auth)
    assert blocked.status_code == 400
    assert "Seat limit" in blocked.json()["message"]


async def test_collection_access_is_published_in_full_with_group_grants_folded_in(org_http) -> None:
    org = org_http
    client = await client_org(org)
    bob = client.provider_user
    carol, carol_member = await join(org, bob, client.org_id)
    dave, dave_member = await join(org, bob, client.org_id, name="dave")
    base = f"/api/organizations/{client.org_id}"

    created = await org.http.post(
        f"{base}/collections",
        headers=bob.auth,
        json={
            "name": sym(),
            "users": [{"id": carol_member, "readOnly": True, "hidePasswords": False, "manage": False}],
            "groups": [],
        },
    )
    assert created.status_code == 200, created.text
    collection = created.json()
    assert collection["object"] == "collectionAccessDetails"
    assert collection["users"] == [{"id": carol_member, "readOnly": True, "hidePasswords": False, "manage": False}]

    group = await org.http.post(
        f"{base}/groups",
        headers=bob.auth,
        json={
            "name": "Ops",
            "collections": [{"id": collection["id"], "readOnly": False, "hidePasswords": False, "manage": True}],
            "users": [dave_member, carol_member],
        },
    )
    assert group.status_code == 200, group.text

    last = (await org.outbox("CollectionAccessChanged"))[-1]["data"]
    assert last["collection_id"] == collection["id"]
    access = {a["user_id"]: a for a in last["access"]}
    assert set(access) == {str(carol.id), str(dave.id)}
    assert access[str(carol.id)]["read_only"] is False
    assert access[str(carol.id)]["manage"] is True
    assert access[str(dave.id)]["manage"] is True

    carol_sync = (await org.http.get("/internal/sync", headers=carol.auth)).json()
    [seen] = [c for c in carol_sync["collections"] if c["id"] == collection["id"]]
    assert seen["readOnly"] is False
    assert seen["manage"] is True
    assert seen["object"] == "collectionDetails"

    # Taking Carol out of the group leaves her direct read-only grant.
    out = await org.http.put(f"{base}/groups/{group.json()['id']}/users", headers=bob.auth, json=[dave_member])
    assert out.status_code == 200
    access = {a["user_id"]: a for a in (await org.outbox("CollectionAccessChanged"))[-1]["data"]["access"]}
    assert access[str(carol.id)]["read_only"] is True
    assert access[str(carol.id)]["manage"] is False

    # Carol cannot edit what she may only read; she cannot see collections she is not in.
    denied = await org.http.put(f"{base}/collections/{collection['id']}", headers=carol.auth, json={"name": sym()})
    assert denied.status_code == 404
    other = (await org.http.post(f"{base}/collections", headers=bob.auth, json={"name": sym()})).json()
    assert (await org.http.get(f"{base}/collections/{other['id']}/details", headers=carol.auth)).status_code == 404
    listed = (await org.http.get(f"{base}/collections", headers=carol.auth)).json()["data"]
    assert [c["id"] for c in listed] == [collection["id"]]
    assigned = (await org.http.get("/api/collections", headers=carol.auth)).json()  # what `bw` asks a member
    assert [(c["id"], c["readOnly"]) for c in assigned["data"]] == [(collection["id"], True)]
    assert assigned["object"] == "list"

    # Revoking Carol republishes without her, and her sync drops the org.
    assert (await org.http.put(f"{base}/users/{carol_member}/revoke", headers=bob.auth)).status_code == 200
    granted = {a["user_id"] for a in (await org.outbox("CollectionAccessChanged"))[-1]["data"]["access"]}
    assert str(carol.id) not in granted
    assert (await org.http.get("/internal/sync", headers=carol.auth)).json()["organizations"] == []


async def _admin_status(org: OrgService, user: User, org_id: uuid.UUID) -> int:
    return (await org.http.get(f"/api/organizations/{org_id}/users", headers=user.auth)).status_code


async def test_provider_user_revoked_or_client_detached_loses_access_as_the_event_is_applied(org_http) -> None:
    org = org_http
    client = await client_org(org)
    bob = client.provider_user
    assert await _admin_status(org, bob, client.org_id) == 200

    started = time.perf_counter()
    await org.feed(
        pvc.ProviderUserRevokedV1(
            provider_id=client.provider_id,
            provider_user_id=client.provider_user_row,
            user_id=bob.id,
            email=bob.email,
            type=1,
        )
    )
    assert await _admin_status(org, bob, client.org_id) == 404
    log.warning(
        "provider access ended %.1f ms after ProviderUserRevoked was applied (first request after commit)",
        (time.perf_counter() - started) * 1000,
    )
    assert (await org.http.get("/internal/sync", headers=bob.auth)).json()["collections"] == []

    await org.feed(
        pvc.ProviderUserRestoredV1(
            provider_id=client.provider_id,
            provider_user_id=client.provider_user_row,
            user_id=bob.id,
            email=bob.email,
            type=1,
        )
    )
    assert await _admin_status(org, bob, client.org_id) == 200

    await org.feed(pvc.ClientOrgRemovedV1(provider_id=client.provider_id, organization_id=client.org_id))
    assert await _admin_status(org, bob, client.org_id) == 404
    assert (await org.outbox("OrganizationUpdated"))[-1]["data"]["provider_id"] is None

    await org.feed(
        pvc.ClientOrgAddedV1(provider_id=client.provider_id, organization_id=client.org_id, provider_name="Acme MSP")
    )
    assert await _admin_status(org, bob, client.org_id) == 200
    await org.feed(
        pvc.ProviderUserRemovedV1(
            provider_id=client.provider_id,
            provider_user_id=client.provider_user_row,
            user_id=bob.id,
            email=bob.email,
            type=1,
        )
    )
    assert await _admin_status(org, bob, client.org_id) == 404


async def test_revocation_delivered_by_the_broker_ends_access_within_seconds(org, kafka) -> None:
    client = await client_org(org)
    bob = client.provider_user
    assert await _admin_status(org, bob, client.org_id) == 200
    event = pvc.ProviderUserRevokedV1(
        provider_id=client.provider_id,
        provider_user_id=client.provider_user_row,
        user_id=bob.id,
        email=bob.email,
        type=1,
    )
    envelope = Envelope.wrap(event, producer="provider", correlation_id=uuid.uuid4().hex)
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, acks="all")
    await producer.start()
    try:
        sent = time.perf_counter()
        await producer.send_and_wait(
            "provider.events", json.dumps(envelope.model_dump(mode="json")).encode(), key=envelope.key.encode()
        )
    finally:
        await producer.stop()

    async def denied() -> bool:
        return await _admin_status(org, bob, client.org_id) == 404

    await wait_until(denied, timeout=60, interval=0.05, message="provider access ended by the broker-delivered event")
    elapsed = time.perf_counter() - sent
    log.warning(
        "provider access ended %.0f ms after ProviderUserRevoked was published (broker round trip + inbox apply)",
        elapsed * 1000,
    )


async def test_an_old_provider_user_event_replayed_after_the_revocation_does_not_restore_access(org_http) -> None:
    """Issue 11 #5: a Restored that sat in the DLQ, replayed after a newer Revoked (or Removed), changes nothing."""
    org = org_http
    client = await client_org(org)
    bob = client.provider_user
    facts = {
        "provider_id": client.provider_id,
        "provider_user_id": client.provider_user_row,
        "user_id": bob.id,
        "email": bob.email,
        "type": 1,
    }
    # Recorded by the provider first, but not applied here yet (failing, it went to the DLQ).
    old_restore = Envelope.wrap(pvc.ProviderUserRestoredV1(**facts), producer="provider", correlation_id="r" * 16)
    old_confirm = Envelope.wrap(pvc.ProviderUserConfirmedV1(**facts), producer="provider", correlation_id="c" * 16)
    await org.feed(pvc.ProviderUserRevokedV1(**facts))
    assert await _admin_status(org, bob, client.org_id) == 404

    runtime = org.app.state.runtime
    handlers = runtime.consumer.router.handlers["provider.events"]
    assert await runtime.consumer.apply("provider.events", old_restore, handlers[old_restore.type]) == "applied"
    assert await _admin_status(org, bob, client.org_id) == 404

    await org.feed(pvc.ProviderUserRemovedV1(**facts))
    assert await runtime.consumer.apply("provider.events", old_confirm, handlers[old_confirm.type]) == "applied"
    assert await _admin_status(org, bob, client.org_id) == 404


async def test_each_client_created_runs_the_statements_the_one_before_built(org_http) -> None:
    """Issue 12 #4: the statements of a client organization's creation (the organization, its owner's invite and
    mail, its collection, the provider's name and audience, the revision bumps) are built once, not per event."""
    org = org_http
    provider_id = uuid.uuid4()
    await org.feed(pvc.ProviderCreatedV1(provider_id=provider_id, name="Acme MSP", type=0, owner_email="a@acme.test"))
    await confirmed_provider_user(org, provider_id)

    async def create_client() -> None:
        org_id = uuid.uuid4()
        owner_email = f"owner-{org_id.hex[:8]}@contoso.test"
        await org.feed(client_org_created(provider_id, owner_email, organization_id=org_id, name=f"C {org_id.hex}"))

    engine = org.app.state.runtime.engine
    await create_client()
    with executed(engine) as second:
        await create_client()
    with executed(engine) as third:
        await create_client()
    assert len(built_anew([], second)) >= 6  # organization, owner, mail, collection, provider, audience, bumps
    assert built_anew(second, third) == []
