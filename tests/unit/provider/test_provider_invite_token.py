"""Invite tokens: signed, bound to one provider user and email, expiring after 5 days."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mspvault.provider.domain.errors import InvalidInviteToken
from mspvault.provider.domain.invite_token import InviteTokens, new_nonce

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_token_round_trips_its_claims():
    tokens = InviteTokens("a-secret-of-some-length")
    pu_id, nonce = uuid.uuid4(), new_nonce()
    claims = tokens.verify(tokens.issue(pu_id, "bob@acme.test", nonce, NOW), NOW + timedelta(days=4))
    assert (claims.provider_user_id, claims.email, claims.nonce) == (pu_id, "bob@acme.test", nonce)


def test_a_token_expires_after_five_days():
    tokens = InviteTokens("a-secret-of-some-length")
    token = tokens.issue(uuid.uuid4(), "bob@acme.test", new_nonce(), NOW)
    with pytest.raises(InvalidInviteToken, match="expired"):
        tokens.verify(token, NOW + timedelta(days=5, seconds=1))


def test_a_token_signed_with_another_secret_is_refused():
    token = InviteTokens("another-secret-entirely").issue(uuid.uuid4(), "bob@acme.test", new_nonce(), NOW)
    with pytest.raises(InvalidInviteToken):
        InviteTokens("a-secret-of-some-length").verify(token, NOW)


@pytest.mark.parametrize("mangle", [lambda t: t + "x", lambda t: "x" + t, lambda t: t.split(".")[0], lambda t: "."])
def test_a_tampered_token_is_refused(mangle):
    tokens = InviteTokens("a-secret-of-some-length")
    token = tokens.issue(uuid.uuid4(), "bob@acme.test", new_nonce(), NOW)
    with pytest.raises(InvalidInviteToken):
        tokens.verify(mangle(token), NOW)
