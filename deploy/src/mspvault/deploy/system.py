"""The whole system in child processes: what `make up` runs, and what e2e tests start programmatically.

`async with start_system(data_dir) as system:` brings up PostgreSQL (one database per service), the broker and its
topics, the mail sink, each service (migrations first, then serve, then wait for GET /health = 200) and last the
HTTPS gateway; on exit it stops them in reverse: gateway, services, mail sink, broker, PostgreSQL.

A service may run as several replicas (`replicas={"vault": 2}`; `make up` reads MSPVAULT_REPLICAS and
MSPVAULT_<SERVICE>_REPLICAS): each is its own process on its own port, named `vault`, `vault-2`, ...; they share
the service's database and consumer group, one of them holds the relay's lock, and the gateway spreads requests
over all of them (mspvault.gateway.replicas).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import ssl
import sys
from collections.abc import AsyncIterator, Awaitable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx

from mspvault.deploy.children import Child, LogSink, run_to_end, spawn
from mspvault.deploy.mailsink import MailSink
from mspvault.deploy.portal import PORTAL_DIR
from mspvault.gateway.tls import ensure_tls
from mspvault.shared.infra.docker import InfraMode
from mspvault.shared.infra.kafka import KafkaBroker, start_kafka
from mspvault.shared.infra.net import free_port
from mspvault.shared.infra.polling import poll_until
from mspvault.shared.infra.postgres import PostgresServer, start_postgres
from mspvault.shared.infra.topics import DEFAULT_PARTITIONS, ensure_topics

SERVICES = ("identity", "provider", "organization", "vault")
# For suites and benches that sign up and log in hundreds of users from one address: the gateway's abuse limits
# raised out of their way. The limits themselves are tested at their real values (tests/integration/gateway).
GENEROUS_RATE_LIMITS = {
    "MSPVAULT_GATEWAY_LOGIN_PER_IP_PER_MINUTE": "100000",
    "MSPVAULT_GATEWAY_LOGIN_PER_ACCOUNT_PER_MINUTE": "100000",
    "MSPVAULT_GATEWAY_PRELOGIN_PER_IP_PER_MINUTE": "100000",
    "MSPVAULT_GATEWAY_REGISTER_PER_IP_PER_HOUR": "100000",
    "MSPVAULT_GATEWAY_INVITES_PER_ORG_PER_HOUR": "100000",
}
INVITING_SERVICES = ("provider", "organization")  # the ones that send invitations (signed with the invite secret)
MAILING_SERVICES = ("identity", *INVITING_SERVICES)  # identity mails two-step codes and email verification links
T = TypeVar("T")


@dataclass(frozen=True)
class Ports:
    identity: int = 8001
    provider: int = 8002
    organization: int = 8003
    vault: int = 8004
    gateway: int = 8443
    smtp: int = 2525
    kafka: int | None = None  # only for an embedded broker we start; None picks a free port

    @classmethod
    def free(cls) -> Ports:
        """Distinct free ports for everything (e2e tests run beside a developer's `make up`)."""
        chosen: set[int] = set()
        while len(chosen) < 7:
            chosen.add(free_port())
        identity, provider, organization, vault, gateway, smtp, kafka = sorted(chosen)
        return cls(identity, provider, organization, vault, gateway, smtp, kafka)

    def of(self, service: str) -> int:
        port: int = getattr(self, service)
        return port


@dataclass(eq=False)
class System:
    """A running system. URLs are what a client or test needs; handles allow fault injection and inspection."""

    data_dir: Path
    gateway_url: str
    ca_path: Path
    service_urls: dict[str, str]
    database_urls: dict[str, str]
    postgres: PostgresServer
    kafka: KafkaBroker
    mail_dir: Path
    logs_dir: Path
    ports: Ports
    children: dict[str, Child] = field(default_factory=dict, repr=False)
    gateway_database_url: str = ""  # the gateways' shared rate-limit counters
    # Every service's replicas: child names ("vault", "vault-2", ...) and their URLs, in the same order.
    replica_names: dict[str, list[str]] = field(default_factory=dict)
    replica_urls: dict[str, list[str]] = field(default_factory=dict)
    # The gateway's worker processes ("gateway", "gateway-2", ...), all on the gateway's one port (SO_REUSEPORT).
    gateway_names: list[str] = field(default_factory=lambda: ["gateway"])
    _envs: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _sink: LogSink = field(default=lambda _name, _line: None, repr=False)
    _python: str = field(default=sys.executable, repr=False)
    _startup_timeout: float = field(default=120.0, repr=False)

    async def wait_for_exit(self) -> tuple[str, int]:
        """Block until any child exits on its own; return its name and exit code."""
        waits = {asyncio.ensure_future(c.process.wait()): name for name, c in self.children.items()}
        try:
            done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()
        first = next(iter(done))
        return waits[first], first.result()

    async def stop_service(self, name: str) -> int:
        """SIGTERM one child (a service or "gateway") and wait for it; its exit code."""
        return await self.children.pop(name).stop()

    async def kill_service(self, name: str) -> int:
        """SIGKILL one child (a replica, say) mid-flight, as a crash would, and wait for it; its exit code."""
        child = self.children.pop(name)
        with contextlib.suppress(ProcessLookupError):
            child.process.send_signal(signal.SIGKILL)
        return await child.stop(grace=5.0)

    async def start_service(self, name: str) -> None:
        """Start a stopped service replica (or the gateway) again with the same environment; wait until healthy."""
        child = await _spawn_server(name, self._envs[name], self._python, self._sink, self.logs_dir)
        self.children[name] = child
        await _wait_healthy(child, self._health_url(name), self._client(name), self._startup_timeout)

    def url_of(self, name: str) -> str:
        """The base URL of one child: the gateway's (every worker's), or a service replica's."""
        service = service_of(name)
        if service == "gateway":
            return self.gateway_url
        return self.replica_urls[service][self.replica_names[service].index(name)]

    def _health_url(self, name: str) -> str:
        return f"{self.url_of(name)}/health"

    def _client(self, name: str) -> httpx.AsyncClient:
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=str(self.ca_path)) if service_of(name) == "gateway" else True
        )
        return httpx.AsyncClient(verify=verify, trust_env=False, timeout=2.0)


