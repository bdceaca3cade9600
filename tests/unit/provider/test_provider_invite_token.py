"""Invite tokens: signed, bound to one provider user and email, expiring after 5 days, single use by nonce."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mspvault.provider.domain.errors import InvalidInviteToken
from mspvault.provider.domain.invite_token import PROVIDER_USER, invite_tokens, is_live_nonce, new_nonce
from mspvault.shared.signed_tokens import SignedTokens

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SECRET = "a-secret-of-some-length"


def issue(secret: str = SECRET, pu_id: uuid.UUID | None = None, nonce: str | None = None) -> str:
    ids = {PROVIDER_USER: pu_id or uuid.uuid4()}
    return invite_tokens(secret).issue(ids, email="bob@acme.test", nonce=nonce or new_nonce(), now=NOW)


def test_a_token_round_trips_its_claims():
    pu_id, nonce = uuid.uuid4(), new_nonce()
    claims = invite_tokens(SECRET).verify(issue(pu_id=pu_id, nonce=nonce), NOW + timedelta(days=4))
    assert (claims.id(PROVIDER_USER), claims.email, claims.nonce) == (pu_id, "bob@acme.test", nonce)


def test_tokens_already_sent_keep_verifying():
    """The claim names and purpose are those of tokens minted before the shared helper existed."""
    pu_id = uuid.uuid4()
    legacy = SignedTokens(SECRET, "ProviderUserInvite", lifetime=timedelta(days=5)).issue(
        {"pu": str(pu_id), "em": "bob@acme.test", "n": "nonce"}, NOW
    )
    assert invite_tokens(SECRET).verify(legacy, NOW).id(PROVIDER_USER) == pu_id


def test_a_token_expires_after_five_days():
    with pytest.raises(InvalidInviteToken, match="expired"):
        invite_tokens(SECRET).verify(issue(), NOW + timedelta(days=5, seconds=1))


def test_a_token_signed_with_another_secret_is_refused():
    with pytest.raises(InvalidInviteToken):
        invite_tokens(SECRET).verify(issue("another-secret-entirely"), NOW)


@pytest.mark.parametrize("mangle", [lambda t: t + "x", lambda t: "x" + t, lambda t: t.split(".")[0], lambda t: "."])
def test_a_tampered_token_is_refused(mangle):
    with pytest.raises(InvalidInviteToken):
        invite_tokens(SECRET).verify(mangle(issue()), NOW)


def test_only_the_live_nonce_matches():
    assert is_live_nonce("abc", "abc")
    assert not is_live_nonce("abc", "abd")
    assert not is_live_nonce("abc", None)  # accepted already
    assert not is_live_nonce("é", "abc")  # non-ASCII input is refused, not an error
