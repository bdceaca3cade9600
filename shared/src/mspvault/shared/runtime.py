"""The composition of one service process: HTTP app, database, consumers and outbox relay, built once at start.

A service describes itself with `ServiceParts` (its settings, tables, routers, event handlers, migrations); this
module wires the shared plumbing around it. Nothing is built at import time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.constants import REF_TEMPLATE
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from sqlalchemy import MetaData, Table, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from mspvault.shared.auth.stamps import SecurityStamps, watch_stamps
from mspvault.shared.auth.verifier import JwksVerifier
from mspvault.shared.clock import Clock, utc_now
from mspvault.shared.contracts import load_all_contracts
from mspvault.shared.db.engine import make_engine, make_session_factory
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.http.errors import install_error_handlers
from mspvault.shared.http.metrics import RequestMetricsMiddleware, install_metrics_endpoint
from mspvault.shared.messaging.inbox import InboxConsumer
from mspvault.shared.messaging.producer import make_producer
from mspvault.shared.messaging.relay import OutboxRelay, asyncpg_dsn
from mspvault.shared.messaging.router import EventRouter
from mspvault.shared.messaging.session_endings import IDENTITY_TOPIC, SessionEndings
from mspvault.shared.messaging.tables import MessagingTables
from mspvault.shared.observability.correlation import CorrelationIdMiddleware
from mspvault.shared.observability.logging import configure_logging, get_logger
from mspvault.shared.observability.origin import RequestOriginMiddleware
from mspvault.shared.ops import service_api as ops_api
from mspvault.shared.ops.lag import run_lag_monitor
from mspvault.shared.serving import Draining, serve
from mspvault.shared.settings import ServiceSettings

log = get_logger(__name__)


@dataclass
class ServiceParts:
    settings: ServiceSettings
    metadata: MetaData
    tables: MessagingTables
    migrations: Path
    routers: Sequence[APIRouter] = ()
    events: EventRouter[Any] = field(default_factory=EventRouter)
    # Extra objects the service's routes need (e.g. a signer), stored on app.state by name.
    state: dict[str, Any] = field(default_factory=dict)
    startup: Sequence[Callable[[FastAPI], Any]] = ()
    # Long-running loops (e.g. a MailSender) started with the service and stopped with it.
    background: Sequence[Callable[[Runtime, asyncio.Event], Coroutine[Any, Any, None]]] = ()
    title: str = "MSPVault service"
    # The service's one clock: routes get it as `AppClock`/`Now`, handlers as `work.clock`.
    clock: Clock = utc_now
    # The service's `security_stamps` table (`mspvault.shared.auth.stamps`): tokens of a rotated stamp are refused.
    security_stamps: Table | None = None
    # Models an answer written by hand is made of though no route returns them (the provider's client items, which
    # the gateway writes from compact rows): documented in the OpenAPI document for the gateway's to refer to.
    documented: Sequence[type[BaseModel]] = ()


@dataclass
class Runtime:
    """What a running service holds; kept on `app.state.runtime` for dependencies and tests."""

    parts: ServiceParts
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    broker: KafkaBroker
    consumer: InboxConsumer
    relay: OutboxRelay
    draining: Draining = field(default_factory=Draining)  # set by the first stop signal: /ready turns 503

    def unit_of_work(self) -> UnitOfWork:
        return _unit_of_work(self.parts, self.session_factory)


def _unit_of_work(parts: ServiceParts, session_factory: async_sessionmaker[AsyncSession]) -> UnitOfWork:
    return UnitOfWork(
        session_factory, parts.tables, service=parts.settings.service_name, topic=parts.settings.events_topic
    )


def build_runtime(parts: ServiceParts) -> Runtime:
    settings = parts.settings
    engine = make_engine(settings.database_url)
    session_factory = make_session_factory(engine)
    auth = settings.kafka_auth()
    broker = KafkaBroker(
        settings.kafka_bootstrap,
        security=auth.faststream(),
        acks="all",
        enable_idempotence=settings.kafka_idempotent_producer,
        client_id=f"mspvault-{settings.service_name}",
        logger=None,
    )
    consumer = InboxConsumer(
        consumer=settings.service_name,
        router=parts.events,
        uow_factory=lambda: _unit_of_work(parts, session_factory),
        tables=parts.tables,
        max_attempts=settings.consumer_max_attempts,
        retry_base_seconds=settings.consumer_retry_base_seconds,
        fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
        consumer_timeout_ms=settings.consumer_timeout_ms,
    )
    consumer.attach(broker)
    if parts.security_stamps is not None and IDENTITY_TOPIC in parts.events.topics:  # identity records its own
        endings = SessionEndings(
            consumer=settings.service_name,
            table=parts.security_stamps,
            sessions=session_factory,
            fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
        )
        endings.attach(broker)
    relay = OutboxRelay(
        service=settings.service_name,
        dsn=asyncpg_dsn(settings.database_url),
        producer_factory=lambda: make_producer(
            settings.kafka_bootstrap,
            idempotent=settings.kafka_idempotent_producer,
            client_id=f"mspvault-{settings.service_name}-relay",
            auth=auth,
        ),
        poll_seconds=settings.relay_poll_seconds,
    )
    return Runtime(parts, engine, session_factory, broker, consumer, relay)


def document_models(app: FastAPI, models: Sequence[type[BaseModel]]) -> None:
    """Add `models` to the components of the app's OpenAPI document, as FastAPI writes a response model."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            _, extra = models_json_schema([(model, "serialization") for model in models], ref_template=REF_TEMPLATE)
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, model_schema in extra.get("$defs", {}).items():
                schemas.setdefault(name, model_schema)
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(parts: ServiceParts) -> FastAPI:
    load_all_contracts()
    runtime = build_runtime(parts)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        tasks = [asyncio.create_task(runtime.relay.run(stop), name=f"{parts.settings.service_name}-relay")]
        tasks += [asyncio.create_task(loop(runtime, stop)) for loop in parts.background]
        if stamps is not None:
            await _first_read(stamps, runtime)
            poll = parts.settings.security_stamp_poll_seconds
            dsn = asyncpg_dsn(parts.settings.database_url)
            watch = watch_stamps(stamps, runtime.session_factory, stop, poll_seconds=poll, dsn=dsn)
            tasks.append(asyncio.create_task(watch, name=f"{parts.settings.service_name}-stamps"))
        lag = run_lag_monitor(
            parts.settings.kafka_bootstrap,
            runtime.consumer.consumer,
            parts.events.topics,
            stop,
            auth=parts.settings.kafka_auth(),
        )
        tasks.append(asyncio.create_task(lag, name=f"{parts.settings.service_name}-lag"))
        await runtime.broker.start()
        for hook in parts.startup:
            result = hook(app)
            if asyncio.iscoroutine(result):
                await result
        log.info("service.started", port=parts.settings.http_port)
        try:
            yield
        finally:
            stop.set()
            await runtime.broker.stop()
            await asyncio.gather(*tasks)
            await runtime.engine.dispose()

    stamps = None
    if parts.security_stamps is not None:
        window = timedelta(seconds=parts.settings.security_stamp_window_seconds)
        stamps = SecurityStamps(parts.security_stamps, window=window, clock=parts.clock)

    app = FastAPI(title=parts.title, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.security_stamps = stamps  # read by the shared `authenticated` dependency
    app.state.verifier = JwksVerifier(parts.settings.identity_url, issuer=parts.settings.issuer)
    for name, value in parts.state.items():
        setattr(app.state, name, value)
    install_error_handlers(app)
    install_metrics_endpoint(app)
    app.add_middleware(RequestMetricsMiddleware, service=parts.settings.service_name)
    app.add_middleware(RequestOriginMiddleware)  # device type and address, for the actors of published events
    app.add_middleware(CorrelationIdMiddleware)

    async def checks() -> dict[str, bool]:
        found: dict[str, bool] = {}
        try:
            async with runtime.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            found["database"] = True
        except Exception:  # reported, not raised: health answers whatever is broken
            found["database"] = False
        found["broker"] = runtime.broker.running
        found["relay"] = runtime.relay.active.is_set()  # the one replica that publishes; the others stand by
        return found

    @app.get("/health", include_in_schema=False)
    async def health() -> JSONResponse:
        found = await checks()
        healthy = found["database"] and found["broker"]
        body = {"status": "ok" if healthy else "degraded", "service": parts.settings.service_name, "checks": found}
        return JSONResponse(body, status_code=200 if healthy else 503)

    @app.get("/live", include_in_schema=False)
    async def live() -> JSONResponse:
        """Liveness: the process answers. Never the database or broker, so their outage restarts nothing."""
        return JSONResponse({"status": "alive", "service": parts.settings.service_name})

    @app.get("/ready", include_in_schema=False)
    async def ready() -> JSONResponse:
        """Readiness: database and broker reachable, and not stopping (false from the first stop signal on)."""
        if runtime.draining.active:
            return JSONResponse({"status": "stopping", "service": parts.settings.service_name}, status_code=503)
        found = await checks()
        healthy = found["database"] and found["broker"]
        body = {"status": "ready" if healthy else "degraded", "service": parts.settings.service_name, "checks": found}
        return JSONResponse(body, status_code=200 if healthy else 503)

    for router in parts.routers:
        app.include_router(router)
    if parts.documented:
        document_models(app, parts.documented)
    app.include_router(ops_api.router)  # operators only; under /internal, so the gateway never exposes it
    return app


async def _first_read(stamps: SecurityStamps, runtime: Runtime) -> None:
    """Before serving: a restarted process must not accept, even briefly, a token whose session has ended."""
    async with runtime.session_factory() as session:
        await stamps.read(session)


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    async with get_runtime(request).unit_of_work() as uow:
        yield uow


UoW = Annotated[UnitOfWork, Depends(unit_of_work)]


def service_clock(request: Request) -> Clock:
    return get_runtime(request).parts.clock


def current_time(request: Request) -> datetime:
    return service_clock(request)()


AppClock = Annotated[Clock, Depends(service_clock)]
Now = Annotated[datetime, Depends(current_time)]  # one moment per request, from the service's clock


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for queries (the read side); it never commits."""
    async with get_runtime(request).session_factory() as session:
        yield session


ReadSession = Annotated[AsyncSession, Depends(read_session)]


async def autocommit_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for a read that is one statement (nothing to keep consistent across statements): in autocommit,
    so no BEGIN before it and no ROLLBACK after, two of the request's round trips to PostgreSQL (each a wake-up of
    two processes: the client list's page, issue 12 #4)."""
    async with get_runtime(request).session_factory() as session:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield session


SingleStatementSession = Annotated[AsyncSession, Depends(autocommit_read_session)]


def run_migrations(parts: ServiceParts) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(parts.migrations))
    config.set_main_option("sqlalchemy.url", parts.settings.database_url.replace("%", "%%"))
    config.attributes["target_metadata"] = parts.metadata
    command.upgrade(config, "head")


