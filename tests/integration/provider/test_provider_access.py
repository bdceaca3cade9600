"""Every provider route denies whoever may not use it: 404 for the authenticated (so ids never leak), 401 without
a token. Personas: an outsider, an admin of another provider, a platform operator (never a member), a revoked
provider user, and — for admin-only work — a confirmed Service User. Denials change nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
import pytest_asyncio

from tests.integration.provider.provider_flows import (
    ADMIN,
    SERVICE,
    SetUpProvider,
    add_member,
    client_body,
    create_client,
    give_confirmed_owner,
    invite_and_accept,
    own_organization,
    set_up_provider,
    synced,
)
from tests.integration.provider.provider_harness import SYM, ProviderHarness, User

pytestmark = pytest.mark.integration


@dataclass
class World:
    acme: SetUpProvider
    bob: User  # confirmed Service User of acme
    bob_pu: str
    rex: User  # revoked Service User of acme
    accepted_pu: str  # accepted, awaiting confirmation
    invited_pu: str  # invited, not accepted
    client_id: str  # a client link of acme (with a confirmed owner, so a detach would succeed)
    owned_org: uuid.UUID  # an organization each persona owns would be addable; this one is alice's
    dave: User  # admin of another provider
    eve: User  # registered, belongs to nothing
    operator: dict[str, str]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(provider_service: ProviderHarness) -> World:
    h = provider_service
    acme = await set_up_provider(h)
    bob, bob_pu = await add_member(h, acme, "bob", SERVICE)
    rex, rex_pu = await add_member(h, acme, "rex", SERVICE)
    revoked = await h.call("POST", f"{acme.base()}/users/{rex_pu}/revoke", acme.admin)
    assert revoked.status_code == 200
    _, accepted_pu = await invite_and_accept(h, acme, "acc", ADMIN)
    invited = await h.call(
        "POST",
        f"{acme.base()}/users/invite",
        acme.admin,
        json={"emails": [f"ivy-{uuid.uuid4().hex[:6]}@a.test"], "type": 1},
    )
    invited_pu = invited.json()["data"][0]["id"]
    link = await create_client(h, acme, acme.admin)
    await give_confirmed_owner(h, link["organizationId"])
    owned_org = await own_organization(h, acme.admin)
    other = await set_up_provider(h, "Other MSP")
    return World(
        acme=acme,
        bob=bob,
        bob_pu=bob_pu,
        rex=rex,
        accepted_pu=accepted_pu,
        invited_pu=invited_pu,
        client_id=link["id"],
        owned_org=owned_org,
        dave=other.admin,
        eve=await h.new_user("eve"),
        operator=h.operator(),
    )


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    body: object = None
    admin_only: bool = True


def routes(w: World) -> list[Route]:
    base, key = w.acme.base(), "4.cnNhLWNpcGhlcnRleHQ="
    return [
        Route("GET", base, admin_only=False),
        Route("PUT", base, {"name": "Hijacked", "billingEmail": "x@evil.test"}),
        Route("POST", f"{base}/setup", {"name": "Hijacked", "billingEmail": "x@evil.test", "key": key}),
        Route("GET", f"{base}/users"),
        Route("GET", f"{base}/users/{w.bob_pu}"),
        Route("POST", f"{base}/users/invite", {"emails": ["mallory@evil.test"], "type": ADMIN}),
        Route("POST", f"{base}/users/reinvite", {"ids": [w.invited_pu]}),
        Route("POST", f"{base}/users/{w.invited_pu}/reinvite"),
        Route("POST", f"{base}/users/public-keys", {"ids": [w.accepted_pu]}),
        Route("POST", f"{base}/users/{w.accepted_pu}/confirm", {"key": key}),
        Route("POST", f"{base}/users/confirm", {"keys": [{"id": w.accepted_pu, "key": key}]}),
        Route("PUT", f"{base}/users/{w.bob_pu}", {"type": ADMIN}),
        Route("POST", f"{base}/users/{w.bob_pu}/revoke"),
        Route("POST", f"{base}/users/{w.bob_pu}/restore"),
        Route("DELETE", f"{base}/users/{w.bob_pu}"),
        Route("DELETE", f"{base}/users", {"ids": [w.bob_pu]}),
        Route("POST", f"{base}/users/delete", {"ids": [w.bob_pu]}),
        Route("GET", f"{base}/organizations", admin_only=False),
        Route("POST", f"{base}/clients", client_body("Stolen"), admin_only=False),
        Route(
            "PUT",
            f"{base}/clients/{w.client_id}",
            {"assignedSeats": 99, "name": "Hijacked", "providerAccessToItems": False},
            admin_only=False,
        ),
        Route("GET", f"{base}/clients/addable", admin_only=False),
        Route("POST", f"{base}/clients/existing", {"organizationId": str(w.owned_org), "key": SYM}, admin_only=False),
        Route("DELETE", f"{base}/organizations/{w.client_id}", admin_only=False),
    ]


PERSONAS = ["outsider", "other_provider_admin", "operator", "revoked_user", "service_user"]


def persona(w: World, name: str) -> dict[str, str]:
    return {
        "outsider": w.eve.headers,
        "other_provider_admin": w.dave.headers,
        "operator": w.operator,
        "revoked_user": w.rex.headers,
        "service_user": w.bob.headers,
    }[name]


async def test_every_route_denies_every_persona_that_may_not_use_it(provider_service, world):
    h = provider_service
    events_before = await h.event_types(world.acme.id)
    mails_before = len(h.mail.messages)
    failures = []
    for route in routes(world):
        for name in PERSONAS:
            if name == "service_user" and not route.admin_only:
                continue
            response = await h.call(route.method, route.path, persona(world, name), json=route.body)
            if response.status_code != 404 or response.json()["object"] != "error":
                failures.append((route.method, route.path, name, response.status_code, response.text[:120]))
            else:
                assert str(world.acme.id) not in response.text  # nothing about the resource leaks
    assert failures == []
    assert await h.event_types(world.acme.id) == events_before  # nothing changed
    assert not any("mallory@evil.test" in mail.to for mail in h.mail.messages[mails_before:])


async def test_every_route_needs_a_token(provider_service, world):
    h = provider_service
    extra = [
        Route("POST", f"{world.acme.base()}/users/{world.invited_pu}/accept", {"token": "x"}),
        Route("POST", "/api/admin/providers", {"name": "x", "type": 0, "ownerEmail": "a@b.test"}),
        Route("GET", "/api/admin/providers"),
        Route("GET", "/internal/sync"),
        Route("GET", "/internal/revision-date"),
    ]
    for route in [*routes(world), *extra]:
        for headers in ({}, {"Authorization": "Bearer not-a-jwt"}):
            response = await h.call(route.method, route.path, headers, json=route.body)
            assert response.status_code == 401, (route.method, route.path, response.status_code)
            assert response.headers["www-authenticate"] == "Bearer"


async def test_operator_routes_are_hidden_from_everyone_else(provider_service, world):
    h = provider_service
    for user in (world.acme.admin, world.bob, world.eve):
        listed = await h.call("GET", "/api/admin/providers", user)
        created = await h.call(
            "POST", "/api/admin/providers", user, json={"name": "Rogue", "type": 0, "ownerEmail": user.email}
        )
        assert (listed.status_code, created.status_code) == (404, 404)


async def test_service_users_may_do_client_work(provider_service, world):
    """The positive half of the matrix: what a Service User may do, he can."""
    h = provider_service
    base = world.acme.base()
    assert (await h.call("GET", base, world.bob)).status_code == 200
    assert (await h.call("GET", f"{base}/organizations", world.bob)).status_code == 200
    assert (await h.call("GET", f"{base}/clients/addable", world.bob)).status_code == 200
    seats = await h.call("PUT", f"{base}/clients/{world.client_id}", world.bob, json={"assignedSeats": 12})
    assert seats.status_code == 200


async def test_accept_with_someone_elses_invite_is_refused(provider_service, world):
    h = provider_service
    path = f"{world.acme.base()}/users/{world.invited_pu}/accept"
    for user in (world.eve, world.dave, world.rex):
        response = await h.call("POST", path, user, json={"token": "forged.token"})
        assert response.status_code == 400
        assert response.json()["validationErrors"] == {"token": ["Invalid token."]}


async def test_sync_shows_only_the_callers_own_providers(provider_service, world):
    h = provider_service
    for user in (world.eve, world.rex):
        assert (await synced(h, user)) == {"providers": [], "providerOrganizations": []}
    dave = await synced(h, world.dave)
    assert [p["name"] for p in dave["providers"]] == ["Other MSP"]
    assert dave["providerOrganizations"] == []
