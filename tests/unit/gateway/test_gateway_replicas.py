"""The gateway over several replicas of a service: spread, health, and which failures are retried where."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable

import httpx
import pytest

from mspvault.gateway.replicas import ReplicaPool, ReplicaPools, ReplicaTransport, balance, replica_urls
from mspvault.shared.testing import wait_until

A, B = "http://127.0.0.1:9001", "http://127.0.0.1:9002"


class Upstreams:
    """Stands in for the network: records which replica got each request; `broken` maps a port to its failure."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str, str]] = []
        self.broken: dict[int, Callable[[httpx.Request], Exception]] = {}
        self.ready: dict[int, int] = {9001: 200, 9002: 200}

    def handler(self, request: httpx.Request) -> httpx.Response:
        port = request.url.port or 80
        if port in self.broken:
            raise self.broken[port](request)
        self.seen.append((port, request.method, request.url.path))
        if request.url.path == "/ready":
            return httpx.Response(self.ready[port])
        return httpx.Response(200, json={"port": port})


def client(upstreams: Upstreams) -> tuple[httpx.AsyncClient, ReplicaPool]:
    bases, pools = balance({"vault": f"{A}, {B}/", "identity": A})
    assert bases == {"vault": "http://vault.replicas", "identity": A}
    inner = httpx.MockTransport(upstreams.handler)
    return httpx.AsyncClient(transport=inner, mounts=pools.mounts(inner)), pools.pools["vault"]


def refused(request: httpx.Request) -> Exception:
    return httpx.ConnectError("refused", request=request)


def reset_after_sending(request: httpx.Request) -> Exception:
    return httpx.ReadError("connection reset", request=request)


def test_a_setting_lists_one_or_more_replicas() -> None:
    assert replica_urls("http://a:1/, http://b:2") == ["http://a:1", "http://b:2"]
    assert replica_urls("http://a:1") == ["http://a:1"]


async def test_requests_are_spread_round_robin_over_healthy_replicas() -> None:
    upstreams = Upstreams()
    http, _ = client(upstreams)
    async with http:
        for _ in range(10):
            assert (await http.get("http://vault.replicas/api/sync?x=1")).status_code == 200
    assert Counter(port for port, _, _ in upstreams.seen) == {9001: 5, 9002: 5}
    assert {path for _, _, path in upstreams.seen} == {"/api/sync"}


async def test_a_read_on_a_dead_replica_is_retried_once_on_another_and_the_dead_one_leaves_the_rotation() -> None:
    upstreams = Upstreams()
    upstreams.broken[9001] = reset_after_sending
    http, pool = client(upstreams)
    async with http:
        answers = [await http.get("http://vault.replicas/api/ciphers") for _ in range(6)]
    assert [r.json()["port"] for r in answers] == [9002] * 6
    assert [r.healthy for r in pool.replicas] == [False, True]
    assert len(upstreams.seen) == 6  # every request answered by the live one, each after at most one failed try


async def test_a_write_that_was_sent_is_never_retried() -> None:
    upstreams = Upstreams()
    upstreams.broken[9001] = reset_after_sending
    http, _ = client(upstreams)
    async with http:
        with pytest.raises(httpx.ReadError):
            await http.post("http://vault.replicas/api/ciphers", content=b"{}")
    assert upstreams.seen == []  # the other replica never saw it: the caller gets a 502 and decides


async def test_a_write_whose_connection_was_refused_goes_to_another_replica() -> None:
    upstreams = Upstreams()
    upstreams.broken[9001] = refused
    http, _ = client(upstreams)
    async with http:
        answer = await http.post("http://vault.replicas/api/ciphers", content=b"{}")
    assert answer.json()["port"] == 9002
    assert upstreams.seen == [(9002, "POST", "/api/ciphers")]


async def test_a_slow_answer_is_not_retried() -> None:
    upstreams = Upstreams()
    upstreams.broken[9001] = lambda request: httpx.ReadTimeout("slow", request=request)
    http, pool = client(upstreams)
    async with http:
        with pytest.raises(httpx.ReadTimeout):
            await http.get("http://vault.replicas/api/sync")
    assert upstreams.seen == []
    assert all(r.healthy for r in pool.replicas)


async def test_readiness_checks_take_a_stopping_replica_out_and_bring_it_back() -> None:
    upstreams = Upstreams()
    http, pool = client(upstreams)
    pools = ReplicaPools({"vault": pool})
    upstreams.ready[9002] = 503  # SIGTERM: /ready answers 503 while in-flight requests finish
    stop = asyncio.Event()
    async with http:
        watching = asyncio.create_task(pools.watch(http, stop))
        await wait_until(lambda: not pool.replicas[1].healthy)
        upstreams.ready[9002] = 200
        await wait_until(lambda: pool.replicas[1].healthy)
        stop.set()
        await watching


async def test_with_every_replica_down_it_still_tries_one() -> None:
    pool = ReplicaPool.of("vault", [A, B])
    for replica in pool.replicas:
        pool.mark_down(replica, "test")
    assert pool.pick() in pool.replicas
    transport = ReplicaTransport(pool, httpx.MockTransport(Upstreams().handler))
    async with httpx.AsyncClient(mounts={pool.virtual_url: transport}) as http:
        assert (await http.get("http://vault.replicas/x")).status_code == 200


async def test_a_slow_readiness_check_takes_a_replica_out_only_when_it_repeats() -> None:
    upstreams = Upstreams()
    http, pool = client(upstreams)
    pools = ReplicaPools({"vault": pool})
    upstreams.broken[9002] = lambda request: httpx.ReadTimeout("busy", request=request)
    async with http:
        await pools._check(http, pool, pool.replicas[1])
        assert pool.replicas[1].healthy  # once is busy
        await pools._check(http, pool, pool.replicas[1])
        await pools._check(http, pool, pool.replicas[1])
        assert not pool.replicas[1].healthy  # three times in a row is out
        del upstreams.broken[9002]
        await pools._check(http, pool, pool.replicas[1])
        assert pool.replicas[1].healthy
