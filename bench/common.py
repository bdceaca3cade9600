"""What every benchmark needs: a running system on free ports, an account, percentiles, a table printer."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import ssl
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from rich.console import Console
from rich.table import Table

from mspvault.client.crypto import AccountKeys, KdfConfig, make_account_keys
from mspvault.client.demo import DemoBuilder, DemoOptions, DemoWorld
from mspvault.client.onboarding import Connection
from mspvault.deploy.system import GENEROUS_RATE_LIMITS, Ports, System, start_system

console = Console()


@contextlib.asynccontextmanager
async def running_system() -> AsyncIterator[System]:
    with tempfile.TemporaryDirectory(prefix="mspvault-bench-") as tmp:
        console.print("[dim]starting the system (embedded PostgreSQL, Tansu, 4 services, gateway)…[/]")
        async with start_system(
            Path(tmp),
            Ports.free(),
            env=GENEROUS_RATE_LIMITS,
            log_sink=lambda _name, _line: None,
            # As the tests do: on a shared machine a step may take minutes (the default 120 s failed runs).
            startup_timeout=float(os.environ.get("MSPVAULT_STARTUP_TIMEOUT", "600")),
        ) as system:
            yield system


OPERATOR = "operator@bench.example"


@contextlib.asynccontextmanager
async def running_demo(tag: str) -> AsyncIterator[tuple[System, Connection, DemoWorld]]:
    """The running system with the demo's world in it (Alice's provider, Contoso, Bob, Carol, Dave): where most
    benches start."""
    os.environ.setdefault("MSPVAULT_IDENTITY_OPERATORS", f'["{OPERATOR}"]')
    async with running_system() as system:
        connection = Connection(system.gateway_url, ca=system.ca_path)
        options = DemoOptions(
            connection=connection,
            mail_dir=system.mail_dir,
            tag=tag,
            operator_email=OPERATOR,
            operator_password="bench-operator",
        )
        yield system, connection, await DemoBuilder(options).build()


def https_client(system: System, *, connections: int = 64) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=system.gateway_url,
        verify=ssl.create_default_context(cafile=str(system.ca_path)),
        trust_env=False,
        timeout=60.0,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )


def account_keys(email: str, password: str = "correct horse battery staple") -> AccountKeys:
    """Real client-side keys; derived once and reused (the server cannot tell, and 600k PBKDF2 rounds are slow)."""
    return _template_keys(password)


@functools.cache
def _template_keys(password: str) -> AccountKeys:
    return make_account_keys("bench@mspvault.test", password, KdfConfig.pbkdf2(600_000))


def register_body(email: str, keys: AccountKeys) -> dict[str, object]:
    return {
        "email": email,
        "name": email.split("@")[0],
        "masterPasswordHash": keys.master_password_hash,
        "masterPasswordHint": None,
        "key": str(keys.protected_user_key),
        "keys": {"publicKey": keys.public_key, "encryptedPrivateKey": str(keys.encrypted_private_key)},
        "kdf": 0,
        "kdfIterations": 600_000,
        "kdfMemory": None,
        "kdfParallelism": None,
    }


@dataclass(frozen=True)
class Figures:
    label: str
    count: int
    seconds: float
    latencies_ms: Sequence[float]

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0


def print_table(title: str, rows: Sequence[Figures], unit: str = "req/s") -> None:
    table = Table(title=title)
    for column in ("measure", "n", unit, "p50 ms", "p95 ms"):
        table.add_column(column, justify="right" if column != "measure" else "left")
    for row in rows:
        table.add_row(row.label, str(row.count), f"{row.rate:,.1f}", f"{row.p50:,.2f}", f"{row.pct(0.95):,.2f}")
    console.print(table)


@dataclass
class CpuUse:
    """The whole machine's CPU use over a measurement (the load generator and every other process included: the
    machine is shared), with the load average at its end."""

    busy: float
    total: float

    @classmethod
    def start(cls) -> CpuUse:
        busy, total = _cpu_times()
        return cls(busy, total)

    def stop(self) -> str:
        busy, total = _cpu_times()
        share = (busy - self.busy) / max(total - self.total, 1e-9)
        load = os.getloadavg()[0]
        return f"CPU {share * 100:.0f} % of {os.cpu_count()} cores busy, load average {load:.1f}"


@dataclass
class ProcessCpu:
    """CPU seconds spent by each process of a running system (the services, the gateway, the broker, PostgreSQL with
    its backends, the load generator) over a measurement: what a unit of work costs, which the machine's load
    (other agents' suites on the same cores) changes far less than it changes rates."""

    pids: dict[str, int]
    start: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, system: System) -> ProcessCpu:
        pids = {name: child.process.pid for name, child in system.children.items()}
        postmaster = system.postgres.data_dir / "postmaster.pid" if system.postgres.data_dir else None
        if postmaster is not None and postmaster.exists():
            pids["postgres"] = int(postmaster.read_text().split("\n", 1)[0])
        for child in psutil.Process().children():
            if "tansu" in child.name():
                pids["broker"] = child.pid
        meter = cls(pids)
        meter.restart()
        return meter

    def _seconds(self) -> dict[str, float]:
        seconds = {}
        for name, pid in self.pids.items():
            try:
                process = psutil.Process(pid)
                # A reaped child's time is counted in its parent's (PostgreSQL's backends in the postmaster's);
                # live ones (its open backends) are added one by one.
                times = process.cpu_times()
                spent = times.user + times.system + times.children_user + times.children_system
                for child in process.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        child_times = child.cpu_times()
                        spent += child_times.user + child_times.system
            except psutil.Error:
                continue
            seconds[name] = spent
        own = psutil.Process().cpu_times()  # the load generator alone, not the children it started
        seconds["load generator"] = own.user + own.system
        return seconds

    idle_per_second: dict[str, float] = field(default_factory=dict)
    started_at: float = 0.0

    async def measure_idle(self, seconds: float = 10.0) -> None:
        """What each process spends doing nothing asked of it (consumers polling, relays and watchers waking):
        subtracted over the measurement, so a slower run is not charged more per unit for its length."""
        before, started = self._seconds(), time.monotonic()
        await asyncio.sleep(seconds)
        after, elapsed = self._seconds(), time.monotonic() - started
        self.idle_per_second = {name: (after[name] - before.get(name, 0.0)) / elapsed for name in after}
        self.restart()

    def restart(self) -> None:
        self.start, self.started_at = self._seconds(), time.monotonic()

    def per_unit(self, units: int, unit: str) -> str:
        """Milliseconds of CPU per unit by process, the largest first, and their sum; then the same less each
        process's idle use over the measurement (when measured)."""
        now, elapsed = self._seconds(), time.monotonic() - self.started_at
        spent = {name: now[name] - self.start.get(name, 0.0) for name in now}
        lines = [_per_unit_line(spent, units, f"CPU ms per {unit}")]
        if self.idle_per_second:
            net = {name: s - self.idle_per_second.get(name, 0.0) * elapsed for name, s in spent.items()}
            idle = 1000 * sum(self.idle_per_second.values())
            lines.append(_per_unit_line(net, units, f"… less idle use ({idle:.0f} ms/s over {elapsed:.0f} s)"))
        return "\n".join(lines)


def _per_unit_line(spent: dict[str, float], units: int, title: str) -> str:
    parts = [f"{name} {1000 * s / units:.1f}" for name, s in sorted(spent.items(), key=lambda kv: -kv[1])]
    return f"{title}: total {1000 * sum(spent.values()) / units:.1f} ({', '.join(parts)})"


def _cpu_times() -> tuple[float, float]:
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    total = sum(times)
    return total - idle, total


def goal_table(title: str, rows: Sequence[tuple[str, str, str, bool]], *, note: str = "") -> None:
    """Each figure beside its goal, and whether it is met."""
    table = Table(title=title, caption=note or None)
    for column in ("measure", "figure", "goal", "met"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for label, figure, goal, met in rows:
        table.add_row(label, figure, goal, "[green]yes[/]" if met else "[red]no[/]")
    console.print(table)
