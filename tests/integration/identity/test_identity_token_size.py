"""The token endpoint checks a body's size before it reads the form: a declared length over the cap is refused
without reading, and a chunked body stops being read at the cap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from mspvault.identity.entrypoints.http.connect_token import MAX_FORM_BYTES
from tests.integration.identity.conftest import IdentityService

CHUNK = 1024


@dataclass
class CountingBody:
    size: int
    pulled: int = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled < self.size:
            chunk = b"a" * min(CHUNK, self.size - self.pulled)
            self.pulled += len(chunk)
            yield chunk


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def test_a_declared_length_over_the_cap_is_refused_unread(identity: IdentityService) -> None:
    body = CountingBody(MAX_FORM_BYTES * 4)
    headers = {**FORM, "Content-Length": str(body.size)}
    response = await identity.client.post("/identity/connect/token", content=body, headers=headers)
    assert response.status_code == 413
    assert response.json()["error"] == "invalid_request"
    assert body.pulled == 0


async def test_a_chunked_body_is_read_only_up_to_the_cap(identity: IdentityService) -> None:
    body = CountingBody(MAX_FORM_BYTES * 4)
    response = await identity.client.post("/identity/connect/token", content=body, headers=FORM)
    assert response.status_code == 413
    assert response.json()["error"] == "invalid_request"
    assert body.pulled <= MAX_FORM_BYTES + CHUNK


async def test_a_form_at_the_cap_is_read(identity: IdentityService) -> None:
    padding = "x" * (MAX_FORM_BYTES - len("grant_type=authorization_code&pad="))
    response = await identity.client.post(
        "/identity/connect/token", content=f"grant_type=authorization_code&pad={padding}", headers=FORM
    )
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}
