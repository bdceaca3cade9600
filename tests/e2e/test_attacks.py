"""The attack suite (issue 11): the running system, over HTTPS through the gateway, attacked as an outsider would.

The world is the demo's (Acme MSP with Alice and Bob; its client Contoso with Carol and the Servers, Helpdesk and
Finance collections; Globex IT with Dave). Dave, an admin of another provider, guesses and reuses every id of Acme
and Contoso; Carol, a plain member, reaches for what her role does not give; tokens are forged, refresh tokens
replayed, bodies oversized, headers poisoned, fields smuggled. Every refusal is the one the rules name: 404 (the same
answer for a real id as for one that does not exist, saying nothing about it), 401, 400 or 413, with our JSON body.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mspvault.client.demo import DemoWorld
from mspvault.client.onboarding import Connection, log_in
from mspvault.shared.testing.samples import enc_string
from tests.e2e.conftest import Attack, new_email

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]  # the first test pays for the system start


def _cipher_body(organization_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "type": 1,
        "name": enc_string(),
        "notes": None,
        "organizationId": organization_id,
        "login": {"username": enc_string(), "password": enc_string(), "uris": []},
        **extra,
    }


def _refusal(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json"), response.text[:200]
    body: dict[str, Any] = response.json()
    return body


def _routes(w: DemoWorld) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every id-bearing route family of the four services, with the victim's real ids."""
    org, acme = w.contoso_id, w.acme_id
    collection = w.collections["Servers"]
    item = w.collection_items["Servers"][0]
    member, provider_user = w.carol_member_id, w.alice_provider_user_id
    return [
        ("GET", f"/api/organizations/{org}", None),
        ("PUT", f"/api/organizations/{org}", {"name": "Pwned", "billingEmail": "x@evil.example"}),
        ("GET", f"/api/organizations/{org}/users", None),
        ("GET", f"/api/organizations/{org}/users/{member}", None),
        ("PUT", f"/api/organizations/{org}/users/{member}", {"type": 1, "accessAll": True}),
        ("DELETE", f"/api/organizations/{org}/users/{member}", None),
        ("PUT", f"/api/organizations/{org}/users/{member}/revoke", None),
        ("POST", f"/api/organizations/{org}/users/invite", {"emails": [new_email()], "type": 2}),
        ("GET", f"/api/organizations/{org}/collections", None),
        ("GET", f"/api/organizations/{org}/collections/{collection}", None),
        ("GET", f"/api/organizations/{org}/collections/{collection}/users", None),
        ("DELETE", f"/api/organizations/{org}/collections/{collection}", None),
        ("POST", f"/api/organizations/{org}/collections", {"name": enc_string(), "users": [], "groups": []}),
        ("GET", f"/api/organizations/{org}/groups", None),
        ("GET", f"/api/organizations/{org}/policies", None),
        ("GET", f"/api/organizations/{org}/public-key", None),
        ("GET", f"/api/ciphers/{item}", None),
        ("PUT", f"/api/ciphers/{item}", _cipher_body(org)),
        ("DELETE", f"/api/ciphers/{item}", None),
        ("PUT", f"/api/ciphers/{item}/delete", None),
        ("PUT", f"/api/ciphers/{item}/collections", {"collectionIds": [collection]}),
        ("POST", "/api/ciphers/create", {"cipher": _cipher_body(org), "collectionIds": [collection]}),
        ("GET", f"/api/providers/{acme}", None),
        ("GET", f"/api/providers/{acme}/users", None),
        ("GET", f"/api/providers/{acme}/users/{provider_user}", None),
        ("DELETE", f"/api/providers/{acme}/users/{provider_user}", None),
        ("POST", f"/api/providers/{acme}/users/invite", {"emails": [new_email()], "type": 1}),
        ("GET", f"/api/providers/{acme}/organizations", None),
    ]


def _guessed(route: str, w: DemoWorld) -> str:
    """The same route with every real id replaced by one nobody has."""
    for real in (w.contoso_id, w.acme_id, w.carol_member_id, w.alice_provider_user_id, *w.collections.values()):
        route = route.replace(real, str(uuid.uuid4()))
    for ids in w.collection_items.values():
        for real in ids:
            route = route.replace(real, str(uuid.uuid4()))
    return route


