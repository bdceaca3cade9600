"""Forwarding by prefix: what reaches a service, what never leaves the gateway, and what comes back."""

from __future__ import annotations

import gzip
import json

import brotli
import pytest

from mspvault.gateway.forwarding import BUFFER_LIMIT
from tests.integration.gateway.conftest import GatewayUnderTest
from tests.integration.gateway.stubs import json_of_size


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/accounts/key-management/user-key-id", "identity"),
        ("/api/users/abc/public-key", "identity"),
        ("/api/providers/p1/users", "provider"),
        ("/api/admin/providers", "provider"),
        ("/api/organizations/o1/collections", "organization"),
        ("/api/collections", "organization"),
        ("/api/policies", "organization"),
        ("/api/ciphers/c1", "vault"),
        ("/api/folders", "vault"),
    ],
)
async def test_each_prefix_reaches_its_service(gateway: GatewayUnderTest, path: str, service: str) -> None:
    # Operator routes need a confirmed operator (test_gateway_operators.py); every other route any valid token.
    headers = gateway.operator_auth() if path.startswith("/api/admin/") else gateway.auth()
    response = await gateway.client.get(path, headers=headers)
    assert response.status_code == 200
    assert response.json()["service"] == service
    assert response.json()["path"] == path
    assert response.headers["x-stub"] == service


async def test_method_path_query_body_and_headers_arrive_unchanged(gateway: GatewayUnderTest) -> None:
    body = json.dumps({"cipher": {"name": "2.aa|bb|cc"}, "collectionIds": ["c1"]}).encode()
    response = await gateway.client.put(
        "/api/ciphers/a%20b/share",
        params={"x": "1", "y": "two words", "z": ""},
        content=body,
        headers=gateway.auth(
            **{
                "Content-Type": "application/json; charset=utf-8",
                "Device-Type": "25",
                "Bitwarden-Client-Name": "cli",
                "Bitwarden-Client-Version": "2026.9.0",
                "Cookie": "session=secret",
                "X-Internal-Trust": "yes",
                "Accept-Encoding": "gzip, br",
            }
        ),
    )
    assert response.status_code == 200
    seen = gateway.stubs["vault"].seen[-1]
    assert seen["headers"]["accept-encoding"] == "gzip, br"  # a service may compress a large answer itself
    assert seen["method"] == "PUT"
    assert seen["path"] == "/api/ciphers/a b/share"
    assert seen["query"] == "x=1&y=two+words&z="
    assert seen["body"] == body
    headers = seen["headers"]
    assert headers["authorization"] == f"Bearer {gateway.token}"
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["device-type"] == "25"
    assert headers["bitwarden-client-name"] == "cli"
    assert headers["bitwarden-client-version"] == "2026.9.0"
    assert headers["x-correlation-id"] == response.headers["x-correlation-id"]
    assert headers["x-forwarded-proto"] == "https"
    assert "cookie" not in headers
    assert "x-internal-trust" not in headers
    # What the service answered comes back as it was, duplicate headers included.
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]


