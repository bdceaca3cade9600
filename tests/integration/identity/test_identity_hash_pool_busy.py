"""When the password-hash pool is saturated, login and registration are refused fast: 503 with Retry-After and a
JSON body, the refusal a client retries, not a queue without bound."""

from __future__ import annotations

import pytest

from mspvault.identity.adapters.password_hasher import HashPoolSaturated
from tests.integration.identity.conftest import IdentityService


async def _saturated(*_: object) -> bool:
    raise HashPoolSaturated


async def test_login_is_refused_503_with_retry_after(
    identity: IdentityService, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = await identity.register()
    monkeypatch.setattr(identity.app.state.password_hashing, "verify", _saturated)
    response = await identity.password_grant(account.email, account.password_hash)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"] == "temporarily_unavailable"


async def test_registration_is_refused_503_with_retry_after(
    identity: IdentityService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(identity.app.state.password_hashing, "hash", _saturated)
    body = {
        "email": "busy@example.test",
        "name": "Busy",
        "masterPasswordHash": "aGFzaA==",
        "key": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAA==|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "kdf": 0,
        "kdfIterations": 600000,
    }
    response = await identity.client.post("/identity/accounts/register", json=body)
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    assert response.json()["object"] == "error"