async def test_another_providers_admin_gets_404_for_every_id_and_cannot_tell_real_from_guessed(
    attack: Attack,
) -> None:
    w = attack.world
    real_ids = {w.contoso_id, w.acme_id, w.carol_member_id, w.alice_provider_user_id, *w.collections.values()}
    failures = []
    for method, path, body in _routes(w):
        answers = []
        for target in (path, _guessed(path, w)):
            response = await attack.http.request(method, target, json=body, headers=attack.as_(attack.dave))
            answers.append(response)
            if response.status_code != 404:
                failures.append(f"{method} {target}: {response.status_code} {response.text[:160]}")
                continue
            text = response.text
            assert not any(real in text for real in real_ids), f"{method} {target} names an id: {text[:200]}"
        if all(a.status_code == 404 for a in answers):
            # No oracle: a real id and a guessed one are refused with the same words.
            assert _refusal(answers[0])["message"] == _refusal(answers[1])["message"], (method, path)
    assert not failures, "\n".join(failures)
    # And Contoso's item is still there and unchanged for its own people.
    item = w.collection_items["Servers"][0]
    assert (await attack.http.get(f"/api/ciphers/{item}", headers=attack.as_(attack.carol))).status_code == 200


async def test_a_plain_member_reaches_nothing_her_role_does_not_give(attack: Attack) -> None:
    w, carol = attack.world, attack.carol
    org = w.contoso_id
    finance_item = w.collection_items["Finance"][0]
    for method, path, body in (
        ("GET", f"/api/organizations/{org}/users", None),
        ("PUT", f"/api/organizations/{org}/users/{w.carol_member_id}", {"type": 1, "accessAll": True}),
        ("GET", f"/api/ciphers/{finance_item}", None),
        ("PUT", f"/api/ciphers/{finance_item}", _cipher_body(org)),
        ("DELETE", f"/api/organizations/{org}/collections/{w.collections['Finance']}", None),
        ("GET", f"/api/providers/{w.acme_id}", None),
        ("GET", f"/api/providers/{w.acme_id}/organizations", None),
        ("GET", "/api/ops/health", None),
        ("GET", "/api/admin/providers", None),
    ):
        response = await attack.http.request(method, path, json=body, headers=attack.as_(carol))
        assert response.status_code == 404, (method, path, response.status_code, response.text[:200])
    synced = (await attack.http.get("/api/sync", headers=attack.as_(carol))).json()
    assert finance_item not in {cipher["id"] for cipher in synced["ciphers"]}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_forged_and_tampered_tokens_are_refused_401(attack: Attack) -> None:
    real = attack.dave.session.access_token
    header = jwt.get_unverified_header(real)
    claims = jwt.decode(real, options={"verify_signature": False})
    stranger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    as_alice = {**claims, "sub": str(uuid.UUID(int=0)), "email": attack.world.alice.email, "operator": True}
    head, payload, signature = real.split(".")
    forged = {
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
        "another key, the same kid": jwt.encode(
            claims, stranger_key, algorithm="RS256", headers={"kid": header["kid"]}
        ),
        "HS256 with the public key as secret": f"{_b64({'alg': 'HS256', 'kid': header['kid']})}.{payload}.{signature}",
        "claims changed, signature kept": f"{head}.{_b64(as_alice)}.{signature}",
        "expired": jwt.encode({**claims, "exp": claims["iat"] - 60}, stranger_key, algorithm="RS256"),
        "truncated": real[:-10],
        "garbage": "not-a-token",
    }
    for what, token in forged.items():
        for path in ("/api/sync", "/api/accounts/profile", f"/api/providers/{attack.world.globex_id}"):
            response = await attack.http.get(path, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 401, (what, path, response.status_code)
            _refusal(response)
    assert (await attack.http.get("/api/sync", headers=attack.as_(attack.dave))).status_code == 200


async def test_a_replayed_refresh_token_is_refused_and_ends_its_whole_family(attack: Attack) -> None:
    connection = Connection(attack.system.gateway_url, ca=attack.system.ca_path)
    victim = await log_in(connection, attack.world.dave)
    try:
        stolen = victim.session.refresh_token
        assert stolen is not None

        async def refresh(token: str) -> httpx.Response:
            form = {"grant_type": "refresh_token", "client_id": "cli", "refresh_token": token}
            return await attack.http.post("/identity/connect/token", data=form)

        first = await refresh(stolen)
        assert first.status_code == 200, first.text
        rotated = first.json()["refresh_token"]
        assert rotated != stolen
        replay = await refresh(stolen)  # the thief (or the victim) uses the old one again
        assert replay.status_code == 400
        assert replay.json()["error"] == "invalid_grant"
        assert (await refresh(rotated)).status_code == 400  # the whole family is revoked
    finally:
        await victim.aclose()


async def test_oversized_malformed_and_smuggled_bodies_are_refused(attack: Attack) -> None:
    dave = attack.as_(attack.dave)
    huge = await attack.http.post(
        "/api/ciphers",
        content=b"{" + b" " * (5 * 1024 * 1024) + b"}",
        headers={**dave, "content-type": "application/json"},
    )
    assert huge.status_code == 413
    _refusal(huge)
    broken = await attack.http.post(
        "/api/ciphers", content=b'{"type": 1, "name": ', headers={**dave, "content-type": "application/json"}
    )
    assert broken.status_code == 400
    _refusal(broken)
    long_notes = await attack.http.post("/api/ciphers", json=_cipher_body(notes=enc_string(1_000)), headers=dave)
    assert long_notes.status_code == 400
    assert "notes" in _refusal(long_notes)["validationErrors"]
    many = await attack.http.post(
        "/api/ciphers/delete", json={"ids": [str(uuid.uuid4()) for _ in range(501)]}, headers=dave
    )
    assert many.status_code == 400
    assert "ids" in _refusal(many)["validationErrors"]


async def test_mass_assignment_changes_nothing_the_server_decides(attack: Attack) -> None:
    # Registration with fields only the server may set.
    email = new_email()
    connection = Connection(attack.system.gateway_url, ca=attack.system.ca_path)
    newcomer = connection.client()
    try:
        await newcomer.register(email, "mass assignment password 1", name="Mallory")
        await newcomer.login(email, "mass assignment password 1")
        profile = await newcomer.profile()
        assert profile["emailVerified"] is False
        smuggled: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "organizationId": attack.world.contoso_id,  # not hers
            "edit": True,
            "viewPassword": True,
            "revisionDate": "2001-01-01T00:00:00Z",
            "deletedDate": None,
            "collectionIds": [attack.world.collections["Finance"]],
        }
        created = await attack.http.post("/api/ciphers", json=_cipher_body(**smuggled), headers=attack.as_(newcomer))
        assert created.status_code in (400, 404), created.text[:200]  # another organization's: refused
        del smuggled["organizationId"]
        mine = await attack.http.post("/api/ciphers", json=_cipher_body(**smuggled), headers=attack.as_(newcomer))
        assert mine.status_code == 200, mine.text[:200]
        body = mine.json()
        assert body["id"] != smuggled["id"]
        assert body["organizationId"] is None
        assert body["collectionIds"] == []
        assert not body["revisionDate"].startswith("2001")
    finally:
        await newcomer.aclose()


async def test_poisoned_headers_are_not_echoed_or_believed(attack: Attack) -> None:
    injected = {
        "X-Correlation-Id": "<script>alert(1)</script>",
        "X-Forwarded-For": "10.0.0.1, 127.0.0.1",
        "Host": "evil.example",
    }
    response = await attack.http.get("/api/config", headers=injected)
    assert response.status_code in (200, 400, 404)
    cid = response.headers.get("x-correlation-id", "")
    assert "<" not in cid
    assert cid != injected["X-Correlation-Id"]
    assert "evil.example" not in response.text
