from __future__ import annotations

import uuid

import httpx
import pytest

from mspvault.shared.auth import InvalidTokenError, JwksVerifier
from mspvault.shared.auth.signing import SigningKey


def _verifier_with_counter(key: SigningKey) -> tuple[JwksVerifier, list[int]]:
    calls: list[int] = []

    def jwks(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json=key.jwks())

    http = httpx.AsyncClient(transport=httpx.MockTransport(jwks))
    return JwksVerifier("http://identity", http=http), calls


async def test_a_valid_token_is_verified_after_one_jwks_fetch() -> None:
    key = SigningKey.generate()
    verifier, calls = _verifier_with_counter(key)
    user = uuid.uuid4()
    for _ in range(3):
        principal = await verifier.verify(key.mint(user_id=user, email="a@b.test", extra={"operator": True}))
        assert principal.user_id == user
        assert principal.operator is True
    assert len(calls) == 1


async def test_unknown_key_ids_do_not_hammer_identity() -> None:
    trusted, forger = SigningKey.generate(), SigningKey.generate()
    verifier, calls = _verifier_with_counter(trusted)
    for _ in range(5):
        with pytest.raises(InvalidTokenError):
            await verifier.verify(forger.mint(user_id=uuid.uuid4(), email="x@y.test"))
    assert len(calls) == 1


async def test_expired_and_foreign_issuer_tokens_are_refused() -> None:
    key = SigningKey.generate()
    verifier, _ = _verifier_with_counter(key)
    with pytest.raises(InvalidTokenError):
        await verifier.verify(key.mint(user_id=uuid.uuid4(), email="a@b.test", lifetime_seconds=-10))
    with pytest.raises(InvalidTokenError):
        await verifier.verify(key.mint(user_id=uuid.uuid4(), email="a@b.test", issuer="someone-else"))
    with pytest.raises(InvalidTokenError):
        await verifier.verify("not.a.jwt")
