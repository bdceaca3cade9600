"""Child processes of the launcher: each one's output goes, line by line, to a log file and to a sink that prefixes
the service name; stopping is SIGTERM, then SIGKILL after a grace period."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LogSink = Callable[[str, str], None]
"""Receives (service name, one line of its output without the newline)."""

TAIL_LINES = 40
_LINE_LIMIT = 1 << 20  # a traceback in one JSON log line can pass asyncio's 64 KiB default


class ChildFailed(RuntimeError):
    """A child exited (or never became healthy); the message carries the last lines it printed."""

    def __init__(self, name: str, reason: str, tail: Sequence[str]) -> None:
        lines = "\n".join(f"  {line}" for line in tail) or "  (no output)"
        super().__init__(f"{name}: {reason}\nlast output:\n{lines}")
        self.name = name


@dataclass(eq=False)
class Child:
    name: str
    process: asyncio.subprocess.Process
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    pump: asyncio.Task[None] | None = None

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def failed(self, reason: str) -> ChildFailed:
        return ChildFailed(self.name, reason, list(self.tail))

    async def stop(self, grace: float = 10.0) -> int:
        """SIGTERM, wait up to `grace` seconds, then SIGKILL; return the exit code. Idempotent."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # it may exit between our check and the signal
                self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), grace)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                await self.process.wait()
        if self.pump is not None:
            await self.pump  # drains what the child printed last
        return self.process.returncode if self.process.returncode is not None else -1


async def spawn(name: str, argv: Sequence[str], *, env: Mapping[str, str], sink: LogSink, log_file: Path) -> Child:
    process = await asyncio.create_subprocess_exec(
        *argv,
        env=dict(env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        limit=_LINE_LIMIT,
        # Own process group: Ctrl-C reaches only the launcher, which then stops children in order.
        process_group=0,
    )
    child = Child(name, process)
    child.pump = asyncio.create_task(_pump(child, sink, log_file), name=f"log-{name}")
    return child


async def run_to_end(
    name: str, argv: Sequence[str], *, env: Mapping[str, str], sink: LogSink, log_file: Path, time_limit: float
) -> None:
    """Run a one-shot command (a migration); raise ChildFailed unless it exits 0 within `time_limit` seconds."""
    child = await spawn(name, argv, env=env, sink=sink, log_file=log_file)
    try:
        code = await asyncio.wait_for(child.process.wait(), time_limit)
    except TimeoutError:
        await child.stop(grace=2.0)
        raise child.failed(f"{' '.join(argv[-2:])} did not finish within {time_limit:g}s") from None
    finally:
        if child.returncode is None:
            await child.stop(grace=2.0)  # cancelled (Ctrl-C) while it ran
    if child.pump is not None:
        await child.pump
    if code != 0:
        raise child.failed(f"{' '.join(argv[-2:])} exited with code {code}")


async def _pump(child: Child, sink: LogSink, log_file: Path) -> None:
    stream = child.process.stdout
    assert stream is not None  # spawned with stdout=PIPE
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("a", encoding="utf-8") as log:
        while raw := await stream.readline():
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            child.tail.append(line)
            log.write(line + "\n")
            log.flush()
            sink(child.name, line)
