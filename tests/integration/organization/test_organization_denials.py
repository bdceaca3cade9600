"""Every route refuses whoever may not use it: unauthenticated (401), outsiders, users of another organization,
provider users of another provider, revoked members (404: they may not know the org exists), and an org User
doing Admin work (404, never 403: the official CLI logs a user out on any 403)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from mspvault.shared.contracts import provider as pvc
from tests.integration.organization.org_harness import OrgService
from tests.integration.organization.org_scenarios import client_org, confirmed_provider_user, join, rsa, sym

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    body: object = None
    # What a confirmed org User gets; None when the route is not admin work (a User may use it).
    as_user: int | None = 404


def routes(org_id: str, member: str, collection: str, group: str) -> list[Route]:
    base = f"/api/organizations/{org_id}"
    ids = {"ids": [member]}
    grant = {"name": sym(), "users": [], "groups": []}
    return [
        Route("GET", base, as_user=None),
        Route("PUT", base, {"name": "Renamed", "billingEmail": "x@x.test"}),
        Route("POST", base, {"name": "Renamed", "billingEmail": "x@x.test"}),
        Route("GET", f"{base}/users"),
        Route("GET", f"{base}/users/{member}", as_user=404),
        Route("POST", f"{base}/users/invite", {"emails": [f"x{uuid.uuid4().hex[:6]}@x.test"], "type": 2}),
        Route("POST", f"{base}/users/reinvite", ids),
        Route("POST", f"{base}/users/{member}/reinvite"),
        Route("POST", f"{base}/users/public-keys", ids),
        Route("POST", f"{base}/users/{member}/confirm", {"key": rsa()}),
        Route("POST", f"{base}/users/confirm", {"keys": [{"id": member, "key": rsa()}]}),
        Route("PUT", f"{base}/users/{member}", {"type": 1}),
        Route("PUT", f"{base}/users/{member}/revoke"),
        Route("PUT", f"{base}/users/revoke", ids),
        Route("PUT", f"{base}/users/{member}/restore"),
        Route("PUT", f"{base}/users/restore", ids),
        Route("DELETE", f"{base}/users/{member}"),
        Route("POST", f"{base}/users/remove", ids),
        Route("DELETE", f"{base}/users", ids),
        Route("GET", f"{base}/collections", as_user=None),
        Route("GET", f"{base}/collections/details", as_user=None),
        Route("GET", f"{base}/collections/{collection}/details", as_user=404),
        Route("POST", f"{base}/collections", grant),
        Route("PUT", f"{base}/collections/{collection}", grant, as_user=404),
        Route("DELETE", f"{base}/collections/{collection}", as_user=404),
        Route("GET", f"{base}/groups", as_user=None),
        Route("GET", f"{base}/groups/details"),
        Route("GET", f"{base}/groups/{group}/details"),
        Route("POST", f"{base}/groups", {"name": "G", "collections": [], "users": []}),
        Route("PUT", f"{base}/groups/{group}", {"name": "G2"}),
        Route("PUT", f"{base}/groups/{group}/users", [member]),
        Route("DELETE", f"{base}/groups/{group}"),
        Route("GET", f"{base}/policies"),
        Route("GET", f"{base}/policies/3"),
        Route("PUT", f"{base}/policies/3", {"enabled": True}),
    ]


async def call(org: OrgService, route: Route, headers: dict[str, str]) -> int:
    response = await org.http.request(route.method, route.path, headers=headers, json=route.body)
    if response.status_code in (403, 404):
        assert response.json()["object"] == "error"
    return response.status_code


async def test_every_route_denies_who_may_not_use_it(org_http) -> None:
    org = org_http
    client = await client_org(org)
    bob = client.provider_user
    carol, carol_member = await join(org, bob, client.org_id)
    rita, rita_member = await join(org, bob, client.org_id, member_type=1, name="rita")
    base = f"/api/organizations/{client.org_id}"
    assert (await org.http.put(f"{base}/users/{rita_member}/revoke", headers=bob.auth)).status_code == 200
    collection = (await org.http.post(f"{base}/collections", headers=bob.auth, json={"name": sym()})).json()["id"]
    group = (await org.http.post(f"{base}/groups", headers=bob.auth, json={"name": "Ops"})).json()["id"]

    outsider = org.user("outsider")
    olga = org.user("olga")  # owner of another organization
    created = await org.http.post(
        "/api/organizations",
        headers=olga.auth,
        json={"name": "Other", "billingEmail": olga.email, "planType": 0, "key": rsa()},
    )
    assert created.status_code == 200, created.text
    other_provider = uuid.uuid4()
    dave, _ = await confirmed_provider_user(org, other_provider, "dave")
    ghost, ghost_row = await confirmed_provider_user(org, client.provider_id, "ghost")
    await org.feed(
        pvc.ProviderUserRevokedV1(
            provider_id=client.provider_id, provider_user_id=ghost_row, user_id=ghost.id, email=ghost.email, type=1
        )
    )

    listed = (await org.http.get(f"{base}/users", headers=bob.auth)).json()["data"]
    target = next(m["id"] for m in listed if m["email"] == client.owner_email)  # the invited owner
    table = routes(str(client.org_id), target, collection, group)
    failures = []
    for route in table:
        checks = [
            ("unauthenticated", {}, 401),
            ("outsider", outsider.auth, 404),
            ("user of another org", olga.auth, 404),
            ("user of another provider", dave.auth, 404),
            ("revoked provider user", ghost.auth, 404),
            ("revoked admin", rita.auth, 404),
        ]
        if route.as_user is not None:
            checks.append(("org User", carol.auth, route.as_user))
        for who, headers, expected in checks:
            got = await call(org, route, headers)
            if got != expected:
                failures.append(f"{route.method} {route.path} as {who}: {got}, expected {expected}")
    assert not failures, "\n".join(failures)

    # Nothing changed: Carol is still a confirmed member, the collection and group still there.
    members = (await org.http.get(f"{base}/users", headers=bob.auth)).json()["data"]
    assert {m["id"]: m["status"] for m in members} == {carol_member: 2, rita_member: -1, target: 0}
    assert (await org.http.get(f"{base}/collections/{collection}/details", headers=bob.auth)).status_code == 200
    assert (await org.http.get(f"{base}/groups/{group}/details", headers=bob.auth)).status_code == 200


async def test_accept_refuses_strangers_and_unknown_invites(org_http) -> None:
    org = org_http
    client = await client_org(org)
    link = await org.invite_mail(client.owner_email)
    url = f"/api/organizations/{client.org_id}/users/{link['organizationUserId']}/accept"
    assert (await org.http.post(url, json={"token": link["token"]})).status_code == 401
    stranger = org.user("stranger")
    assert (await org.http.post(url, headers=stranger.auth, json={"token": link["token"]})).status_code == 400
    # The token is checked before the member is looked up: a made-up member id is refused like a real one.
    unknown = f"/api/organizations/{client.org_id}/users/{uuid.uuid4()}/accept"
    assert (await org.http.post(unknown, headers=stranger.auth, json={"token": link["token"]})).status_code == 400


async def test_bad_input_is_a_400_naming_the_field(org_http) -> None:
    org = org_http
    client = await client_org(org)
    bob = client.provider_user
    base = f"/api/organizations/{client.org_id}"
    cases = [
        ("POST", f"{base}/users/invite", {"emails": ["not-an-email"], "type": 2}, "emails.0"),
        ("POST", f"{base}/users/invite", {"emails": [], "type": 2}, "emails"),
        ("POST", f"{base}/users/invite", {"emails": ["a@b.test"], "type": 3}, "type"),
        (
            "POST",
            f"{base}/users/invite",
            {"emails": ["a@b.test"], "type": 2, "collections": [{"id": str(uuid.uuid4())}]},
            "collections",
        ),
        ("POST", f"{base}/collections", {"name": "plaintext"}, "name"),
        ("POST", f"{base}/collections", {"name": sym(), "users": [{"id": "nope"}]}, "users.0.id"),
        ("PUT", base, {"name": "Evil\nCorp", "billingEmail": "a@b.test"}, "name"),
        ("PUT", base, {"name": "Evil Corp", "billingEmail": "not-an-email"}, "billingEmail"),
        ("PUT", f"{base}/policies/99", {"enabled": True}, "type"),
        ("PUT", f"{base}/policies/8", {"enabled": True}, "enabled"),
        ("POST", "/api/organizations", {"billingEmail": "a@b.test", "key": rsa()}, "name"),
        ("POST", "/api/organizations", {"name": "X", "billingEmail": "a@b.test", "key": "2.a|b|c"}, "key"),
    ]
    for method, path, body, field in cases:
        response = await org.http.request(method, path, headers=bob.auth, json=body)
        assert response.status_code == 400, (path, body, response.text)
        assert field in (response.json()["validationErrors"] or {}), (path, body, response.json())


async def test_the_provider_edits_the_organization_and_its_admins_may_not(org_http) -> None:
    org = org_http
    client = await client_org(org)
    bob = client.provider_user
    alice, _ = await join(org, bob, client.org_id, member_type=1, name="alice")
    base = f"/api/organizations/{client.org_id}"

    refused = await org.http.put(base, headers=alice.auth, json={"name": "Alice's", "billingEmail": "a@a.test"})
    assert refused.status_code == 404
    assert refused.json()["object"] == "error"

    edited = await org.http.put(base, headers=bob.auth, json={"name": "Contoso Ltd", "billingEmail": "AP@Contoso.test"})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["name"], edited.json()["billingEmail"]) == ("Contoso Ltd", "ap@contoso.test")
    again = (await org.http.get(base, headers=alice.auth)).json()
    assert (again["name"], again["billingEmail"]) == ("Contoso Ltd", "ap@contoso.test")
    assert [e["data"]["name"] for e in await org.outbox("OrganizationUpdated")][-1] == "Contoso Ltd"