def is_migrated(parts: ServiceParts) -> bool:
    """Whether the service's database is at the head of its migrations (False while unreachable or behind)."""
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory(str(parts.migrations)).get_heads())

    async def current() -> set[str]:
        conn = await asyncpg.connect(asyncpg_dsn(parts.settings.database_url), timeout=5)
        try:
            exists = await conn.fetchval("SELECT to_regclass('alembic_version') IS NOT NULL")
            rows = await conn.fetch("SELECT version_num FROM alembic_version") if exists else []
        finally:
            await conn.close()
        return {row["version_num"] for row in rows}

    try:
        return asyncio.run(current()) == heads
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False


def wait_migrated(parts: ServiceParts, *, timeout: float, interval: float = 2.0) -> None:
    """Block until the migration Job has brought the database to head (a Kubernetes initContainer runs this, so
    no replica serves or consumes against an older schema); SystemExit after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not is_migrated(parts):
        if time.monotonic() > deadline:
            raise SystemExit(f"{parts.settings.service_name}: database not at its migrations' head after {timeout:g}s")
        time.sleep(interval)
    log.info("migrations.at_head")


def main(parts_factory: Callable[[], ServiceParts], argv: Sequence[str] | None = None) -> None:
    """`python -m mspvault.<service> [serve|migrate|wait-migrated]`."""
    parser = argparse.ArgumentParser(prog="mspvault service")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate", "wait-migrated"])
    args = parser.parse_args(argv)
    parts = parts_factory()
    settings = parts.settings
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    if args.command == "migrate":
        run_migrations(parts)
        log.info("migrations.applied")
        return
    if args.command == "wait-migrated":
        wait_migrated(parts, timeout=settings.migration_wait_seconds)
        return
    if refused := settings.refusals():
        raise SystemExit(f"{settings.service_name} will not start: " + "; ".join(refused))
    app = create_app(parts)
    runtime: Runtime = app.state.runtime
    serve(
        app,
        host=settings.http_host,
        port=settings.http_port,
        draining=runtime.draining,
        shutdown_delay=settings.shutdown_delay_seconds,
        graceful_timeout=settings.graceful_timeout_seconds,
    )
    sys.exit(0)
