"""Sync capacity and graceful overload, with an open-model load generator (a ramping arrival rate, as k6 runs it).

Dora has a 1,000-item personal vault. Requests arrive on a schedule whatever the server does (an arrival that finds
the server slow does not wait for it: it opens another request), so queueing shows in the latencies instead of
slowing the generator down. Every request asks for `Accept-Encoding: gzip, deflate, br` as the official clients do;
bodies are read as they arrive on the wire and not decoded (the generator's own CPU is not the system's).

1. Capacity: the rate ramps to `CAPACITY_GOAL` syncs/s and holds there. Goal: p95 < 1,450 ms and failures < 1 %
   during the hold (the thresholds of Bitwarden's own load tests). CPU use of each process is printed beside it.
2. Overload: syncs at 3× that rate, with logins and small writes (new folders) arriving beside them. Goal: the
   gateway sheds syncs (503 + Retry-After), the p95 of the syncs it accepts stays < 1,450 ms, and logins and writes
   keep succeeding (none shed).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.common import account_keys, console, https_client, register_body, running_system
from bench.sync import create_many, item
from mspvault.client.onboarding import Connection, Person, sign_up
from mspvault.shared.testing.samples import enc_string

ITEMS = 1_000
CAPACITY_GOAL = 20.0  # syncs per second
P95_GOAL_MS = 1_450.0
RAMP_SECONDS = float(os.environ.get("BENCH_RAMP_SECONDS", "15"))
HOLD_SECONDS = float(os.environ.get("BENCH_HOLD_SECONDS", "30"))
OVERLOAD_SECONDS = float(os.environ.get("BENCH_OVERLOAD_SECONDS", "30"))
LOGINS_PER_SECOND = 1.0
WRITES_PER_SECOND = 2.0
MAX_IN_FLIGHT = 400  # k6's maxVUs: past it an arrival is dropped and counted
ACCEPT_ENCODING = "gzip, deflate, br"


@dataclass(frozen=True)
class Stage:
    """The arrival rate moves linearly from `start` to `end` requests/s over `seconds`."""

    start: float
    end: float
    seconds: float


def arrivals(stages: Sequence[Stage]) -> list[float]:
    """Arrival times (s from the start) for a piecewise-linear rate: one each time the integral passes an integer."""
    times: list[float] = []
    offset, owed, step = 0.0, 0.0, 0.001
    for stage in stages:
        t = 0.0
        while t < stage.seconds:
            rate = stage.start + (stage.end - stage.start) * t / stage.seconds
            owed += rate * step
            if owed >= 1.0:
                owed -= 1.0
                times.append(offset + t)
            t += step
        offset += stage.seconds
    return times


@dataclass
class Outcome:
    started: float  # s from the run's start
    ms: float
    status: int  # 0: the request failed on the wire
    retry_after: str | None = None
    size: int = 0


@dataclass
class Series:
    label: str
    outcomes: list[Outcome] = field(default_factory=list)
    dropped: int = 0

    def window(self, start: float, end: float) -> list[Outcome]:
        return [o for o in self.outcomes if start <= o.started < end]


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


class CpuMeter:
    """CPU seconds of named processes (and their children) and of the whole machine, from /proc."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.tick = os.sysconf("SC_CLK_TCK")

    def _proc_seconds(self, pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime

    def _postgres_seconds(self) -> float:
        total = 0.0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if (entry / "comm").read_text().strip() == "postgres":
                        total += self._proc_seconds(int(entry.name))
                except OSError:
                    continue
        return total

    @staticmethod
    def _machine() -> tuple[float, float]:
        parts = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = parts[3] + parts[4]
        return sum(parts) - idle, sum(parts)

    def sample(self) -> dict[str, float]:
        sample = {name: self._proc_seconds(pid) for name, pid in self.pids.items()}
        sample["postgres (all)"] = self._postgres_seconds()
        busy, total = self._machine()
        sample["_busy"], sample["_total"] = busy, total
        sample["_wall"] = time.monotonic()
        return sample

    @staticmethod
    def report(before: dict[str, float], after: dict[str, float]) -> str:
        wall = after["_wall"] - before["_wall"]
        parts = [
            f"{name} {100 * (after[name] - before[name]) / wall:.0f}%" for name in before if not name.startswith("_")
        ]
        machine = 100 * (after["_busy"] - before["_busy"]) / max(1.0, after["_total"] - before["_total"])
        return f"CPU (% of one core): {', '.join(parts)}; machine busy {machine:.0f}% of {os.cpu_count()} cores"


async def drive(schedule: list[float], series: Series, call, origin: float) -> None:
    """Fire `call()` at each scheduled time (relative to `origin`), never waiting for earlier ones to finish."""
    in_flight: set[asyncio.Task[None]] = set()

    async def one() -> None:
        started = time.perf_counter()
        try:
            status, retry_after, size = await call()
        except httpx.HTTPError:
            status, retry_after, size = 0, None, 0
        series.outcomes.append(
            Outcome(started - origin, (time.perf_counter() - started) * 1000, status, retry_after, size)
        )

    for at in schedule:
        delay = origin + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(in_flight) >= MAX_IN_FLIGHT:
            series.dropped += 1
            continue
        task = asyncio.create_task(one())
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    if in_flight:
        await asyncio.gather(*in_flight)


def summary(outcomes: Sequence[Outcome], seconds: float) -> str:
    statuses = Counter(o.status for o in outcomes)
    ok = [o.ms for o in outcomes if o.status == 200]
    shown = ", ".join(f"{status or 'error'}×{n}" for status, n in sorted(statuses.items()))
    return (
        f"{len(outcomes)} sent ({len(outcomes) / seconds:.1f}/s), {len(ok) / seconds:.1f}/s answered 200; "
        f"p50 {pct(ok, 0.5):,.0f} ms, p95 {pct(ok, 0.95):,.0f} ms, max {max(ok, default=0):,.0f} ms; [{shown}]"
    )


async def main() -> None:
    async with running_system() as system:
        connection = Connection(system.gateway_url, ca=system.ca_path)
        dora = await sign_up(connection, Person("Dora", f"dora-{uuid.uuid4().hex[:6]}@bench.test", "dora-bench-pw"))
        console.print(f"[dim]seeding {ITEMS:,} items for Dora…[/]")
        await create_many(dora, [item(n) for n in range(ITEMS)])
        token = dora.session.access_token
        login_email = f"login-{uuid.uuid4().hex[:8]}@bench.test"
        keys = account_keys(login_email)
        pids = {name: child.process.pid for name, child in system.children.items()}
        pids["load generator"] = os.getpid()
        meter = CpuMeter(pids)
        async with https_client(system, connections=MAX_IN_FLIGHT) as client:
            (await client.post("/identity/accounts/register", json=register_body(login_email, keys))).raise_for_status()
            sync_headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": ACCEPT_ENCODING}
            probe = await client.get("/api/sync?excludeDomains=true", headers={"Authorization": f"Bearer {token}"})
            probe.raise_for_status()
            items, plain_size = len(probe.json()["ciphers"]), len(probe.content)

            async def sync() -> tuple[int, str | None, int]:
                async with client.stream("GET", "/api/sync?excludeDomains=true", headers=sync_headers) as response:
                    size = 0
                    async for chunk in response.aiter_raw():
                        size += len(chunk)
                    return response.status_code, response.headers.get("retry-after"), size

            login_form = {
                "scope": "api offline_access",
                "client_id": "cli",
                "deviceType": "25",
                "deviceIdentifier": str(uuid.uuid4()),
                "deviceName": "bench",
                "grant_type": "password",
                "username": login_email,
                "password": keys.master_password_hash,
            }

            async def login() -> tuple[int, str | None, int]:
                response = await client.post("/identity/connect/token", data=login_form)
                return response.status_code, response.headers.get("retry-after"), len(response.content)

            folder_name = enc_string()  # the server only checks an EncString's form

            async def write() -> tuple[int, str | None, int]:
                response = await client.post(
                    "/api/folders", json={"name": folder_name}, headers={"Authorization": f"Bearer {token}"}
                )
                return response.status_code, response.headers.get("retry-after"), len(response.content)

            console.print(
                f"[dim]{items:,} items, {plain_size / 1e6:.2f} MB of JSON uncompressed; ramping to "
                f"{CAPACITY_GOAL:g} syncs/s over {RAMP_SECONDS:g} s, holding {HOLD_SECONDS:g} s…[/]"
            )
            capacity = Series("sync")
            origin = time.perf_counter() + 0.1
            schedule = arrivals(
                [Stage(1.0, CAPACITY_GOAL, RAMP_SECONDS), Stage(CAPACITY_GOAL, CAPACITY_GOAL, HOLD_SECONDS)]
            )
            before = meter.sample()
            hold_cpu: dict[str, float] = {}

            async def mark_hold() -> None:
                await asyncio.sleep(max(0.0, origin + RAMP_SECONDS - time.perf_counter()))
                hold_cpu.update(meter.sample())

            await asyncio.gather(drive(schedule, capacity, sync, origin), mark_hold())
            after = meter.sample()
            hold = capacity.window(RAMP_SECONDS, RAMP_SECONDS + HOLD_SECONDS)
            hold_ok = [o.ms for o in hold if o.status == 200]
            failures = (len(hold) - len(hold_ok) + capacity.dropped) / max(1, len(hold))
            sizes = [o.size for o in hold if o.status == 200]
            console.print(f"ramp 1→{CAPACITY_GOAL:g}/s: {summary(capacity.window(0, RAMP_SECONDS), RAMP_SECONDS)}")
            console.print(f"hold {CAPACITY_GOAL:g}/s:  {summary(hold, HOLD_SECONDS)}")
            console.print(f"  bytes on the wire per sync: {pct(sizes, 0.5) / 1e6:.2f} MB ({ACCEPT_ENCODING!r} asked)")
            console.print(f"  {CpuMeter.report(hold_cpu or before, after)}")
            verdict = "met" if len(hold_ok) / HOLD_SECONDS >= 0.99 * CAPACITY_GOAL and failures < 0.01 else "NOT met"
            console.print(
                f"sync capacity: [bold]{len(hold_ok) / HOLD_SECONDS:.1f}[/] syncs/s of {items:,} items, "
                f"p95 [bold]{pct(hold_ok, 0.95):,.0f} ms[/], failures {100 * failures:.1f} % "
                f"(goal ≥ {CAPACITY_GOAL:g}/s, p95 < {P95_GOAL_MS:,.0f} ms, failures < 1 %): {verdict}"
            )

            offered = 3 * CAPACITY_GOAL
            console.print(
                f"[dim]overload: {offered:g} syncs/s (3× the goal) for {OVERLOAD_SECONDS:g} s, with "
                f"{LOGINS_PER_SECOND:g} login/s and {WRITES_PER_SECOND:g} writes/s beside them…[/]"
            )
            syncs, logins, writes = Series("sync"), Series("login"), Series("write")
            origin = time.perf_counter() + 0.1
            flat = [Stage(offered, offered, OVERLOAD_SECONDS)]
            before = meter.sample()
            await asyncio.gather(
                drive(arrivals(flat), syncs, sync, origin),
                drive(arrivals([Stage(LOGINS_PER_SECOND, LOGINS_PER_SECOND, OVERLOAD_SECONDS)]), logins, login, origin),
                drive(arrivals([Stage(WRITES_PER_SECOND, WRITES_PER_SECOND, OVERLOAD_SECONDS)]), writes, write, origin),
            )
            after = meter.sample()
        accepted = [o.ms for o in syncs.outcomes if o.status == 200]
        shed = [o for o in syncs.outcomes if o.status == 503]
        console.print(f"syncs:  {summary(syncs.outcomes, OVERLOAD_SECONDS)}")
        console.print(f"logins: {summary(logins.outcomes, OVERLOAD_SECONDS)}")
        console.print(f"writes: {summary(writes.outcomes, OVERLOAD_SECONDS)}")
        console.print(f"  {CpuMeter.report(before, after)}")
        kept = all(o.status == 200 for o in (*logins.outcomes, *writes.outcomes))
        retry = sorted({o.retry_after for o in shed if o.retry_after})
        verdict = "met" if shed and pct(accepted, 0.95) < P95_GOAL_MS and kept else "NOT met"
        console.print(
            f"graceful overload at {offered:g} syncs/s: {len(shed)} shed (503, Retry-After {retry}), "
            f"p95 of accepted syncs [bold]{pct(accepted, 0.95):,.0f} ms[/] (goal < {P95_GOAL_MS:,.0f} ms), "
            f"logins and writes all 200: {kept}: {verdict}"
        )
        await dora.aclose()


if __name__ == "__main__":
    asyncio.run(main())
