"""The route matrix (issue 11): every route the gateway exposes, read from the code (route_table.py), checked against
the running system. A route nobody classified below fails the first test, so no route ships unchecked.

For each route, by what it is:
- without a token, every route that needs one answers 401 with our JSON body;
- Dave, the admin of another provider, calling with the real ids of Acme, Contoso and Carol gets 404 on every route
  that names someone else's object (and on every operator route), never 403 and never 200;
- where it costs nothing, the insider's read works: Alice (Acme runs Contoso) or Carol (her own folder) gets 200.
Dave's writes carry well-formed bodies, so what refuses them is the access check, not the body's validation.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx
import pytest
import pytest_asyncio

from mspvault.client import MSPVaultClient
from mspvault.client.crypto import derive_master_key, master_password_hash, normalize_email
from mspvault.shared.testing.samples import enc_string, public_key
from tests.e2e.conftest import Attack, new_email
from tests.e2e.route_table import Route, exposed_routes, unreachable_routes

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]  # the first test pays for the system start


class Access(StrEnum):
    PUBLIC = "anyone, no token"
    PAGE = "a page or document outside /api, no token"
    CALLER = "a token; only the caller's own account, vault or memberships"
    TENANT = "a token; names another tenant's or user's object: 404 for an outsider"
    INVITEE = "a token; the signed invitation token in the body is the proof, refused alike for real and guessed ids"
    ANY_USER = "a token; a user's public key, readable by any user as in Bitwarden (bw confirm reads it)"
    OPERATOR = "a platform operator's token: 404 for everyone else"
    API_KEY = "an organization's API-key token"


ACCESS: dict[Access, frozenset[str]] = {
    Access.PUBLIC: frozenset(
        {
            "GET /alive",
            "GET /api/alive",
            "GET /api/now",
            "GET /api/config",
            "GET /health",
            "GET /ready",
            "POST /api/accounts/register",
            "POST /api/accounts/prelogin",
            "POST /api/accounts/verify-email-token",
            "POST /api/two-factor/send-email-login",
            "POST /api/two-factor/recover",
            "POST /identity/accounts/register",
            "POST /identity/accounts/prelogin",
            "POST /identity/accounts/prelogin/password",
            "POST /identity/connect/token",
            "GET /identity/.well-known/jwks",
        }
    ),
    Access.PAGE: frozenset(
        {
            "GET /",
            "GET /index.html",
            "GET /assets/{path:path}",
            "GET /{name:filename}",
            "GET /docs",
            "GET /openapi.json",
            "GET /ops",
            "GET /ops/",
            "GET /ops/static/{name}",
        }
    ),
    Access.CALLER: frozenset(
        {
            "GET /api/sync",
            "GET /api/accounts/profile",
            "GET /api/accounts/revision-date",
            "DELETE /api/accounts",
            "POST /api/accounts/api-key",
            "POST /api/accounts/delete",
            "POST /api/accounts/kdf",
            "POST /api/accounts/key-management/user-key-id",
            "POST /api/accounts/keys",
            "POST /api/accounts/password",
            "POST /api/accounts/rotate-api-key",
            "POST /api/accounts/security-stamp",
            "POST /api/accounts/verify-email",
            "PUT /api/accounts/update-temp-password",
            "GET /api/two-factor",
            "POST /api/two-factor/authenticator",
            "PUT /api/two-factor/authenticator",
            "POST /api/two-factor/disable",
            "PUT /api/two-factor/disable",
            "POST /api/two-factor/email",
            "PUT /api/two-factor/email",
            "POST /api/two-factor/get-authenticator",
            "POST /api/two-factor/get-email",
            "POST /api/two-factor/get-recover",
            "POST /api/two-factor/send-email",
            "GET /api/collections",
            "POST /api/organizations",
            "GET /api/ciphers",
            "POST /api/ciphers",
            "POST /api/ciphers/import",
            "GET /api/folders",
            "POST /api/folders",
        }
    ),
    Access.TENANT: frozenset(
        {
            # Items and folders, and the bulk routes whose ids are in the body.
            "GET /api/ciphers/{cipher_id}",
            "PUT /api/ciphers/{cipher_id}",
            "POST /api/ciphers/{cipher_id}",
            "DELETE /api/ciphers/{cipher_id}",
            "GET /api/ciphers/{cipher_id}/admin",
            "GET /api/ciphers/{cipher_id}/details",
            "GET /api/ciphers/{cipher_id}/events",
            "PUT /api/ciphers/{cipher_id}/collections",
            "POST /api/ciphers/{cipher_id}/collections",
            "PUT /api/ciphers/{cipher_id}/collections_v2",
            "POST /api/ciphers/{cipher_id}/collections_v2",
            "PUT /api/ciphers/{cipher_id}/delete",
            "POST /api/ciphers/{cipher_id}/delete",
            "PUT /api/ciphers/{cipher_id}/partial",
            "POST /api/ciphers/{cipher_id}/partial",
            "PUT /api/ciphers/{cipher_id}/restore",
            "PUT /api/ciphers/{cipher_id}/share",
            "POST /api/ciphers/{cipher_id}/share",
            "POST /api/ciphers/create",
            "DELETE /api/ciphers",
            "POST /api/ciphers/delete",
            "PUT /api/ciphers/delete",
            "PUT /api/ciphers/restore",
            "POST /api/ciphers/move",
            "PUT /api/ciphers/move",
            "GET /api/ciphers/admin",
            "GET /api/ciphers/organization-details",
            "GET /api/ciphers/organization-details/assigned",
            "POST /api/ciphers/import-organization",
            "GET /api/folders/{folder_id}",
            "PUT /api/folders/{folder_id}",
            "POST /api/folders/{folder_id}",
            "DELETE /api/folders/{folder_id}",
            "POST /api/folders/{folder_id}/delete",
            # Providers.
            "GET /api/providers/{provider_id}",
            "PUT /api/providers/{provider_id}",
            "GET /api/providers/{provider_id}/events",
            "GET /api/providers/{provider_id}/users",
            "DELETE /api/providers/{provider_id}/users",
            "POST /api/providers/{provider_id}/users/invite",
            "POST /api/providers/{provider_id}/users/reinvite",
            "POST /api/providers/{provider_id}/users/public-keys",
            "POST /api/providers/{provider_id}/users/confirm",
            "POST /api/providers/{provider_id}/users/delete",
            "GET /api/providers/{provider_id}/users/{provider_user_id}",
            "PUT /api/providers/{provider_id}/users/{provider_user_id}",
            "DELETE /api/providers/{provider_id}/users/{provider_user_id}",
            "GET /api/providers/{provider_id}/users/{provider_user_id}/events",
            "POST /api/providers/{provider_id}/users/{provider_user_id}/reinvite",
            "POST /api/providers/{provider_id}/users/{provider_user_id}/confirm",
            "POST /api/providers/{provider_id}/users/{provider_user_id}/revoke",
            "POST /api/providers/{provider_id}/users/{provider_user_id}/restore",
            "GET /api/providers/{provider_id}/organizations",
            "DELETE /api/providers/{provider_id}/organizations/{provider_organization_id}",
            "POST /api/providers/{provider_id}/clients",
            "GET /api/providers/{provider_id}/clients/addable",
            "POST /api/providers/{provider_id}/clients/existing",
            "GET /api/providers/{provider_id}/clients/events",
            "PUT /api/providers/{provider_id}/clients/{provider_organization_id}",
            # Organizations.
            "GET /api/organizations/{org_id}",
            "POST /api/organizations/{org_id}",
            "PUT /api/organizations/{org_id}",
            "GET /api/organizations/{org_id}/public-key",
            "GET /api/organizations/{org_id}/events",
            "GET /api/organizations/{organization_id}/export",
            "POST /api/organizations/{org_id}/api-key",
            "POST /api/organizations/{org_id}/rotate-api-key",
            "GET /api/organizations/{org_id}/users",
            "POST /api/organizations/{org_id}/users/invite",
            "POST /api/organizations/{org_id}/users/reinvite",
            "POST /api/organizations/{org_id}/users/public-keys",
            "POST /api/organizations/{org_id}/users/confirm",
            "PUT /api/organizations/{org_id}/users/revoke",
            "PUT /api/organizations/{org_id}/users/restore",
            "POST /api/organizations/{org_id}/users/delete",
            "POST /api/organizations/{org_id}/users/remove",
            "DELETE /api/organizations/{org_id}/users",
            "GET /api/organizations/{org_id}/users/{member_id}",
            "POST /api/organizations/{org_id}/users/{member_id}",
            "PUT /api/organizations/{org_id}/users/{member_id}",
            "DELETE /api/organizations/{org_id}/users/{member_id}",
            "GET /api/organizations/{org_id}/users/{member_id}/events",
            "POST /api/organizations/{org_id}/users/{member_id}/reinvite",
            "POST /api/organizations/{org_id}/users/{member_id}/confirm",
            "POST /api/organizations/{org_id}/users/{member_id}/revoke",
            "PUT /api/organizations/{org_id}/users/{member_id}/revoke",
            "POST /api/organizations/{org_id}/users/{member_id}/restore",
            "PUT /api/organizations/{org_id}/users/{member_id}/restore",
            "POST /api/organizations/{org_id}/users/{member_id}/delete",
            "POST /api/organizations/{org_id}/users/{member_id}/remove",
            "GET /api/organizations/{org_id}/users/{member_id}/reset-password-details",
            "PUT /api/organizations/{org_id}/users/{member_id}/reset-password",
            "PUT /api/organizations/{org_id}/users/{user_id}/reset-password-enrollment",
            "GET /api/organizations/{org_id}/collections",
            "GET /api/organizations/{org_id}/collections/details",
            "POST /api/organizations/{org_id}/collections",
            "GET /api/organizations/{org_id}/collections/{collection_id}",
            "GET /api/organizations/{org_id}/collections/{collection_id}/details",
            "POST /api/organizations/{org_id}/collections/{collection_id}",
            "PUT /api/organizations/{org_id}/collections/{collection_id}",
            "DELETE /api/organizations/{org_id}/collections/{collection_id}",
            "POST /api/organizations/{org_id}/collections/{collection_id}/delete",
            "GET /api/organizations/{org_id}/groups",
            "GET /api/organizations/{org_id}/groups/details",
            "POST /api/organizations/{org_id}/groups",
            "GET /api/organizations/{org_id}/groups/{group_id}",
            "GET /api/organizations/{org_id}/groups/{group_id}/details",
            "GET /api/organizations/{org_id}/groups/{group_id}/users",
            "POST /api/organizations/{org_id}/groups/{group_id}",
            "PUT /api/organizations/{org_id}/groups/{group_id}",
            "PUT /api/organizations/{org_id}/groups/{group_id}/users",
            "DELETE /api/organizations/{org_id}/groups/{group_id}",
            "POST /api/organizations/{org_id}/groups/{group_id}/delete",
            "GET /api/organizations/{org_id}/policies",
            "GET /api/organizations/{org_id}/policies/{policy_type}",
            "PUT /api/organizations/{org_id}/policies/{policy_type}",
        }
    ),
    Access.OPERATOR: frozenset(
        {
            "GET /api/admin/providers",
            "POST /api/admin/providers",
            "GET /api/ops/health",
            "GET /api/ops/topics",
            "GET /api/ops/consumer-groups",
            "GET /api/ops/outbox",
            "GET /api/ops/consumers",
            "POST /api/ops/consumers/{service}/pause",
            "POST /api/ops/consumers/{service}/resume",
            "GET /api/ops/dlq",
            "POST /api/ops/dlq/replay",
            "POST /api/ops/dlq/replay-all",
            "GET /api/ops/events",
            "GET /api/ops/trace/{correlation_id}",
        }
    ),
    Access.API_KEY: frozenset({"GET /api/public/members"}),
    Access.INVITEE: frozenset(
        {
            "POST /api/organizations/{org_id}/users/{member_id}/accept",
            "POST /api/providers/{provider_id}/users/{provider_user_id}/accept",
            "POST /api/providers/{provider_id}/setup",
        }
    ),
    Access.ANY_USER: frozenset({"GET /api/users/{user_id}/public-key"}),
}
EXPECTED: dict[str, Access] = {key: access for access, keys in ACCESS.items() for key in keys}
NEEDS_A_TOKEN = frozenset(
    {Access.CALLER, Access.TENANT, Access.OPERATOR, Access.API_KEY, Access.INVITEE, Access.ANY_USER}
)
# Parameters that are not ids of anyone's objects.
NOT_IDS = frozenset({"policy_type", "service", "name", "path"})

# TENANT reads the insider cannot make cheaply, and why.
NOT_CHEAP_TO_READ = {
    "GET /api/organizations/{org_id}/users/{member_id}/reset-password-details": "Carol is not enrolled in recovery",
}


# The organization-wide vault routes name the organization in the query.
ORGANIZATION_IN_QUERY = frozenset(
    {
        "GET /api/ciphers/admin",
        "GET /api/ciphers/organization-details",
        "GET /api/ciphers/organization-details/assigned",
        "POST /api/ciphers/import-organization",
    }
)


@dataclass
class Victim:
    """Real ids of Acme's, Contoso's and Carol's objects, by path parameter name, and what Dave's bodies need."""

    ids: dict[str, str]
    dave_secret: str  # Dave's own master-password hash: the gateway checks it before the API-key routes

    def guessed(self) -> Victim:
        """The same requests with every id replaced by one nobody has."""
        ids = {name: value if name in NOT_IDS else str(uuid.uuid4()) for name, value in self.ids.items()}
        return Victim(ids, self.dave_secret)

    @property
    def real_ids(self) -> set[str]:
        return {value for name, value in self.ids.items() if name not in NOT_IDS}

    def path(self, route: Route) -> str:
        path = route.path
        for name in route.parameters:
            path = path.replace("{" + name + "}", self.ids[name]).replace("{" + name + ":path}", self.ids[name])
            path = path.replace("{" + name + ":filename}", self.ids[name])
        return path

    def query(self, route: Route) -> dict[str, str]:
        return {"organizationId": self.ids["org_id"]} if route.key in ORGANIZATION_IN_QUERY else {}


def _cipher(v: Victim) -> dict[str, Any]:
    login = {"username": enc_string(), "password": enc_string(), "uris": []}
    return {"type": 1, "name": enc_string(), "notes": None, "organizationId": v.ids["org_id"], "login": login}


def _member_ids(v: Victim) -> dict[str, Any]:
    return {"ids": [v.ids["member_id"]]}


def _provider_user_ids(v: Victim) -> dict[str, Any]:
    return {"ids": [v.ids["provider_user_id"]]}


def _item_ids(v: Victim) -> dict[str, Any]:
    return {"ids": [v.ids["cipher_id"]]}


def _collection(v: Victim) -> dict[str, Any]:
    return {"name": enc_string(), "users": [], "groups": []}


def _group(v: Victim) -> dict[str, Any]:
    return {"name": "Pwned", "collections": [{"id": v.ids["collection_id"], "readOnly": False}], "users": []}


def _organization(v: Victim) -> dict[str, Any]:
    return {"name": "Pwned", "billingEmail": "billing@evil.example"}


def _provider(v: Victim) -> dict[str, Any]:
    return {"name": "Pwned", "billingEmail": "billing@evil.example"}


def _update_member(v: Victim) -> dict[str, Any]:
    return {"type": 1, "collections": [{"id": v.ids["collection_id"], "readOnly": False}], "groups": []}


def _api_key(v: Victim) -> dict[str, Any]:
    return {"masterPasswordHash": v.dave_secret, "type": 0}


def _cipher_with_collections(v: Victim) -> dict[str, Any]:
    return {"cipher": _cipher(v), "collectionIds": [v.ids["collection_id"]]}


BodyOf = Callable[[Victim], Any]
BODIES: dict[str, BodyOf] = {
    "PUT /api/ciphers/{cipher_id}": _cipher,
    "POST /api/ciphers/{cipher_id}": _cipher,
    "PUT /api/ciphers/{cipher_id}/collections": lambda v: {"collectionIds": [v.ids["collection_id"]]},
    "POST /api/ciphers/{cipher_id}/collections": lambda v: {"collectionIds": [v.ids["collection_id"]]},
    "PUT /api/ciphers/{cipher_id}/collections_v2": lambda v: {"collectionIds": [v.ids["collection_id"]]},
    "POST /api/ciphers/{cipher_id}/collections_v2": lambda v: {"collectionIds": [v.ids["collection_id"]]},
    "PUT /api/ciphers/{cipher_id}/partial": lambda v: {"folderId": None, "favorite": True},
    "POST /api/ciphers/{cipher_id}/partial": lambda v: {"folderId": None, "favorite": True},
    "PUT /api/ciphers/{cipher_id}/share": _cipher_with_collections,
    "POST /api/ciphers/{cipher_id}/share": _cipher_with_collections,
    "POST /api/ciphers/create": _cipher_with_collections,
    "DELETE /api/ciphers": _item_ids,
    "POST /api/ciphers/delete": _item_ids,
    "PUT /api/ciphers/delete": _item_ids,
    "PUT /api/ciphers/restore": _item_ids,
    "POST /api/ciphers/move": lambda v: {"ids": [v.ids["cipher_id"]], "folderId": None},
    "PUT /api/ciphers/move": lambda v: {"ids": [v.ids["cipher_id"]], "folderId": None},
    "POST /api/ciphers/import-organization": lambda v: {
        "ciphers": [{**_cipher(v), "organizationId": None}],
        "collections": [{"id": v.ids["collection_id"], "name": enc_string()}],
        "collectionRelationships": [{"key": 0, "value": 0}],
    },
    "PUT /api/folders/{folder_id}": lambda v: {"name": enc_string()},
    "POST /api/folders/{folder_id}": lambda v: {"name": enc_string()},
    "PUT /api/providers/{provider_id}": _provider,
    "POST /api/providers/{provider_id}/setup": lambda v: {**_provider(v), "key": enc_string(), "token": "x" * 20},
    "DELETE /api/providers/{provider_id}/users": _provider_user_ids,
    "POST /api/providers/{provider_id}/users/invite": lambda v: {"emails": [new_email()], "type": 1},
    "POST /api/providers/{provider_id}/users/reinvite": _provider_user_ids,
    "POST /api/providers/{provider_id}/users/public-keys": _provider_user_ids,
    "POST /api/providers/{provider_id}/users/confirm": lambda v: {
        "keys": [{"id": v.ids["provider_user_id"], "key": enc_string()}]
    },
    "POST /api/providers/{provider_id}/users/delete": _provider_user_ids,
    "PUT /api/providers/{provider_id}/users/{provider_user_id}": lambda v: {"type": 0},
    "POST /api/providers/{provider_id}/users/{provider_user_id}/accept": lambda v: {"token": "x" * 20},
    "POST /api/providers/{provider_id}/users/{provider_user_id}/confirm": lambda v: {"key": enc_string()},
    "POST /api/providers/{provider_id}/clients": lambda v: {
        "name": "Pwned client",
        "ownerEmail": new_email(),
        "planType": 0,
        "seats": 1,
        "key": enc_string(),
        "keyPair": {"publicKey": public_key(), "encryptedPrivateKey": enc_string()},
    },
    "POST /api/providers/{provider_id}/clients/existing": lambda v: {
        "organizationId": v.ids["org_id"],
        "key": enc_string(),
    },
    "PUT /api/providers/{provider_id}/clients/{provider_organization_id}": lambda v: {"assignedSeats": 1},
    "POST /api/organizations/{org_id}": _organization,
    "PUT /api/organizations/{org_id}": _organization,
    "POST /api/organizations/{org_id}/api-key": _api_key,
    "POST /api/organizations/{org_id}/rotate-api-key": _api_key,
    "POST /api/organizations/{org_id}/users/invite": lambda v: {"emails": [new_email()], "type": 2},
    "POST /api/organizations/{org_id}/users/reinvite": _member_ids,
    "POST /api/organizations/{org_id}/users/public-keys": _member_ids,
    "POST /api/organizations/{org_id}/users/confirm": lambda v: {
        "keys": [{"id": v.ids["member_id"], "key": enc_string()}]
    },
    "PUT /api/organizations/{org_id}/users/revoke": _member_ids,
    "PUT /api/organizations/{org_id}/users/restore": _member_ids,
    "POST /api/organizations/{org_id}/users/delete": _member_ids,
    "POST /api/organizations/{org_id}/users/remove": _member_ids,
    "DELETE /api/organizations/{org_id}/users": _member_ids,
    "POST /api/organizations/{org_id}/users/{member_id}": _update_member,
    "PUT /api/organizations/{org_id}/users/{member_id}": _update_member,
    "POST /api/organizations/{org_id}/users/{member_id}/accept": lambda v: {"token": "x" * 20},
    "POST /api/organizations/{org_id}/users/{member_id}/confirm": lambda v: {"key": enc_string()},
    "PUT /api/organizations/{org_id}/users/{member_id}/reset-password": lambda v: {
        "newMasterPasswordHash": "x" * 44,
        "key": enc_string(),
    },
    "PUT /api/organizations/{org_id}/users/{user_id}/reset-password-enrollment": lambda v: {
        "resetPasswordKey": enc_string(),
        "masterPasswordHash": None,
    },
    "POST /api/organizations/{org_id}/collections": _collection,
    "POST /api/organizations/{org_id}/collections/{collection_id}": _collection,
    "PUT /api/organizations/{org_id}/collections/{collection_id}": _collection,
    "POST /api/organizations/{org_id}/groups": _group,
    "POST /api/organizations/{org_id}/groups/{group_id}": _group,
    "PUT /api/organizations/{org_id}/groups/{group_id}": _group,
    "PUT /api/organizations/{org_id}/groups/{group_id}/users": lambda v: [v.ids["member_id"]],
    "PUT /api/organizations/{org_id}/policies/{policy_type}": lambda v: {"enabled": True},
    "POST /api/admin/providers": lambda v: {"name": "Pwned", "ownerEmail": new_email()},
    "POST /api/ops/dlq/replay": lambda v: {"topic": "vault.events.dlq", "partition": 0, "offset": 0},
    "POST /api/ops/dlq/replay-all": lambda v: {"topic": None},
}

ROUTES = exposed_routes()


def test_every_exposed_route_is_classified_and_reachable() -> None:
    """A new route fails here until it is given its access (and, for an outsider's write, a body) above."""
    exposed = {route.key for route in ROUTES}
    assert sorted(exposed - EXPECTED.keys()) == [], "routes with no expectation: classify them in ACCESS"
    assert sorted(EXPECTED.keys() - exposed) == [], "expectations for routes that no longer exist"
    assert sum(len(keys) for keys in ACCESS.values()) == len(EXPECTED), "a route is in two classes"
    assert sorted(BODIES.keys() - exposed) == []
    assert unreachable_routes() == [], "public service routes that the gateway sends elsewhere"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def victim(attack: Attack) -> Victim:
    w, http = attack.world, attack.http
    alice, carol = attack.as_(attack.alice), attack.as_(attack.carol)
    group = await http.post(
        f"/api/organizations/{w.contoso_id}/groups",
        json={"name": "Matrix", "collections": [], "users": []},
        headers=alice,
    )
    assert group.status_code == 200, group.text
    folder = await http.post("/api/folders", json={"name": enc_string()}, headers=carol)
    assert folder.status_code == 200, folder.text
    links = await http.get(f"/api/providers/{w.acme_id}/organizations", headers=alice)
    assert links.status_code == 200, links.text
    (link,) = [entry for entry in links.json()["data"] if entry["organizationId"] == w.contoso_id]
    dave = attack.dave.session
    master_key = derive_master_key(w.dave.password, normalize_email(dave.email), dave.kdf)
    ids = {
        "org_id": w.contoso_id,
        "organization_id": w.contoso_id,
        "provider_id": w.acme_id,
        "member_id": w.carol_member_id,
        "user_id": attack.carol.session.user_id,
        "provider_user_id": w.alice_provider_user_id,
        "provider_organization_id": link["id"],
        "collection_id": w.collections["Servers"],
        "group_id": group.json()["id"],
        "policy_type": "0",
        "cipher_id": w.collection_items["Servers"][0],
        "folder_id": folder.json()["id"],
        "service": "vault",
        "correlation_id": uuid.uuid4().hex,
        "name": "index.js",
        "path": "index.js",
    }
    return Victim(ids, master_password_hash(master_key, w.dave.password))


async def _call(
    http: httpx.AsyncClient, route: Route, victim: Victim, headers: dict[str, str], *, body: bool = True
) -> httpx.Response:
    make_body = BODIES.get(route.key)
    content = make_body(victim) if body and make_body else None
    return await http.request(
        route.method, victim.path(route), params=victim.query(route), json=content, headers=headers
    )


def _is_our_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("application/json") and "message" in response.json()


async def test_without_a_token_every_route_that_needs_one_answers_401(attack: Attack, victim: Victim) -> None:
    failures = []
    for route in ROUTES:
        if EXPECTED[route.key] not in NEEDS_A_TOKEN:
            continue
        response = await _call(attack.http, route, victim, {})
        if response.status_code != 401 or not _is_our_json(response):
            failures.append(f"{route.key}: {response.status_code} {response.text[:120]}")
    assert not failures, "\n".join(failures)


async def test_public_routes_and_pages_answer_without_a_token(attack: Attack, victim: Victim) -> None:
    failures = []
    for route in ROUTES:
        if EXPECTED[route.key] not in (Access.PUBLIC, Access.PAGE):
            continue
        response = await _call(attack.http, route, victim, {})
        if response.status_code == 401 or response.status_code >= 500:
            failures.append(f"{route.key}: {response.status_code} {response.text[:120]}")
    assert not failures, "\n".join(failures)


async def test_an_outsider_gets_404_for_every_route_naming_someone_elses_object(attack: Attack, victim: Victim) -> None:
    """Dave (another provider's admin, a real account with a valid token) calls every tenant and operator route with
    the real ids of Acme, Contoso, Carol and their objects, then with guessed ids: 404 each time, in our JSON shape,
    with the same words for real and guessed ids, naming none of them."""
    dave, guessed = attack.as_(attack.dave), victim.guessed()
    failures = []
    for route in ROUTES:
        if EXPECTED[route.key] not in (Access.TENANT, Access.OPERATOR):
            continue
        real = await _call(attack.http, route, victim, dave)
        made_up = await _call(attack.http, route, guessed, dave)
        if real.status_code != 404 or not _is_our_json(real):
            failures.append(f"{route.key}: {real.status_code} {real.text[:160]}")
        elif any(known in real.text for known in victim.real_ids):
            failures.append(f"{route.key}: the refusal names an id: {real.text[:160]}")
        elif made_up.status_code != 404 or made_up.json()["message"] != real.json()["message"]:
            failures.append(f"{route.key}: a guessed id is told apart: {made_up.status_code} {made_up.text[:160]}")
    assert not failures, "\n".join(failures)


async def test_an_invitation_token_is_checked_the_same_for_real_and_guessed_ids(attack: Attack, victim: Victim) -> None:
    dave, guessed = attack.as_(attack.dave), victim.guessed()
    for route in ROUTES:
        if EXPECTED[route.key] is not Access.INVITEE:
            continue
        real = await _call(attack.http, route, victim, dave)
        made_up = await _call(attack.http, route, guessed, dave)
        assert real.status_code in (400, 404), (route.key, real.status_code, real.text[:160])
        assert _is_our_json(real), route.key
        assert (made_up.status_code, made_up.json()["message"]) == (real.status_code, real.json()["message"]), route.key


async def test_a_public_key_is_all_a_user_id_tells(attack: Attack, victim: Victim) -> None:
    (route,) = [route for route in ROUTES if EXPECTED[route.key] is Access.ANY_USER]
    dave = attack.as_(attack.dave)
    known = await _call(attack.http, route, victim, dave)
    assert known.status_code == 200
    assert known.json().keys() <= {"userId", "publicKey", "object"}
    assert (await _call(attack.http, route, victim.guessed(), dave)).status_code == 404


def _insider(attack: Attack, route: Route) -> MSPVaultClient:
    return attack.carol if "folder_id" in route.parameters or EXPECTED[route.key] is Access.CALLER else attack.alice


async def test_the_insider_reads_every_tenant_route_and_the_caller_their_own(attack: Attack, victim: Victim) -> None:
    failures = []
    for route in ROUTES:
        if route.method != "GET" or EXPECTED[route.key] not in (Access.TENANT, Access.CALLER):
            continue
        if route.key in NOT_CHEAP_TO_READ:
            continue
        response = await _call(attack.http, route, victim, attack.as_(_insider(attack, route)))
        if response.status_code != 200:
            failures.append(f"{route.key}: {response.status_code} {response.text[:160]}")
    assert not failures, "\n".join(failures)
