"""Answers the gateway composes: /api/sync, profile, revision date; and its own config, health and OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.gateway.conftest import GatewayUnderTest

USER_KEY_ID = "0123456789abcdef0123456789abcdef"
# The provider's part: a kind of client's item text cut at its values, and one client as a compact row.
CLIENT_KIND = [
    '{"id":',
    ',"name":',
    ',"key":',
    ',"seats":',
    ',"isMember":false,"object":"profileProviderOrganization"}',
]
PROVIDER_PART = {"providers": [{"id": "p1"}], "clientKinds": [CLIENT_KIND], "clients": [[0, "o9", "Client", None, 3]]}
CLIENT = {"id": "o9", "name": "Client", "key": None, "seats": 3, "isMember": False}
O9 = CLIENT | {"object": "profileProviderOrganization"}


def _give_every_part(gateway: GatewayUnderTest) -> None:
    stubs = gateway.stubs
    stubs["identity"].sync_body = {
        "profile": {"id": str(gateway.user_id), "email": "a@example.test", "key": "2.k|k|k", "object": "profile"},
        "userDecryption": {"masterPasswordUnlock": {"salt": "a@example.test"}, "userKeyId": USER_KEY_ID},
    }
    stubs["provider"].sync_body = PROVIDER_PART
    stubs["organization"].sync_body = {
        "organizations": [{"id": "o1"}],
        "collections": [{"id": "c1", "readOnly": True}],
        "policies": [],
    }
    stubs["vault"].sync_body = {"folders": [{"id": "f1"}], "ciphers": [{"id": "x1", "collectionIds": ["c1"]}]}


async def test_sync_composes_every_service_as_the_caller(gateway: GatewayUnderTest) -> None:
    _give_every_part(gateway)
    response = await gateway.client.get(
        "/api/sync", params={"excludeDomains": "true"}, headers=gateway.auth(**{"Bitwarden-Client-Version": "2026.9.0"})
    )
    assert response.status_code == 200
    sync = response.json()
    assert sync["object"] == "sync"
    assert sync["profile"]["id"] == str(gateway.user_id)
    assert [o["id"] for o in sync["profile"]["organizations"]] == ["o1", "o9"]  # memberships, then clients
    assert sync["profile"]["providers"] == [{"id": "p1"}]
    assert sync["profile"]["providerOrganizations"] == [O9]
    assert sync["profile"]["organizations"][1] == CLIENT | {"isMember": True, "object": "profileOrganization"}
    assert sync["folders"] == [{"id": "f1"}]
    assert sync["collections"] == [{"id": "c1", "readOnly": True}]
    assert sync["ciphers"] == [{"id": "x1", "collectionIds": ["c1"]}]
    assert sync["policies"] == []
    assert sync["sends"] == []
    assert sync["domains"] is None
    assert sync["userDecryption"]["userKeyId"] == USER_KEY_ID
    cid = response.headers["x-correlation-id"]
    for stub in gateway.stubs.values():
        (seen,) = stub.seen
        assert seen["path"] == "/internal/sync"
        assert seen["headers"]["authorization"] == f"Bearer {gateway.token}"
        assert seen["headers"]["x-correlation-id"] == cid
        assert seen["headers"]["bitwarden-client-version"] == "2026.9.0"


async def test_sync_sends_domains_unless_excluded(gateway: GatewayUnderTest) -> None:
    _give_every_part(gateway)
    sync = (await gateway.client.get("/api/sync", headers=gateway.auth())).json()
    assert sync["domains"] == {"equivalentDomains": [], "globalEquivalentDomains": [], "object": "domains"}


async def test_services_not_serving_their_part_yet_count_as_empty(gateway: GatewayUnderTest) -> None:
    _give_every_part(gateway)
    for name in ("provider", "organization", "vault"):
        gateway.stubs[name].sync_body = None  # 404
    response = await gateway.client.get("/api/sync?excludeDomains=true", headers=gateway.auth())
    assert response.status_code == 200
    sync = response.json()
    assert sync["profile"]["organizations"] == sync["profile"]["providers"] == []
    assert sync["ciphers"] == sync["folders"] == sync["collections"] == sync["policies"] == []


@pytest.mark.parametrize("failing", ["identity", "vault"])
async def test_a_failing_service_makes_the_sync_a_502(gateway: GatewayUnderTest, failing: str) -> None:
    _give_every_part(gateway)
    gateway.stubs[failing].sync_status = 500
    response = await gateway.client.get("/api/sync", headers=gateway.auth())
    assert response.status_code == 502
    assert response.json()["errorModel"]["message"] == f"The {failing} service failed"


async def test_a_token_refused_by_a_service_is_a_401(gateway: GatewayUnderTest) -> None:
    _give_every_part(gateway)
    gateway.stubs["organization"].sync_status = 401
    gateway.stubs["vault"].sync_status = 500
    response = await gateway.client.get("/api/sync", headers=gateway.auth())
    assert response.status_code == 401


@pytest.mark.parametrize(
    "answer",
    [
        {"providers": [], "providerOrganizations": []},  # the layout before the compact rows
        PROVIDER_PART | {"clients": [[1, "o9", "Client", None, 3]]},  # no such kind
    ],
)
async def test_a_provider_part_in_another_form_is_a_502(gateway: GatewayUnderTest, answer: dict[str, Any]) -> None:
    _give_every_part(gateway)
    gateway.stubs["provider"].sync_body = answer
    response = await gateway.client.get("/api/accounts/profile", headers=gateway.auth())
    assert response.status_code == 502
    assert "The provider service sent a malformed sync part" in response.json()["message"]


@pytest.mark.parametrize("unreachable", [{"provider"}])
async def test_an_unreachable_service_makes_the_sync_a_502(gateway: GatewayUnderTest) -> None:
    _give_every_part(gateway)
    response = await gateway.client.get("/api/sync", headers=gateway.auth())
    assert response.status_code == 502
    assert response.json()["message"] == "The provider service is unavailable"


async def test_sync_needs_a_token_and_asks_no_service_without_one(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/api/sync")
    assert response.status_code == 401
    assert all(not stub.seen for stub in gateway.stubs.values())


async def test_profile_is_identitys_profile_with_memberships(gateway: GatewayUnderTest) -> None:
    _give_every_part(gateway)
    response = await gateway.client.get("/api/accounts/profile", headers=gateway.auth())
    assert response.status_code == 200
    profile = response.json()
    assert profile["email"] == "a@example.test"
    assert [o["id"] for o in profile["organizations"]] == ["o1", "o9"]
    assert profile["providerOrganizations"] == [O9]
    assert profile["object"] == "profile"
    assert not gateway.stubs["vault"].seen  # the profile needs no vault data
    # nor collections: the organization's memberships alone (a provider user's clients' collections cost seconds)
    assert [seen["path"] for seen in gateway.stubs["organization"].seen] == ["/internal/profile"]


async def test_profile_reads_the_whole_organization_part_from_a_service_without_the_profile_read(
    gateway: GatewayUnderTest,
) -> None:
    _give_every_part(gateway)
    gateway.stubs["organization"].serves_profile = False
    response = await gateway.client.get("/api/accounts/profile", headers=gateway.auth())
    assert [o["id"] for o in response.json()["organizations"]] == ["o1", "o9"]
    paths = [seen["path"] for seen in gateway.stubs["organization"].seen]
    assert paths == ["/internal/profile", "/internal/sync"]


async def test_profile_updates_are_forwarded_to_identity(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.put("/api/accounts/profile", json={"name": "A"}, headers=gateway.auth())
    assert response.status_code == 200
    assert response.json()["service"] == "identity"


async def test_revision_date_is_the_latest_of_the_services_as_a_bare_number(gateway: GatewayUnderTest) -> None:
    for name, ms in {
        "identity": 1_700_000_000_000,
        "organization": 1_700_000_500_000,
        "vault": 1_700_000_100_000,
    }.items():
        gateway.stubs[name].revision_ms = ms
    # The provider service does not serve it yet (404): it is left out of the max.
    response = await gateway.client.get("/api/accounts/revision-date", headers=gateway.auth())
    assert response.status_code == 200
    assert response.content == b"1700000500000"
    assert all(
        stub.seen[-1]["headers"]["authorization"] == f"Bearer {gateway.token}" for name, stub in gateway.stubs.items()
    )


async def test_config_is_served_with_and_without_a_token(gateway: GatewayUnderTest) -> None:
    anonymous = await gateway.client.get("/api/config")
    signed_in = await gateway.client.get("/api/config", headers=gateway.auth())
    assert anonymous.status_code == signed_in.status_code == 200
    assert anonymous.json() == signed_in.json()
    config = anonymous.json()
    assert config["object"] == "config"
    assert config["version"] == "2026.6.0"
    assert config["environment"]["api"] == "https://vault.example.test/api"
    assert config["environment"]["identity"] == "https://vault.example.test/identity"
    assert anonymous.headers["content-type"] == "application/json"


async def test_config_ignores_a_bad_token(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/api/config", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 200


async def test_alive_answers_the_time(gateway: GatewayUnderTest) -> None:
    for path in ("/alive", "/api/alive"):
        response = await gateway.client.get(path)
        assert response.status_code == 200
        assert response.json().endswith("Z")


async def test_public_health_is_a_bare_liveness_answer(gateway: GatewayUnderTest) -> None:
    # Public: it must neither fan out to the services (4 calls per hit) nor describe their internals.
    gateway.stubs["organization"].healthy = False
    response = await gateway.client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert all(stub.health_calls == 0 for stub in gateway.stubs.values())


async def test_detailed_health_is_404_for_anyone_but_an_operator(gateway: GatewayUnderTest) -> None:
    assert (await gateway.client.get("/api/ops/health")).status_code == 401
    member = await gateway.client.get("/api/ops/health", headers=gateway.auth())
    assert member.status_code == 404
    assert all(stub.health_calls == 0 for stub in gateway.stubs.values())


async def test_detailed_health_is_200_only_when_every_service_is_healthy(gateway: GatewayUnderTest) -> None:
    healthy = await gateway.client.get("/api/ops/health", headers=gateway.operator_auth())
    assert healthy.status_code == 200
    body = healthy.json()
    assert body["status"] == "ok"
    assert set(body["services"]) == {"gateway", "identity", "provider", "organization", "vault"}
    assert body["services"]["vault"]["checks"] == {"database": True}

    gateway.stubs["organization"].healthy = False
    degraded = await gateway.client.get("/api/ops/health", headers=gateway.operator_auth())
    assert degraded.status_code == 503
    assert degraded.json()["status"] == "degraded"
    assert degraded.json()["services"]["organization"]["httpStatus"] == 503
    assert degraded.json()["services"]["identity"]["status"] == "ok"


@pytest.mark.parametrize("unreachable", [{"vault"}])
async def test_detailed_health_names_an_unreachable_service(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/api/ops/health", headers=gateway.operator_auth())
    assert response.status_code == 503
    assert response.json()["services"]["vault"]["status"] == "unreachable"


async def test_openapi_merges_the_services_public_paths(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/sync" in paths
    assert "/api/config" in paths
    assert "/{path}" in paths  # the stubs' echo route
    assert not any(path.startswith("/internal") for path in paths)
    assert "/health" not in paths
    assert "x-unavailable-services" not in response.json()
    docs = await gateway.client.get("/docs")
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text


@pytest.mark.parametrize("unreachable", [{"vault"}])
async def test_openapi_names_a_service_it_could_not_read(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/openapi.json")
    assert response.json()["x-unavailable-services"] == ["vault"]


@pytest.mark.parametrize(("accept", "coding"), [("gzip, deflate, br", "br"), ("gzip, deflate", "gzip"), (None, None)])
async def test_sync_is_compressed_as_the_client_asks(
    gateway: GatewayUnderTest, accept: str | None, coding: str | None
) -> None:
    _give_every_part(gateway)
    gateway.stubs["vault"].sync_body = {
        "folders": [],
        "ciphers": [{"id": f"x{n}", "name": "2.a|b|c"} for n in range(100)],
    }
    plain = await gateway.client.get("/api/sync", headers=gateway.auth(**{"Accept-Encoding": "identity"}))
    headers = gateway.auth(**({"Accept-Encoding": accept} if accept else {"Accept-Encoding": ""}))
    response = await gateway.client.get("/api/sync", headers=headers)
    assert response.status_code == 200
    assert response.headers.get("content-encoding") == coding
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.json() == plain.json()  # httpx decodes br and gzip
    if coding is not None:
        assert int(response.headers["content-length"]) < len(plain.content) / 2
