from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import jwt
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


async def test_a_token_is_checked_once_until_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gateway and the service see the same token on every request: its signature is checked once, and again
    (by PyJWT, which refuses it then) once the token's `exp` has passed."""
    key = SigningKey.generate()
    now = [time.time()]
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda _: httpx.Response(200, json=key.jwks())))
    verifier = JwksVerifier("http://identity", http=http, wall_clock=lambda: now[0])
    checks: list[str] = []
    decode = jwt.decode

    def counted(token: str, **kwargs: Any) -> Any:
        checks.append(token)
        return decode(token, **kwargs)

    monkeypatch.setattr(jwt, "decode", counted)
    user = uuid.uuid4()
    token = key.mint(user_id=user, email="a@b.test", lifetime_seconds=60)
    other = key.mint(user_id=uuid.uuid4(), email="c@d.test", lifetime_seconds=60)
    for _ in range(3):
        assert (await verifier.verify(token)).user_id == user
    await verifier.verify(other)
    assert checks == [token, other]
    now[0] += 61  # past `exp`: no longer answered from memory
    await verifier.verify(token)
    assert checks == [token, other, token]


async def test_a_remembered_token_stops_verifying_with_its_retired_key() -> None:
    old, new = SigningKey.generate(), SigningKey.generate()
    published = [old]
    clock = [0.0]
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda _: httpx.Response(200, json=published[0].jwks())))
    verifier = JwksVerifier("http://identity", http=http, key_max_age=300.0, clock=lambda: clock[0])
    token = old.mint(user_id=uuid.uuid4(), email="a@b.test")
    await verifier.verify(token)
    published[0], clock[0] = new, 301.0  # identity rotated; the keys are re-read once they are old
    with pytest.raises(InvalidTokenError):
        await verifier.verify(token)
