"""The in-memory side of `mspvault.shared.auth.stamps`: which tokens a process refuses after a rotation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData

from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.stamps import DELETED, SecurityStamps, security_stamps_table

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


def stamps() -> SecurityStamps:
    return SecurityStamps(security_stamps_table(MetaData()), window=timedelta(hours=1), clock=lambda: NOW)


def token(user_id: uuid.UUID, stamp: str | None) -> Principal:
    return Principal(user_id=user_id, email="carol@client.test", security_stamp=stamp)


def test_a_token_with_the_rotated_stamp_passes_an_older_one_does_not() -> None:
    seen, user, other = stamps(), uuid.uuid4(), uuid.uuid4()
    seen.keep(user, "new", NOW)
    assert not seen.refuses(token(user, "new"))
    assert seen.refuses(token(user, "old"))
    assert seen.refuses(token(user, None))
    assert not seen.refuses(token(other, "anything"))  # no rotation known: the signature decides


def test_an_older_rotation_never_replaces_a_newer_one() -> None:
    seen, user = stamps(), uuid.uuid4()
    seen.keep(user, "newest", NOW)
    seen.keep(user, "replayed", NOW - timedelta(seconds=5))
    assert not seen.refuses(token(user, "newest"))
    assert seen.refuses(token(user, "replayed"))


def test_a_deleted_account_has_no_token_left() -> None:
    seen, user = stamps(), uuid.uuid4()
    seen.keep(user, DELETED, NOW)
    assert seen.refuses(token(user, "whatever-it-had"))
