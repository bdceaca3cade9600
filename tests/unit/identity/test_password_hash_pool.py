"""The password-hash pool runs a few argon2 hashes at once and lets a bounded number wait; past that it refuses at
once (the HTTP layer answers 503 + Retry-After) instead of queueing without bound."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mspvault.identity.adapters.password_hasher import HashPoolSaturated, PasswordHashing
from mspvault.shared.testing.wait import wait_until


class BlockingHasher:
    """Stands in for argon2: each hash waits until the test opens the gate (in the worker thread)."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Semaphore(0)

    def hash(self, secret: str) -> str:
        self.started.release()
        self.gate.wait(10)
        return "hashed:" + secret


async def test_a_full_pool_with_a_full_queue_refuses_at_once() -> None:
    pool = PasswordHashing(time_cost=1, memory_kib=8192, parallelism=1, max_concurrency=1, max_waiting=1)
    blocking = BlockingHasher()
    pool._hasher = blocking  # type: ignore[assignment]
    running = asyncio.create_task(pool.hash("a"))
    await asyncio.to_thread(blocking.started.acquire, True, 5)  # the one slot is taken
    waiting = asyncio.create_task(pool.hash("b"))
    await wait_until(lambda: pool.waiting == 1, timeout=5, message="the second hash queued")

    with pytest.raises(HashPoolSaturated):
        await asyncio.wait_for(pool.hash("c"), 1)  # refused without waiting

    blocking.gate.set()
    assert await running == "hashed:a"
    assert await waiting == "hashed:b"
    assert await pool.hash("d") == "hashed:d"  # room again
    assert pool.waiting == 0


async def test_defaults_bound_the_queue() -> None:
    pool = PasswordHashing(time_cost=1, memory_kib=8192, parallelism=1)
    assert pool.max_waiting >= 1
