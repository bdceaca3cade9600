"""The provider's event logs, on the real broker: its own events (provider users, client links) come back to it
through its own topic; its clients' organization and vault events feed the combined log and, when a provider user
acted, the provider's log. Provider Admins read them; everyone else gets 404."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts import vault as vc
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.testing.wait import wait_until
from tests.integration.audit.audit_helpers import GATEWAY_HEADERS, feed, read_log, types
from tests.integration.provider.provider_flows import (
    ADMIN,
    SERVICE,
    SetUpProvider,
    add_member,
    client_body,
    invite_and_accept,
    set_up_provider,
)
from tests.integration.provider.provider_harness import ProviderHarness, User

pytestmark = pytest.mark.integration


async def log_of(h: ProviderHarness, path: str, who: User, **params: Any) -> list[dict[str, Any]]:
    entries, _ = await read_log(h.http, path, who.headers, **params)
    return entries


async def until_logged(h: ProviderHarness, path: str, who: User, want: int, **match: Any) -> dict[str, Any]:
    """Wait for the entry of type `want` (matching `match`) to be in the log: own events arrive through the broker."""

    async def logged() -> dict[str, Any] | None:
        for entry in await log_of(h, path, who):
            if entry["type"] == want and all(entry[k] == v for k, v in match.items()):
                return entry
        return None

    found: dict[str, Any] | None = await wait_until(logged, timeout=30, message=f"event {want} {match} in {path}")
    assert found is not None
    return found


def member_event(
    kind: type[oc.MemberInvitedV1 | oc.MemberConfirmedV1], org_id: uuid.UUID, user: User | None, type: int, status: int
) -> oc.MemberInvitedV1 | oc.MemberConfirmedV1:
    return kind(
        organization_id=org_id,
        member_id=uuid.uuid4(),
        user_id=user.id if user else None,
        email=user.email if user else f"x{uuid.uuid4().hex[:6]}@x.test",
        type=type,
        status=status,
    )


async def test_own_events_client_events_and_what_provider_users_did_each_in_their_log(provider_live) -> None:
    h = provider_live
    acme = await set_up_provider(h)
    alice = acme.admin
    bob, bob_pu = await add_member(h, acme, "bob", SERVICE)
    own = f"{acme.base()}/events"
    clients = f"{acme.base()}/clients/events"

    created = await h.call("POST", f"{acme.base()}/clients", {**bob.headers, **GATEWAY_HEADERS}, json=client_body())
    assert created.status_code == 200, created.text
    link = created.json()
    org_id = uuid.UUID(link["organizationId"])
    entry = await until_logged(h, own, alice, 1900, providerOrganizationId=link["id"])
    assert (entry["organizationId"], entry["actingUserId"]) == (str(org_id), str(bob.id))
    assert (entry["deviceType"], entry["ipAddress"]) == (9, "203.0.113.7")

    # The client's events, as the organization and vault services publish them.
    carol = await h.new_user("carol")
    for_acme = Actor(user_id=bob.id, provider_id=uuid.UUID(acme.id))
    await feed(h.app, member_event(oc.MemberInvitedV1, org_id, None, 2, 0), producer="organization", actor=for_acme)
    owner = member_event(oc.MemberConfirmedV1, org_id, carol, 0, 2)
    await feed(h.app, owner, producer="organization", actor=Actor(user_id=carol.id))
    item = {"owner_id": org_id, "organization_id": org_id}
    bobs, carols = uuid.uuid4(), uuid.uuid4()
    await feed(h.app, vc.CipherCreatedV1(cipher_id=bobs, **item), producer="vault", actor=Actor(user_id=bob.id))
    await feed(h.app, vc.CipherCreatedV1(cipher_id=carols, **item), producer="vault", actor=Actor(user_id=carol.id))
    # Not ours: another organization's events, even by one of our users acting as himself.
    elsewhere = uuid.uuid4()
    stranger = {"owner_id": elsewhere, "organization_id": elsewhere, "cipher_id": uuid.uuid4()}
    await feed(h.app, vc.CipherCreatedV1(**stranger), producer="vault", actor=Actor(user_id=bob.id))
    await feed(h.app, member_event(oc.MemberInvitedV1, elsewhere, None, 2, 0), producer="organization")

    combined = await log_of(h, clients, alice)
    assert sorted(types(combined)) == [1100, 1100, 1500, 1501, 1900]
    assert all(e["organizationId"] == str(org_id) for e in combined)
    by_cipher = {e["cipherId"]: e for e in combined if e["type"] == 1100}
    assert by_cipher[str(bobs)]["providerId"] == acme.id  # Bob acted for Acme, though the vault did not say so
    assert by_cipher[str(carols)]["providerId"] is None

    provider_log = await log_of(h, own, alice)
    assert types(provider_log).count(1800) == 2  # Alice (by the operator) and Bob invited
    assert types(provider_log).count(1801) == 2
    acted_in_client = [e for e in provider_log if e["organizationId"] == str(org_id)]
    assert sorted(types(acted_in_client)) == [1100, 1500, 1900]
    assert all(e["actingUserId"] == str(bob.id) and e["providerId"] == acme.id for e in acted_in_client)
    invited_bob = next(e for e in provider_log if e["type"] == 1800 and e["providerUserId"] == bob_pu)
    assert (invited_bob["actingUserId"], invited_bob["providerId"]) == (str(alice.id), acme.id)

    bobs_log = await log_of(h, f"{acme.base()}/users/{bob_pu}/events", alice)
    assert sorted(types(bobs_log)) == [1100, 1500, 1900]

    # Alice revokes Bob (an update, in Bitwarden's codes) and detaches the client once it has a confirmed owner.
    assert (await h.call("POST", f"{acme.base()}/users/{bob_pu}/revoke", alice)).status_code == 200
    await until_logged(h, own, alice, 1802, providerUserId=bob_pu, actingUserId=str(alice.id))
    detached = await h.call("DELETE", f"{acme.base()}/organizations/{link['id']}", alice)
    assert detached.status_code == 200, detached.text
    removed = await until_logged(h, clients, alice, 1902)
    assert (removed["providerOrganizationId"], removed["organizationId"]) == (link["id"], str(org_id))
    # A former client's later events are no longer the provider's business.
    await feed(h.app, vc.CipherUpdatedV1(cipher_id=carols, **item), producer="vault", actor=Actor(user_id=carol.id))
    assert 1101 not in types(await log_of(h, clients, alice))


async def test_the_combined_log_pages_like_the_others(provider_live) -> None:
    h = provider_live
    acme = await set_up_provider(h)
    created = await h.call("POST", f"{acme.base()}/clients", acme.admin, json=client_body())
    org_id = uuid.UUID(created.json()["organizationId"])
    item = {"owner_id": org_id, "organization_id": org_id}
    for _ in range(150):
        await feed(h.app, vc.CipherUpdatedV1(cipher_id=uuid.uuid4(), **item), producer="vault")
    path = f"{acme.base()}/clients/events"
    await until_logged(h, path, acme.admin, 1900)
    entries, pages = await read_log(h.http, path, acme.admin.headers)
    assert (len(entries), pages) == (151, 2)
    assert len({(e["date"], e["cipherId"]) for e in entries}) == 151


async def test_only_active_provider_admins_read_the_provider_logs(provider_live) -> None:
    h = provider_live
    acme = await set_up_provider(h)
    sam, sam_pu = await add_member(h, acme, "sam", SERVICE)
    dave, dave_pu = await add_member(h, acme, "dave", ADMIN)
    assert (await h.call("POST", f"{acme.base()}/users/{dave_pu}/revoke", acme.admin)).status_code == 200
    pending, pending_pu = await invite_and_accept(h, acme, "pat", SERVICE)  # accepted, not confirmed
    invited = await h.new_user("ivy")
    assert (
        await h.call("POST", f"{acme.base()}/users/invite", acme.admin, json={"emails": [invited.email], "type": 1})
    ).status_code == 200
    other: SetUpProvider = await set_up_provider(h, "Other MSP")
    outsider = await h.new_user("outsider")

    paths = [f"{acme.base()}/events", f"{acme.base()}/users/{sam_pu}/events", f"{acme.base()}/clients/events"]
    for path in paths:
        response = await h.call("GET", path, acme.admin)
        assert response.status_code == 200, f"{path}: {response.text}"
    denied = {
        "Service User": sam,
        "revoked Provider Admin": dave,
        "accepted, unconfirmed user": pending,
        "invited user": invited,
        "admin of another provider": other.admin,
        "outsider": outsider,
    }
    for who, user in denied.items():
        for path in paths:
            response = await h.call("GET", path, user)
            assert (response.status_code, response.json()["object"]) == (404, "error"), f"{who}: {path}"
    assert (await h.call("GET", paths[0], None)).status_code == 401

    # A provider user of another provider, an unknown one, or one without an account yet: not found.
    other_pu = (await h.call("GET", f"{other.base()}/users", other.admin)).json()["data"][0]["id"]
    ivy_pu = next(
        u["id"]
        for u in (await h.call("GET", f"{acme.base()}/users", acme.admin)).json()["data"]
        if u["email"] == invited.email
    )
    for provider_user in (other_pu, str(uuid.uuid4()), ivy_pu):
        response = await h.call("GET", f"{acme.base()}/users/{provider_user}/events", acme.admin)
        assert response.status_code == 404, provider_user
    assert pending_pu  # the accepted user's own log is readable by the admin (they have an account)
    assert (await h.call("GET", f"{acme.base()}/users/{pending_pu}/events", acme.admin)).status_code == 200
