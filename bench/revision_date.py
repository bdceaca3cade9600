"""`GET /api/accounts/revision-date` through the HTTPS gateway: every client polls it, so it should be nearly free.

The four people of `mspvault demo`'s world (memberships in every service) poll in turn, from `wrk` (Debian's
`wrk` package: keep-alive connections, TLS, a Lua script rotating the tokens) for a fixed time; CPU use of the
whole machine is printed beside the rate, since the load generator shares it. Without `wrk` on the PATH an async
Python client stands in (it saturates well below the gateway; the figure says which was used).
Goal (issue 12 #5): ≥ 2,000 req/s.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import CpuUse, Figures, console, goal_table, https_client, running_demo
from mspvault.client.onboarding import log_in

PATH = "/api/accounts/revision-date"
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
CONNECTIONS = 32
GOAL_RPS = 2_000.0

LUA = """
tokens = {%s}
i = 0
request = function()
  i = i %% #tokens + 1
  return wrk.format("GET", "%s", {["Authorization"] = "Bearer " .. tokens[i]})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


async def with_wrk(url: str, tokens: list[str]) -> tuple[Figures, str]:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "poll.lua"
        script.write_text(LUA % (", ".join(f'"{t}"' for t in tokens), PATH))
        process = await asyncio.create_subprocess_exec(
            "wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script), url,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await process.communicate()
    text = out.decode()
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", text)
    if found is None:
        raise RuntimeError(f"wrk said:\n{text}")
    requests, duration_us, p50, p95, p99, bad_status, socket_errors = map(int, found.groups())
    if requests == 0:  # seen once at load average 52: say what wrk said rather than a bare 0
        console.print(f"[yellow]wrk completed no request:[/]\n{text}")
    # wrk keeps a histogram, not each latency: p50/p95 stand for the distribution in Figures.
    latencies = [p50 / 1000] * 50 + [p95 / 1000] * 45 + [p99 / 1000] * 5
    seconds = max(duration_us / 1e6, 1e-9)
    figures = Figures(f"GET {PATH} (wrk, {CONNECTIONS} connections)", requests, seconds, latencies)
    return figures, f"{bad_status} non-2xx, {socket_errors} socket errors"


async def with_python(system, tokens: list[str]) -> tuple[Figures, str]:
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + SECONDS

    async with https_client(system, connections=CONNECTIONS) as client:

        async def worker(n: int) -> None:
            nonlocal failures
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get(PATH, headers={"Authorization": f"Bearer {tokens[n % len(tokens)]}"})
                failures += response.is_error
                latencies.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(CONNECTIONS)))
    figures = Figures(f"GET {PATH} (Python client, {CONNECTIONS} concurrent)", len(latencies),
                      time.perf_counter() - started, latencies)  # fmt: skip
    return figures, f"{failures} failed"


async def main() -> None:
    async with running_demo("revdate") as (system, connection, world):
        people = [await log_in(connection, person) for person in (world.alice, world.bob, world.carol, world.dave)]
        tokens = [person.session.access_token for person in people]
        try:
            cpu = CpuUse.start()
            if shutil.which("wrk"):
                figures, errors = await with_wrk(system.gateway_url, tokens)
            else:
                console.print("[yellow]wrk is not installed (apt-get install wrk): using the Python client[/]")
                figures, errors = await with_python(system, tokens)
            used = cpu.stop()
        finally:
            for person in people:
                await person.aclose()
    goal_table(
        "Revision-date polling through the gateway (issue 12 #5)",
        [(figures.label, f"{figures.rate:,.0f} req/s", f"≥ {GOAL_RPS:,.0f} req/s", figures.rate >= GOAL_RPS)],
        note=f"p50 {figures.p50:.1f} ms, p95 {figures.pct(0.95):.1f} ms; {errors}; {used}",
    )


if __name__ == "__main__":
    asyncio.run(main())
