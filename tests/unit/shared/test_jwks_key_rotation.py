"""Keys fetched from identity's JWKS are replaced by each fresh fetch, never merged: a key identity retired stops
verifying tokens. The fetched set is re-read when it is older than its maximum age."""

from __future__ import annotations

import uuid

import httpx
import pytest

from mspvault.shared.auth import InvalidTokenError, JwksVerifier
from mspvault.shared.auth.signing import SigningKey


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _serving(published: list[SigningKey]) -> tuple[httpx.AsyncClient, list[int]]:
    calls: list[int] = []

    def jwks(_: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json={"keys": [key.public_jwk() for key in published]})

    return httpx.AsyncClient(transport=httpx.MockTransport(jwks)), calls


def _token(key: SigningKey) -> str:
    return key.mint(user_id=uuid.uuid4(), email="a@b.test")


async def test_a_key_missing_from_a_fresh_jwks_is_dropped() -> None:
    old, new = SigningKey.generate(), SigningKey.generate()
    published = [old]
    http, _ = _serving(published)
    clock = FakeClock()
    verifier = JwksVerifier("http://identity", http=http, refetch_interval=30.0, key_max_age=300.0, clock=clock)
    await verifier.verify(_token(old))

    published[:] = [new]  # identity rotated and retired the old key
    clock.now += 31
    await verifier.verify(_token(new))  # an unknown kid: a fresh JWKS
    with pytest.raises(InvalidTokenError):
        await verifier.verify(_token(old))


async def test_the_fetched_keys_are_re_read_when_older_than_their_maximum_age() -> None:
    key = SigningKey.generate()
    published = [key]
    http, calls = _serving(published)
    clock = FakeClock()
    verifier = JwksVerifier("http://identity", http=http, key_max_age=300.0, clock=clock)
    await verifier.verify(_token(key))
    clock.now += 299
    await verifier.verify(_token(key))
    assert len(calls) == 1

    published.clear()  # retired, and no new kid will ever trigger a fetch
    clock.now += 2
    with pytest.raises(InvalidTokenError):
        await verifier.verify(_token(key))
    assert len(calls) == 2


async def test_keys_stay_when_identity_cannot_be_reached_on_a_periodic_re_read() -> None:
    key = SigningKey.generate()
    up = [True]

    def jwks(_: httpx.Request) -> httpx.Response:
        if not up[0]:
            raise httpx.ConnectError("down")
        return httpx.Response(200, json=key.jwks())

    clock = FakeClock()
    http = httpx.AsyncClient(transport=httpx.MockTransport(jwks))
    verifier = JwksVerifier("http://identity", http=http, key_max_age=300.0, clock=clock)
    await verifier.verify(_token(key))
    up[0] = False
    clock.now += 301
    await verifier.verify(_token(key))  # identity restarting must not log everyone out


async def test_keys_added_in_process_are_kept() -> None:
    key = SigningKey.generate()
    http, calls = _serving([])
    clock = FakeClock()
    verifier = JwksVerifier("http://identity", http=http, key_max_age=300.0, clock=clock)
    verifier.add_jwks(key.jwks())  # identity verifying its own tokens from memory
    clock.now += 1000
    await verifier.verify(_token(key))
    assert calls == []
