"""Revision-date polls from memory (gateway/revisions): the dates, the accepted tokens, the feed's events, and when
a poll is answered from memory and when the services are asked."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from aiokafka import ConsumerRecord

from mspvault.gateway.clients import UpstreamError
from mspvault.gateway.revisions.dates import RevisionDates
from mspvault.gateway.revisions.feed import RevisionFeed
from mspvault.gateway.revisions.polling import RevisionDatePolls
from mspvault.gateway.revisions.tokens import AcceptedToken, AcceptedTokens
from mspvault.shared.auth.principal import Principal
from mspvault.shared.auth.stamps import StampMemory
from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.contracts.identity import SecurityStampRotatedV1, UserRegisteredV1
from mspvault.shared.contracts.revisions import RevisionsBumpedV1
from mspvault.shared.dates import epoch_ms

ALICE, BOB = uuid.uuid4(), uuid.uuid4()
T0 = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def test_a_date_is_answered_only_once_seeded_and_keeps_every_bump_meanwhile() -> None:
    dates = RevisionDates()
    dates.bumped([ALICE, BOB], 2_000)  # announced while Alice's seed is in flight
    assert dates.known(ALICE) is None
    assert dates.seed(ALICE, 1_000) == 2_000  # the seed's read missed that bump; the announcement did not
    dates.bumped([ALICE], 1_500)  # a late or replayed announcement never moves a date back
    assert dates.known(ALICE) == 2_000
    dates.bumped([ALICE], 3_000)
    assert dates.known(ALICE) == 3_000
    dates.forget()
    assert dates.known(ALICE) is None


def test_accepted_tokens_last_until_they_expire_and_make_room_when_full() -> None:
    now = [1_000.0]
    tokens = AcceptedTokens(limit=4, clock=lambda: now[0])
    tokens.keep("a", AcceptedToken(ALICE, "s", expires_at=1_010))
    assert tokens.get("a") == AcceptedToken(ALICE, "s", expires_at=1_010)
    now[0] = 1_010
    assert tokens.get("a") is None
    for name in "bcde":
        tokens.keep(name, AcceptedToken(BOB, "s", expires_at=2_000))
    tokens.keep("f", AcceptedToken(BOB, "s", expires_at=2_000))  # full: the oldest half goes
    assert [tokens.get(name) is not None for name in "bcdef"] == [False, False, True, True, True]


def record(event: EventData, *, producer: str, topic: str | None = None) -> ConsumerRecord[bytes, bytes]:
    envelope = Envelope.wrap(event, producer=producer, correlation_id=None)
    headers = [("event_type", envelope.type.encode())]
    return ConsumerRecord(
        topic or f"{producer}.events", 0, 0, 0, 0, None, envelope.model_dump_json().encode(), None, 0, 0, headers
    )


def a_feed() -> RevisionFeed:
    stamps = StampMemory(window=timedelta(days=1))
    return RevisionFeed(lambda: None, dates=RevisionDates(), tokens=AcceptedTokens(), stamps=stamps)


def test_the_feed_applies_revision_bumps_and_rotated_stamps_and_ignores_the_rest() -> None:
    feed = a_feed()
    feed.dates.seed(ALICE, 0)
    feed.apply(
        [
            record(RevisionsBumpedV1(service="vault", revised_at=T0, user_ids=[ALICE]), producer="vault"),
            record(
                SecurityStampRotatedV1(user_id=BOB, security_stamp="new", rotated_at=T0, reason="logout"),
                producer="identity",
            ),
            record(UserRegisteredV1(user_id=ALICE, email="a@x.test"), producer="identity"),
            # Only a topic's own service may announce on it.
            record(
                RevisionsBumpedV1(service="vault", revised_at=T0 + timedelta(days=1), user_ids=[ALICE]),
                producer="vault",
                topic="identity.events",
            ),
        ]
    )
    assert feed.dates.known(ALICE) == epoch_ms(T0)
    assert feed.stamps.refuses_stamp(BOB, "old")
    assert not feed.stamps.refuses_stamp(BOB, "new")


class FakeComposer:
    def __init__(self, date: int) -> None:
        self.date = date
        self.calls = 0

    async def revision_date(self, headers: Mapping[str, str]) -> int:
        self.calls += 1
        return self.date


class FakeIdentity:
    def __init__(self, *, refuses: bool = False) -> None:
        self.refuses = refuses
        self.calls = 0

    async def revision_date(self, headers: Mapping[str, str]) -> int | None:
        self.calls += 1
        if self.refuses:
            raise UpstreamError(401, "Invalid or expired token")
        return 5


def caller(user: uuid.UUID, stamp: str | None = "s") -> Principal:
    return Principal(user_id=user, email="someone@x.test", security_stamp=stamp)


def token_for(user: uuid.UUID, **claims: Any) -> str:
    return jwt.encode({"sub": str(user), "exp": int(time.time()) + 3600, **claims}, "k" * 32, algorithm="HS256")


def polls_with(feed: RevisionFeed | None, composer: FakeComposer, identity: FakeIdentity) -> RevisionDatePolls:
    return RevisionDatePolls(composer, identity, feed)  # type: ignore[arg-type]


async def test_the_first_poll_seeds_from_the_services_and_the_next_come_from_memory() -> None:
    feed, composer, identity = a_feed(), FakeComposer(1_000), FakeIdentity()
    feed.fresh_until = time.time() + 60
    polls = polls_with(feed, composer, identity)
    token = token_for(ALICE)
    assert polls.from_memory(token) is None
    assert await polls.answer(token, caller(ALICE, "s"), {}) == 1_000
    assert composer.calls == 1
    assert polls.from_memory(token) == 1_000
    feed.dates.bumped([ALICE], 2_000)
    assert polls.from_memory(token) == 2_000

    # Another token of a user memory knows: identity alone checks it (its stamp, as of now).
    other = token_for(ALICE, jti="2")
    assert await polls.answer(other, caller(ALICE, "s"), {}) == 2_000
    assert (composer.calls, identity.calls) == (1, 1)
    identity.refuses = True
    with pytest.raises(UpstreamError):
        await polls.answer(token_for(ALICE, jti="3"), caller(ALICE, "old"), {})
    assert polls.from_memory(token_for(ALICE, jti="3")) is None

    # A rotated stamp sends the known token to the route (which refuses it); a stale feed sends every poll there.
    feed.stamps.keep(ALICE, "rotated", datetime.now(UTC))
    assert polls.from_memory(token) is None
    feed.fresh_until = 0
    assert polls.from_memory(other) is None


async def test_without_a_fresh_feed_every_poll_asks_the_services_and_nothing_is_kept() -> None:
    composer, identity = FakeComposer(1_000), FakeIdentity()
    assert await polls_with(None, composer, identity).answer(token_for(ALICE), caller(ALICE), {}) == 1_000
    feed = a_feed()  # positioned or not, never answered by a broker: stale
    polls = polls_with(feed, composer, identity)
    assert await polls.answer(token_for(ALICE), caller(ALICE), {}) == 1_000
    assert (len(feed.tokens), len(feed.dates), composer.calls) == (0, 0, 2)


async def test_a_seed_read_while_the_feed_started_again_is_not_kept() -> None:
    feed, identity = a_feed(), FakeIdentity()
    feed.fresh_until = time.time() + 60

    class RestartingComposer(FakeComposer):
        async def revision_date(self, headers: Mapping[str, str]) -> int:
            if self.calls == 0:
                feed.generation += 1  # the feed was positioned again during the first read
            return await super().revision_date(headers)

    composer = RestartingComposer(1_000)
    polls = polls_with(feed, composer, identity)
    assert await polls.answer(token_for(ALICE), caller(ALICE), {}) == 1_000
    assert (composer.calls, len(feed.dates), len(feed.tokens)) == (2, 0, 0)
