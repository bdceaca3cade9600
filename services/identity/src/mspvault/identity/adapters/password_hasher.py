"""The server's own slow hash of the client's master-password hash: argon2id, run off the event loop.

Verification is constant-time inside argon2. An unknown email is verified against a dummy hash with the same
parameters, so the time of a failed login does not tell whether the account exists.

A few hashes run at once (each takes `memory_kib` of RAM and a core); up to `max_waiting` more wait for a slot,
and past that a hash is refused at once (`HashPoolSaturated`, answered 503 + Retry-After) rather than queued
without bound: a login flood then costs the flooder a fast refusal, not everyone a growing wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class HashPoolSaturated(Exception):
    """Every slot is busy and the queue is full: come back in a moment."""

    retry_after_seconds = 1


class PasswordHashing:
    def __init__(
        self, *, time_cost: int, memory_kib: int, parallelism: int, max_concurrency: int = 4, max_waiting: int = 32
    ) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        # Each hash takes `memory_kib` of RAM and a core for tens of milliseconds: bound how many run at once.
        self._slots = asyncio.Semaphore(max_concurrency)
        self.max_waiting = max_waiting
        self.waiting = 0
        self._dummy_hash: str | None = None

    @contextlib.asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        if self._slots.locked() and self.waiting >= self.max_waiting:
            raise HashPoolSaturated
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._slots.release()

    async def hash(self, secret: str) -> str:
        async with self._slot():
            return await asyncio.to_thread(self._hasher.hash, secret)

    async def verify(self, stored_hash: str, secret: str) -> bool:
        async with self._slot():
            return await asyncio.to_thread(self._verify, stored_hash, secret)

    async def verify_unknown_account(self, secret: str) -> None:
        """Spend the same time a real verification would; the answer is always 'no'."""
        await self.verify(await self._dummy(), secret)

    def needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    async def prepare(self) -> None:
        await self._dummy()

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(secrets.token_urlsafe(32))
        return self._dummy_hash

    def _verify(self, stored_hash: str, secret: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, secret)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
