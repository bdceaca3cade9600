"""Access-token claims, the password hasher, and the command line's own argument checks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mspvault.identity.adapters.password_hasher import PasswordHashing
from mspvault.identity.adapters.signing_keys import KeyRing
from mspvault.identity.domain.access_tokens import TokenPolicy
from mspvault.identity.domain.account import Account
from mspvault.identity.domain.devices import Device, DeviceInfo
from mspvault.identity.domain.kdf import DEFAULT_KDF
from mspvault.identity.entrypoints import cli
from mspvault.identity.service_layer.tokens import TokenIssuer
from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.auth.verifier import JwksVerifier
from tests.unit.identity.samples import enc_string_2


def issuer(operators: tuple[str, ...] = ()) -> TokenIssuer:
    ring = KeyRing()
    ring.load([SigningKey.generate()])
    policy = TokenPolicy.of(issuer="mspvault", access_token_seconds=3600, refresh_token_days=30, operators=operators)
    return TokenIssuer(policy, ring)


def account() -> tuple[Account, Device]:
    acc = Account.register(
        email="alice@acme.test",
        name="Alice",
        master_password_hint=None,
        kdf=DEFAULT_KDF,
        protected_user_key=enc_string_2(),
        key_pair=None,
        now=datetime.now(UTC),
    )
    return acc, Device(acc.id, acc.id, DeviceInfo("device-1", 25, "linux"))


async def test_access_token_verifies_and_names_the_caller() -> None:
    tokens = issuer()
    acc, device = account()
    verifier = JwksVerifier("http://unused")
    assert isinstance(tokens.keys, KeyRing)
    verifier.add_jwks(tokens.keys.jwks())
    principal = await verifier.verify(tokens.access_token(acc, device, "cli", operator=False))
    assert principal.user_id == acc.id
    assert principal.email == "alice@acme.test"
    assert principal.security_stamp == acc.security_stamp
    assert principal.device_type == 25
    assert principal.operator is False
    operator = await verifier.verify(tokens.access_token(acc, device, "cli", operator=True))
    assert operator.operator is True


def test_operator_emails_are_compared_lower_cased() -> None:
    assert issuer(("  Ops@Platform.TEST ",)).policy.operators == frozenset({"ops@platform.test"})


def test_key_ring_is_unusable_until_loaded() -> None:
    ring = KeyRing()
    with pytest.raises(RuntimeError):
        _ = ring.current
    first, second = SigningKey.generate(), SigningKey.generate()
    ring.load([first, second])
    assert ring.current is first
    assert [key["kid"] for key in ring.jwks()["keys"]] == [first.kid, second.kid]


async def test_password_hashing_round_trip() -> None:
    hasher = PasswordHashing(time_cost=1, memory_kib=8192, parallelism=1)
    stored = await hasher.hash("client-hash")
    assert stored.startswith("$argon2id$")
    assert "client-hash" not in stored
    assert await hasher.verify(stored, "client-hash") is True
    assert await hasher.verify(stored, "other") is False
    assert await hasher.verify("garbage", "client-hash") is False
    await hasher.verify_unknown_account("client-hash")  # returns nothing, raises nothing
    assert hasher.needs_rehash(stored) is False
    stronger = PasswordHashing(time_cost=2, memory_kib=8192, parallelism=1)
    assert stronger.needs_rehash(stored) is True


def test_add_operator_refuses_a_malformed_email_before_touching_anything() -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["add-operator", "not-an-email"])
    assert exited.value.code == 2
