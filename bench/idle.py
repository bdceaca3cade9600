"""What a running system with data in it spends doing nothing asked of it: CPU per process, in ms per second.

Starts the system with the demo's world in it, lets the work the demo caused settle, then reads each process's CPU
time (the kernel's counters, so other agents' load on the shared cores changes it far less than a rate) over a few
windows and prints the median window per process. Before the ops reader released its partitions (issue 12), this
read ~1.2 cores with the demo world: the lag monitor of every service kept fetching every 5 ms between measurements.
"""

from __future__ import annotations

import asyncio
import statistics

from rich.table import Table

from bench.common import CpuUse, ProcessCpu, console, running_demo

SETTLE_SECONDS = 30.0  # the demo's events are applied and each lag monitor has measured once well within this
WINDOWS = 3
WINDOW_SECONDS = 15.0


async def idle_use(meter: ProcessCpu) -> dict[str, list[float]]:
    """Each process's ms of CPU per second in each window."""
    windows: dict[str, list[float]] = {}
    for _ in range(WINDOWS):
        await meter.measure_idle(WINDOW_SECONDS)
        for name, seconds in meter.idle_per_second.items():
            windows.setdefault(name, []).append(1000 * seconds)
    return windows


def print_idle(windows: dict[str, list[float]], note: str) -> None:
    table = Table(title="An idle system with the demo world in it: CPU ms per second", caption=note)
    for column in ("process", "median", "windows"):
        table.add_column(column, justify="left" if column == "process" else "right")
    medians = {name: statistics.median(values) for name, values in windows.items()}
    for name, median in sorted(medians.items(), key=lambda kv: -kv[1]):
        table.add_row(name, f"{median:,.0f}", " / ".join(f"{v:,.0f}" for v in windows[name]))
    table.add_row("all", f"{sum(medians.values()):,.0f}", "")
    console.print(table)


async def main() -> None:
    async with running_demo("idle") as (system, _connection, _world):
        console.print(f"[dim]letting the demo's work settle for {SETTLE_SECONDS:.0f} s…[/]")
        await asyncio.sleep(SETTLE_SECONDS)
        machine = CpuUse.start()
        windows = await idle_use(ProcessCpu.of(system))
        note = f"{WINDOWS} windows of {WINDOW_SECONDS:.0f} s; the machine meanwhile: {machine.stop()}"
        print_idle(windows, note)
