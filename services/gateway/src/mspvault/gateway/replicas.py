"""Spreading the gateway's calls over a service's replicas, when it is given several (`make up` with replicas).

A service URL setting may list replicas, comma-separated (`MSPVAULT_GATEWAY_VAULT_URL=http://127.0.0.1:8004,
http://127.0.0.1:8104`). Each such service gets a virtual base URL (`http://vault.replicas`) and an httpx transport
mounted for it, so every caller (the forwarder, the typed clients, the JWKS reader) is balanced without knowing:

- **round robin over the healthy replicas**; a replica is healthy while its `/ready` answers 200 (checked every
  `CHECK_SECONDS`), and leaves the rotation at once when a connection to it fails, so a dead replica stops getting
  requests within a second, and a stopping one (SIGTERM: `/ready` 503) before its listener closes; a check that
  times out counts only after `SLOW_CHECKS_DOWN` in a row (a loaded replica is slow, not dead);
- **idempotent reads** (GET, HEAD, OPTIONS) that fail in transport (refused, reset, no answer) are **retried once
  on another replica**;
- **writes are never retried blindly**: only when the connection could not be made at all, so the request never
  reached a service (and its body is in memory). A write that failed after it was sent answers 502, as before:
  the client decides, since the service may have applied it.

With one URL a service is called directly, unchanged (on Kubernetes the Service object balances over the pods).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

CHECK_SECONDS = 0.25  # how often each replica's /ready is asked
CHECK_TIMEOUT_SECONDS = 1.0
SLOW_CHECKS_DOWN = 3  # a replica that answers too slowly this many times in a row is out (busy is not dead)
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})


def replica_urls(setting: str) -> list[str]:
    """The replicas a service URL setting names (one or more, comma-separated), without trailing slashes."""
    return [url.strip().rstrip("/") for url in setting.split(",") if url.strip()]


@dataclass(eq=False)
class Replica:
    url: httpx.URL
    healthy: bool = True
    failures: int = 0


@dataclass(eq=False)
class ReplicaPool:
    """One service's replicas and which of them take requests."""

    service: str
    replicas: list[Replica]
    _turn: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def of(cls, service: str, urls: Sequence[str]) -> ReplicaPool:
        return cls(service, [Replica(httpx.URL(url)) for url in urls])

    @property
    def virtual_url(self) -> str:
        return f"http://{self.service}.replicas"

    def pick(self, avoid: Replica | None = None) -> Replica:
        """The next healthy replica (not `avoid` when another exists); with none healthy, the next one anyway:
        a request that may fail beats a certain 503 while the checks catch up."""
        candidates = [r for r in self.replicas if r.healthy and r is not avoid]
        if not candidates:
            candidates = [r for r in self.replicas if r is not avoid] or self.replicas
        return candidates[next(self._turn) % len(candidates)]

    def mark_down(self, replica: Replica, reason: str) -> None:
        if replica.healthy:
            log.warning("replica.down", upstream=self.service, replica=str(replica.url), reason=reason)
        replica.healthy = False

    def mark(self, replica: Replica, healthy: bool) -> None:
        if healthy and not replica.healthy:
            log.info("replica.up", upstream=self.service, replica=str(replica.url))
        elif not healthy:
            self.mark_down(replica, "not ready")
        replica.healthy = healthy


class ReplicaTransport(httpx.AsyncBaseTransport):
    """Sends a request addressed to a pool's virtual URL to one of its replicas (see the module docstring)."""

    def __init__(self, pool: ReplicaPool, inner: httpx.AsyncBaseTransport) -> None:
        self.pool = pool
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        first = self.pool.pick()
        try:
            return await self._send(first, request)
        except httpx.TransportError as error:
            if not self._may_retry(request, error) or len(self.pool.replicas) < 2:
                raise
            second = self.pool.pick(avoid=first)
            log.info("replica.retry", upstream=self.pool.service, method=request.method, error=type(error).__name__)
            return await self._send(second, request)

    async def _send(self, replica: Replica, request: httpx.Request) -> httpx.Response:
        url = request.url.copy_with(scheme=replica.url.scheme, host=replica.url.host, port=replica.url.port)
        outgoing = httpx.Request(request.method, url, headers=request.headers, stream=request.stream)
        outgoing.extensions = request.extensions
        try:
            return await self._inner.handle_async_request(outgoing)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError) as error:
            self.pool.mark_down(replica, type(error).__name__)
            raise

    @staticmethod
    def _may_retry(request: httpx.Request, error: httpx.TransportError) -> bool:
        if isinstance(error, httpx.TimeoutException) and not isinstance(error, httpx.ConnectTimeout):
            return False  # a slow answer is not a dead replica; asking another would double the load
        if request.method in IDEMPOTENT:
            return True
        # A write only when it never left: the connection was refused, so no service saw it.
        return isinstance(error, httpx.ConnectError) and isinstance(request.stream, httpx.ByteStream)

    async def aclose(self) -> None:
        pass  # the inner transport is the client's own, closed with it


@dataclass
class ReplicaPools:
    """Every balanced service's pool, and the loop that checks their replicas' readiness."""

    pools: dict[str, ReplicaPool] = field(default_factory=dict)

    def mounts(self, inner: httpx.AsyncBaseTransport) -> dict[str, httpx.AsyncBaseTransport]:
        return {pool.virtual_url: ReplicaTransport(pool, inner) for pool in self.pools.values()}

    async def watch(self, http: httpx.AsyncClient, stop: asyncio.Event) -> None:
        """Ask every replica's /ready every CHECK_SECONDS until `stop` is set."""
        if not self.pools:
            return
        while not stop.is_set():
            started = time.monotonic()
            await asyncio.gather(
                *(self._check(http, pool, replica) for pool in self.pools.values() for replica in pool.replicas)
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, CHECK_SECONDS - (time.monotonic() - started)))

    @staticmethod
    async def _check(http: httpx.AsyncClient, pool: ReplicaPool, replica: Replica) -> None:
        try:
            response = await http.get(replica.url.join("/ready"), timeout=CHECK_TIMEOUT_SECONDS)
        except httpx.TimeoutException as error:
            replica.failures += 1
            if replica.failures >= SLOW_CHECKS_DOWN:
                pool.mark_down(replica, type(error).__name__)
            return
        except httpx.HTTPError as error:
            pool.mark_down(replica, type(error).__name__)
            return
        replica.failures = 0
        pool.mark(replica, response.status_code == 200)


def balance(urls: dict[str, str]) -> tuple[dict[str, str], ReplicaPools]:
    """For each service's URL setting: the base URL its callers use (virtual when it lists several replicas)."""
    pools = ReplicaPools()
    bases: dict[str, str] = {}
    for service, setting in urls.items():
        listed = replica_urls(setting)
        if len(listed) > 1:
            pool = ReplicaPool.of(service, listed)
            pools.pools[service] = pool
            bases[service] = pool.virtual_url
        else:
            bases[service] = listed[0] if listed else setting
    return bases, pools