@contextlib.asynccontextmanager
async def start_system(
    data_dir: Path,
    ports: Ports | None = None,
    *,
    postgres: PostgresServer | None = None,
    kafka: KafkaBroker | None = None,
    persistent: bool = False,
    infra_mode: InfraMode | None = None,
    database_prefix: str = "",
    topic_partitions: int = DEFAULT_PARTITIONS,
    tls_hosts: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    log_sink: LogSink | None = None,
    python: str = sys.executable,
    startup_timeout: float = 120.0,
    replicas: Mapping[str, int] | None = None,
    gateway_workers: int = 1,
) -> AsyncIterator[System]:
    """Start everything and yield the running `System`; stop everything on exit (also on error or Ctrl-C).

    - `ports`: None picks free ports (tests); the launcher passes its defaults.
    - `postgres` / `kafka`: reuse servers the caller owns (not stopped here); otherwise they are resolved
      (env → Docker → embedded). `persistent` keeps the embedded PostgreSQL data under `<data_dir>/postgres`.
    - `database_prefix`: databases are `<prefix><service>`, so several systems can share one server.
    - `env`: extra variables for every child, applied last (e.g. a cheaper password hash in tests).
    - `replicas`: processes per service (1 where not named); the first uses the service's port in `ports`.
    - `gateway_workers`: gateway processes sharing the gateway's port; the kernel spreads connections over them.
    """
    ports = ports or Ports.free()
    sink = log_sink or (lambda _name, _line: None)
    data_dir, logs_dir, mail_dir = _prepare_dirs(data_dir)

    async with contextlib.AsyncExitStack() as stack:
        if postgres is None:
            postgres = await start_postgres(data_dir=data_dir / "postgres" if persistent else None, mode=infra_mode)
            stack.push_async_callback(asyncio.to_thread, postgres.stop)
        if kafka is None:
            kafka = await start_kafka(port=ports.kafka, mode=infra_mode, log_path=logs_dir / "kafka.log")
            stack.push_async_callback(asyncio.to_thread, kafka.stop)
        await ensure_topics(kafka.bootstrap, partitions=topic_partitions)
        names = {service: f"{database_prefix}{service}" for service in (*SERVICES, "gateway")}
        urls = await _together(*(postgres.create_database(names[s]) for s in (*SERVICES, "gateway")))
        database_urls = dict(zip(SERVICES, urls, strict=False))
        gateway_database_url = urls[-1]

        sink("mail", f"storing mail under {mail_dir}")
        mail = MailSink(mail_dir, port=ports.smtp, on_message=lambda path: sink("mail", f"stored {path}"))
        await mail.start()
        stack.push_async_callback(mail.stop)

        tls = await asyncio.to_thread(ensure_tls, data_dir, tls_hosts)
        system = System(
            data_dir=data_dir,
            gateway_url=f"https://127.0.0.1:{ports.gateway}",
            ca_path=tls.ca_cert,
            service_urls={s: f"http://127.0.0.1:{ports.of(s)}" for s in SERVICES},
            database_urls=database_urls,
            postgres=postgres,
            kafka=kafka,
            mail_dir=mail_dir,
            logs_dir=logs_dir,
            ports=ports,
            gateway_database_url=gateway_database_url,
            _sink=sink,
            _python=python,
            _startup_timeout=startup_timeout,
        )
        for service in SERVICES:
            count = max(1, (replicas or {}).get(service, 1))
            replica_names = [service] + [f"{service}-{i}" for i in range(2, count + 1)]
            extra_ports = [free_port() for _ in replica_names[1:]]
            system.replica_names[service] = replica_names
            system.replica_urls[service] = [system.service_urls[service]] + [
                f"http://127.0.0.1:{port}" for port in extra_ports
            ]
        system.gateway_names = ["gateway"] + [f"gateway-{i}" for i in range(2, max(1, gateway_workers) + 1)]
        system._envs = _environments(system, topic_partitions, env or {})
        stack.push_async_callback(_stop_children, system)

        await _together(
            *(
                run_to_end(
                    s,
                    [python, "-m", f"mspvault.{s}", "migrate"],
                    env=system._envs[s],
                    sink=sink,
                    log_file=logs_dir / f"{s}.log",
                    time_limit=startup_timeout,
                )
                for s in SERVICES
            )
        )
        await _together(*(system.start_service(n) for s in SERVICES for n in system.replica_names[s]))
        # One after another: each worker's health check then reaches a port that already answers.
        for name in system.gateway_names:
            await system.start_service(name)
        yield system


