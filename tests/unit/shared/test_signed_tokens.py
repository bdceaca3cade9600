"""Signed, expiring tokens: claims round-trip; a wrong secret or purpose, tampering, garbage and age are refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from mspvault.shared.errors import DomainError
from mspvault.shared.signed_tokens import ExpiredSignedToken, InvalidSignedToken, SignedTokens, new_nonce

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
LIFETIME = timedelta(days=5)


def signer(secret: str = "a-secret-of-some-length", purpose: str = "TestInvite") -> SignedTokens:
    return SignedTokens(secret, purpose, lifetime=LIFETIME)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def sign(payload: str, secret: str = "a-secret-of-some-length", purpose: str = "TestInvite") -> str:
    """The documented format, built by hand: the key is SHA-256 of "purpose:secret"."""
    key = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
    return f"{payload}.{b64url(hmac.new(key, payload.encode(), hashlib.sha256).digest())}"


def test_claims_and_issue_time_round_trip_within_the_lifetime() -> None:
    token = signer().issue({"who": "carol@x.test", "n": "nonce-1"}, NOW)
    verified = signer().verify(token, NOW + LIFETIME)
    assert verified.claims == {"who": "carol@x.test", "n": "nonce-1"}
    assert verified.issued_at == NOW


def test_the_format_is_stable_so_mailed_tokens_keep_verifying() -> None:
    payload = b64url(json.dumps({"a": "1", "iat": int(NOW.timestamp())}, separators=(",", ":")).encode())
    assert signer().issue({"a": "1"}, NOW) == sign(payload)


def test_an_old_token_is_refused_as_expired() -> None:
    token = signer().issue({"a": "1"}, NOW)
    with pytest.raises(ExpiredSignedToken) as error:
        signer().verify(token, NOW + LIFETIME + timedelta(seconds=1))
    assert error.value.field == "token"
    assert isinstance(error.value, InvalidSignedToken)
    assert isinstance(error.value, DomainError)


@pytest.mark.parametrize("other", [signer(secret="another-secret-entirely"), signer(purpose="OtherInvite")])
def test_a_token_of_another_secret_or_purpose_is_refused(other: SignedTokens) -> None:
    token = other.issue({"a": "1"}, NOW)
    with pytest.raises(InvalidSignedToken) as error:
        signer().verify(token, NOW)
    assert not isinstance(error.value, ExpiredSignedToken)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t + "x",
        lambda t: "x" + t,
        lambda t: t.split(".")[0],
        lambda t: ".",
        lambda t: "",
        lambda t: t.split(".")[0] + ".é",  # non-ASCII must be refused, not crash the comparison
        lambda t: "garbage",
    ],
)
def test_a_tampered_or_garbage_token_is_refused(mangle: Callable[[str], str]) -> None:
    token = signer().issue({"a": "1"}, NOW)
    with pytest.raises(InvalidSignedToken):
        signer().verify(mangle(token), NOW)


def test_a_validly_signed_body_of_the_wrong_shape_is_refused() -> None:
    for body in (b"[1, 2]", b'"text"', b'{"a": "1"}', b'{"a": 1, "iat": 1}', b'{"iat": "soon"}', b"\xff"):
        with pytest.raises(InvalidSignedToken):
            signer().verify(sign(b64url(body)), NOW)


def test_the_issue_time_claim_is_reserved() -> None:
    with pytest.raises(ValueError, match="iat"):
        signer().issue({"iat": "0"}, NOW)


def test_nonces_are_random_and_url_safe() -> None:
    nonces = {new_nonce() for _ in range(100)}
    assert len(nonces) == 100
    assert all(len(n) >= 20 and n.replace("-", "").replace("_", "").isalnum() for n in nonces)
