"""The shedding lane (gateway/shedding.py): at most `in_flight` run, at most `queue` wait (in order), none waits
past `max_wait_seconds`, and a place is never lost when a waiter gives up or is cancelled."""

from __future__ import annotations

import asyncio

import pytest

from mspvault.gateway.shedding import Lane
from mspvault.shared.settings import LaneLimit


async def test_in_flight_then_queue_then_shed() -> None:
    lane = Lane(LaneLimit(in_flight=2, queue=1, max_wait_seconds=30))
    assert await lane.enter()
    assert await lane.enter()
    waiter = asyncio.ensure_future(lane.enter())
    await asyncio.sleep(0)  # let it join the queue
    assert len(lane.waiting) == 1
    assert not await lane.enter()  # queue full: shed at once
    lane.leave()  # the place passes to the waiter
    assert await waiter
    assert lane.running == 2
    lane.leave()
    lane.leave()
    assert lane.running == 0
    assert (lane.accepted, lane.shed) == (3, 1)


async def test_waiting_past_the_limit_is_shed_and_frees_its_queue_place() -> None:
    lane = Lane(LaneLimit(in_flight=1, queue=1, max_wait_seconds=0.01))
    assert await lane.enter()
    assert not await lane.enter()  # waited 10 ms, nobody left
    assert not lane.waiting
    lane.leave()
    assert lane.running == 0
    assert await lane.enter()  # the place is free again


async def test_a_cancelled_waiter_leaves_no_trace() -> None:
    lane = Lane(LaneLimit(in_flight=1, queue=2, max_wait_seconds=30))
    assert await lane.enter()
    gone = asyncio.ensure_future(lane.enter())
    stays = asyncio.ensure_future(lane.enter())
    await asyncio.sleep(0)
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    lane.leave()
    assert await stays
    lane.leave()
    assert (lane.running, len(lane.waiting)) == (0, 0)


async def test_a_place_handed_to_a_waiter_that_is_cancelled_passes_on() -> None:
    lane = Lane(LaneLimit(in_flight=1, queue=2, max_wait_seconds=30))
    assert await lane.enter()
    first = asyncio.ensure_future(lane.enter())
    second = asyncio.ensure_future(lane.enter())
    await asyncio.sleep(0)
    lane.leave()  # handed to `first`…
    first.cancel()  # …which goes away before it runs
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await second
    lane.leave()
    assert lane.running == 0