async def _together(*aws: Awaitable[T]) -> list[T]:
    """Like gather, but the first failure cancels the others (and waits for them) before it propagates."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _prepare_dirs(data_dir: Path) -> tuple[Path, Path, Path]:
    data_dir = data_dir.resolve()
    logs_dir, mail_dir = data_dir / "logs", data_dir / "mail"
    for directory in (data_dir, logs_dir, mail_dir):
        directory.mkdir(parents=True, exist_ok=True)
    return data_dir, logs_dir, mail_dir


async def _stop_children(system: System) -> None:
    """Gateway first (it calls the services), then the services together."""
    await asyncio.gather(*(system.stop_service(name) for name in system.gateway_names if name in system.children))
    await asyncio.gather(*(system.stop_service(name) for name in list(system.children)))


def replica_counts(env: Mapping[str, str]) -> dict[str, int]:
    """Processes per service from MSPVAULT_REPLICAS (every service) and MSPVAULT_<SERVICE>_REPLICAS (one)."""
    every = _process_count(env, "MSPVAULT_REPLICAS", 1)
    return {service: _process_count(env, f"MSPVAULT_{service.upper()}_REPLICAS", every) for service in SERVICES}


def gateway_worker_count(env: Mapping[str, str]) -> int:
    """Gateway processes on the one public port, from MSPVAULT_GATEWAY_WORKERS."""
    return _process_count(env, "MSPVAULT_GATEWAY_WORKERS", 1)


def _process_count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 16:
        raise SystemExit(f"{name} must be a whole number from 1 to 16, not {raw!r}")
    return int(raw)


def service_of(name: str) -> str:
    """The service a child runs: "vault-2" -> "vault"."""
    return name.split("-", 1)[0]


def _environments(system: System, partitions: int, extra: Mapping[str, str]) -> dict[str, dict[str, str]]:
    base = {**os.environ, "PYTHONUNBUFFERED": "1"}
    envs: dict[str, dict[str, str]] = {}
    for service in SERVICES:
        prefix = f"MSPVAULT_{service.upper()}_"
        values = {
            "DATABASE_URL": system.database_urls[service],
            "KAFKA_BOOTSTRAP": system.kafka.bootstrap,
            "KAFKA_IDEMPOTENT_PRODUCER": str(system.kafka.idempotent_supported).lower(),
            "TOPIC_PARTITIONS": str(partitions),
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(system.ports.of(service)),
            "IDENTITY_URL": system.service_urls["identity"],
        }
        if service == "identity":  # account recovery and deletion ask these two, as the caller
            values["ORGANIZATION_URL"] = system.service_urls["organization"]
            values["PROVIDER_URL"] = system.service_urls["provider"]
        if service in MAILING_SERVICES:
            values |= {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(system.ports.smtp), "PUBLIC_URL": system.gateway_url}
        if service in INVITING_SERVICES:
            # The services refuse the public development default; one set in the environment wins.
            values["INVITE_SECRET"] = base.get(prefix + "INVITE_SECRET") or invite_secret(system.data_dir)
        envs[service] = base | {prefix + key: value for key, value in values.items()} | dict(extra)
        for name, url in zip(system.replica_names[service][1:], system.replica_urls[service][1:], strict=True):
            envs[name] = envs[service] | {prefix + "HTTP_PORT": url.rsplit(":", 1)[1]}
    gateway = {
        "HTTP_HOST": "127.0.0.1",
        "HTTPS_PORT": str(system.ports.gateway),
        "DATA_DIR": str(system.data_dir),
        "PUBLIC_URL": system.gateway_url,
        "KAFKA_BOOTSTRAP": system.kafka.bootstrap,
        "PORTAL_DIR": str(PORTAL_DIR / "dist"),  # built by `make portal`
        "DATABASE_URL": system.gateway_database_url,
    } | {f"{s.upper()}_URL": ",".join(system.replica_urls[s]) for s in SERVICES}
    if len(system.gateway_names) > 1:
        gateway["SHARE_PORT"] = "true"
    envs["gateway"] = base | {f"MSPVAULT_GATEWAY_{key}": value for key, value in gateway.items()} | dict(extra)
    for name in system.gateway_names[1:]:
        envs[name] = envs["gateway"]
    return envs


def invite_secret(data_dir: Path) -> str:
    """This data directory's invite-link secret: random, made once, kept (0600) so links mailed before a restart
    still open."""
    path = data_dir / "invite-secret"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another launcher on the same directory won the race: use its secret
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(secret + "\n")
    return secret


async def _spawn_server(name: str, env: Mapping[str, str], python: str, sink: LogSink, logs_dir: Path) -> Child:
    argv = [python, "-m", f"mspvault.{service_of(name)}"]
    return await spawn(name, argv, env=env, sink=sink, log_file=logs_dir / f"{name}.log")


async def _wait_healthy(child: Child, url: str, client: httpx.AsyncClient, time_limit: float) -> None:
    async def healthy() -> bool:
        if child.returncode is not None:
            raise child.failed(f"exited with code {child.returncode} before {url} answered 200")
        try:
            return (await client.get(url)).status_code == 200
        except httpx.TransportError:
            return False  # not listening yet

    async with client:
        try:
            await poll_until(healthy, timeout=time_limit, interval=0.1, what=f"{child.name} at {url}")
        except TimeoutError as exc:
            raise child.failed(str(exc)) from None
