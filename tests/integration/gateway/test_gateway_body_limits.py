"""Request bodies are capped at the gateway: a declared length over the cap is refused before a byte is read, and
a body without one (chunked) is counted as it arrives and cut off at the cap. Tested at the real default."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from mspvault.shared.settings import GatewaySettings
from tests.integration.gateway.conftest import GatewayUnderTest

LIMIT = GatewaySettings().max_request_body_bytes
CHUNK = 64 * 1024


@dataclass
class CountingBody:
    """A request body that remembers how much of it the server pulled."""

    size: int
    pulled: int = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        while sent < self.size:
            chunk = b"x" * min(CHUNK, self.size - sent)
            sent += len(chunk)
            self.pulled = sent
            yield chunk


def test_the_default_cap_is_a_few_mebibytes() -> None:
    assert 1024 * 1024 <= LIMIT <= 16 * 1024 * 1024


def _assert_refused(response_status: int, body: dict[str, object]) -> None:
    assert response_status == 413
    assert body["object"] == "error"
    assert "too large" in str(body["message"])


@pytest.mark.parametrize("path", ["/api/ciphers", "/identity/connect/token", "/api/accounts/register"])
async def test_a_declared_length_over_the_cap_is_refused_before_reading(gateway: GatewayUnderTest, path: str) -> None:
    body = CountingBody(LIMIT + 1)
    headers = gateway.auth(**{"Content-Length": str(LIMIT + 1), "Content-Type": "application/octet-stream"})
    response = await gateway.client.post(path, content=body, headers=headers)
    _assert_refused(response.status_code, response.json())
    assert body.pulled == 0
    assert not any(stub.seen for stub in gateway.stubs.values())


async def test_a_streamed_body_is_counted_as_it_arrives_and_cut_at_the_cap(gateway: GatewayUnderTest) -> None:
    body = CountingBody(LIMIT * 3)  # no Content-Length: chunked, the gateway cannot trust a declared size
    headers = gateway.auth(**{"Content-Type": "application/octet-stream"})
    response = await gateway.client.post("/api/ciphers", content=body, headers=headers)
    _assert_refused(response.status_code, response.json())
    assert body.pulled <= LIMIT + CHUNK  # stopped reading at the cap, not at the end
    assert not [seen for seen in gateway.stubs["vault"].seen if len(seen["body"]) > LIMIT]


async def test_a_body_at_the_cap_goes_through_whole(gateway: GatewayUnderTest) -> None:
    upload = b"y" * LIMIT
    headers = gateway.auth(**{"Content-Type": "application/octet-stream"})
    response = await gateway.client.post("/api/ciphers", content=upload, headers=headers)
    assert response.status_code == 200
    assert gateway.stubs["vault"].seen[-1]["body"] == upload

    streamed = await gateway.client.post("/api/ciphers", content=CountingBody(LIMIT), headers=headers)
    assert streamed.status_code == 200
    assert len(gateway.stubs["vault"].seen[-1]["body"]) == LIMIT


async def test_a_personal_import_may_be_larger_up_to_its_own_cap(gateway: GatewayUnderTest) -> None:
    """Bitwarden allows thousands of items in one import: its route has a cap of its own (64 MiB by default)."""
    import_limit = GatewaySettings().max_import_body_bytes
    assert import_limit > LIMIT
    headers = gateway.auth(**{"Content-Type": "application/octet-stream"})
    response = await gateway.client.post("/api/ciphers/import", content=b"z" * (LIMIT * 2), headers=headers)
    assert response.status_code == 200
    assert len(gateway.stubs["vault"].seen[-1]["body"]) == LIMIT * 2

    over = CountingBody(import_limit + 1)
    headers = gateway.auth(**{"Content-Length": str(import_limit + 1), "Content-Type": "application/octet-stream"})
    refused = await gateway.client.post("/api/ciphers/import", content=over, headers=headers)
    _assert_refused(refused.status_code, refused.json())
    assert over.pulled == 0
