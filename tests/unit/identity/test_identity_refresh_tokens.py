from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mspvault.identity.domain.refresh_tokens import (
    RefreshTokenExpired,
    RefreshTokenFamily,
    RefreshTokenReused,
    RefreshTokenRevoked,
    new_refresh_token,
    token_digest,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def family_with(token: str, lifetime: timedelta = timedelta(days=30)) -> RefreshTokenFamily:
    return RefreshTokenFamily.start(
        user_id=uuid.uuid4(), device_id=uuid.uuid4(), first_digest=token_digest(token), now=NOW, lifetime=lifetime
    )


def test_every_use_rotates_to_a_new_token() -> None:
    first, second, third = new_refresh_token(), new_refresh_token(), new_refresh_token()
    family = family_with(first)
    family.rotate(token_digest(first), token_digest(second), NOW + timedelta(minutes=1))
    assert family.current_digest == token_digest(second)
    family.rotate(token_digest(second), token_digest(third), NOW + timedelta(minutes=2))
    assert family.current_digest == token_digest(third)
    assert family.revoked_at is None


def test_reusing_a_spent_token_revokes_the_family() -> None:
    first, second = new_refresh_token(), new_refresh_token()
    family = family_with(first)
    family.rotate(token_digest(first), token_digest(second), NOW)
    with pytest.raises(RefreshTokenReused):
        family.rotate(token_digest(first), token_digest(new_refresh_token()), NOW + timedelta(seconds=5))
    assert family.revoked_at == NOW + timedelta(seconds=5)
    # The newest token dies with its family.
    with pytest.raises(RefreshTokenRevoked):
        family.rotate(token_digest(second), token_digest(new_refresh_token()), NOW + timedelta(seconds=6))


def test_family_expires_absolutely_however_often_it_rotates() -> None:
    token = new_refresh_token()
    family = family_with(token, lifetime=timedelta(days=30))
    for day in range(1, 30):
        following = new_refresh_token()
        family.rotate(token_digest(token), token_digest(following), NOW + timedelta(days=day))
        token = following
    with pytest.raises(RefreshTokenExpired):
        family.rotate(token_digest(token), token_digest(new_refresh_token()), NOW + timedelta(days=30))
    assert family.revoked_at is None


def test_tokens_are_random_and_only_digests_are_kept() -> None:
    token = new_refresh_token()
    assert token != new_refresh_token()
    assert len(token) >= 64
    assert token_digest(token) == token_digest(token)
    assert token not in token_digest(token)
    assert len(token_digest(token)) == 64