async def test_identity_routes_are_forwarded_without_a_token(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.post(
        "/identity/connect/token", data={"grant_type": "password", "username": "a@example.test"}
    )
    assert response.status_code == 200
    seen = gateway.stubs["identity"].seen[-1]
    assert seen["path"] == "/identity/connect/token"
    assert seen["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert seen["body"] == b"grant_type=password&username=a%40example.test"


async def test_a_service_error_is_passed_through_as_it_is(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.post("/api/folders?stubStatus=400", json={}, headers=gateway.auth())
    assert response.status_code == 400
    assert response.json() == {"message": "refused", "object": "error"}


@pytest.mark.parametrize(
    "path",
    ["/internal/sync", "/internal/revision-date", "/api/ciphers/../../internal/sync", "/api/ciphers/%2e%2e/x"],
)
async def test_internal_paths_never_leave_the_gateway(gateway: GatewayUnderTest, path: str) -> None:
    response = await gateway.client.get(path, headers=gateway.auth())
    assert response.status_code == 404
    assert response.json()["object"] == "error"
    assert all(not stub.seen for stub in gateway.stubs.values())


async def test_unknown_paths_answer_404_in_the_error_shape(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/api/unknown", headers=gateway.auth())
    assert response.status_code == 404
    assert response.json()["errorModel"] == {"message": "Not found", "object": "error"}


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-jwt", "Basic abc"])
async def test_api_routes_need_a_valid_token(gateway: GatewayUnderTest, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = await gateway.client.post("/api/ciphers", json={}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["object"] == "error"
    assert response.json()["message"]
    assert not gateway.stubs["vault"].seen


async def test_a_token_signed_by_another_key_is_refused(gateway: GatewayUnderTest) -> None:
    from mspvault.shared.auth.signing import SigningKey

    forged = SigningKey(kid=gateway.key.kid, private_key=SigningKey.generate().private_key)
    token = forged.mint(user_id=gateway.user_id, email="a@example.test")
    response = await gateway.client.get("/api/sync", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


async def test_correlation_id_is_adopted_echoed_and_passed_downstream(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/api/folders", headers=gateway.auth(**{"X-Correlation-Id": "abc-12345678"}))
    assert response.headers["x-correlation-id"] == "abc-12345678"
    assert gateway.stubs["vault"].seen[-1]["headers"]["x-correlation-id"] == "abc-12345678"


async def test_every_answer_carries_a_fresh_correlation_id(gateway: GatewayUnderTest) -> None:
    first = await gateway.client.get("/api/config")
    second = await gateway.client.get("/api/nothing-here")  # errors too
    ids = {first.headers["x-correlation-id"], second.headers["x-correlation-id"]}
    assert len(ids) == 2
    assert all(8 <= len(cid) <= 64 for cid in ids)


async def test_large_bodies_stream_through_both_ways(gateway: GatewayUnderTest) -> None:
    upload = bytes(range(256)) * ((BUFFER_LIMIT * 3) // 256)
    response = await gateway.client.post(
        "/api/ciphers/import", content=upload, headers=gateway.auth(**{"Content-Type": "application/octet-stream"})
    )
    assert response.status_code == 200
    assert gateway.stubs["vault"].seen[-1]["body"] == upload

    size = BUFFER_LIMIT * 4
    download = await gateway.client.get(f"/api/ciphers/export?size={size}", headers=gateway.auth())
    assert download.status_code == 200
    assert download.headers["content-length"] == str(size)
    assert download.content == bytes(range(256)) * (size // 256)


async def test_large_json_is_compressed_on_its_way_as_the_caller_asks(gateway: GatewayUnderTest) -> None:
    size = BUFFER_LIMIT * 4
    path = f"/api/providers/p1/organizations?jsonSize={size}"
    expected = json_of_size(size)
    for accepted, coding, decode in (("gzip, deflate, br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)):
        async with gateway.client.stream("GET", path, headers=gateway.auth(**{"Accept-Encoding": accepted})) as sent:
            raw = b"".join([chunk async for chunk in sent.aiter_raw()])
        assert sent.status_code == 200
        assert (sent.headers["content-encoding"], sent.headers["vary"]) == (coding, "Accept-Encoding")
        assert "content-length" not in sent.headers  # the compressed length is known only at the end
        assert len(raw) < len(expected) / 10
        assert decode(raw) == expected
    plain = await gateway.client.get(path, headers=gateway.auth(**{"Accept-Encoding": "identity"}))
    assert "content-encoding" not in plain.headers
    assert (plain.headers["content-length"], plain.content) == (str(len(expected)), expected)
    # Small JSON and other media types pass as the service wrote them.
    small = await gateway.client.get("/api/providers/p1/organizations?jsonSize=2000", headers=gateway.auth())
    assert "content-encoding" not in small.headers
    assert small.content == json_of_size(2000)
    download = await gateway.client.get(f"/api/ciphers/export?size={size}", headers=gateway.auth())
    assert "content-encoding" not in download.headers


@pytest.mark.parametrize("unreachable", [{"vault"}])
async def test_an_unreachable_service_answers_502(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/api/ciphers", headers=gateway.auth())
    assert response.status_code == 502
    assert response.json()["message"] == "The vault service is unavailable"


async def test_an_empty_answer_stays_empty(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.delete("/api/folders/f1?stubStatus=204", headers=gateway.auth())
    assert response.status_code == 204
    assert response.content == b""
