"""The gateway's composition root: settings → pooled HTTP client → service clients → FastAPI app.

Nothing is built at import time. Tests pass their own HTTP client (e.g. with ASGI transports mounted per
service URL) and load a JWKS into `app.state.verifier`.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import sys
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta

import httpx
from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from mspvault.gateway.body_limit import BodyLimitMiddleware
from mspvault.gateway.clients import ServiceClients, UpstreamError
from mspvault.gateway.config import git_hash, server_config
from mspvault.gateway.jsonbody import render
from mspvault.gateway.operators import OperatorCheck
from mspvault.gateway.ops import install as install_ops
from mspvault.gateway.rate_limits import RateLimited, build_limiter
from mspvault.gateway.replicas import ReplicaPools, balance
from mspvault.gateway.revisions.dates import RevisionDates
from mspvault.gateway.revisions.feed import RevisionFeed, feed_topics
from mspvault.gateway.revisions.polling import RevisionDatePolls, RevisionDateShortcut
from mspvault.gateway.revisions.tokens import AcceptedTokens
from mspvault.gateway.routes import composed, docs, imports, meta, portal, proxy
from mspvault.gateway.shedding import LoadShedder, LoadSheddingMiddleware
from mspvault.gateway.state import Gateway
from mspvault.gateway.sync import SyncComposer
from mspvault.shared.auth.stamps import StampMemory
from mspvault.shared.auth.verifier import JwksVerifier
from mspvault.shared.http.errors import error_response, install_error_handlers
from mspvault.shared.observability.correlation import CorrelationIdMiddleware
from mspvault.shared.observability.logging import get_logger
from mspvault.shared.settings import GatewaySettings

log = get_logger(__name__)

# Idle connections to the services are dropped well before their keep-alive (mspvault.shared.serving, 65 s) closes
# them on the other side, so a request never goes out on a connection the service is closing.
KEEPALIVE_EXPIRY_SECONDS = 4.0
CONNECT_TIMEOUT_SECONDS = 5.0


def remember_missing_sniffio() -> None:
    """httpcore 1.0 runs `import sniffio` on every request; when sniffio is not installed each attempt searches
    the whole import path again (measured: ~0.2 ms, several times per request). A None entry in sys.modules
    makes the failure instant. Harmless: a module that is not installed cannot be used by anything else."""
    if importlib.util.find_spec("sniffio") is None:
        sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]


def build_http_client(
    settings: GatewaySettings,
    *,
    mounts: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    replicas: ReplicaPools | None = None,
) -> httpx.AsyncClient:
    """One client for every upstream call: HTTP/1.1 keep-alive pools per service, generous limits; a service with
    several replicas is reached through its pool's transport (replicas.py)."""
    remember_missing_sniffio()
    limits = httpx.Limits(
        max_connections=1024, max_keepalive_connections=256, keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS
    )
    transport = httpx.AsyncHTTPTransport(limits=limits, retries=1)  # retries cover failed connects only
    every_mount = {**(replicas.mounts(transport) if replicas else {}), **(mounts or {})}
    return httpx.AsyncClient(
        transport=transport,
        mounts=every_mount or None,
        timeout=httpx.Timeout(settings.request_timeout_seconds, connect=CONNECT_TIMEOUT_SECONDS),
        trust_env=False,  # a proxy from the environment must never sit between the gateway and the services
        follow_redirects=False,
    )


def build_gateway(settings: GatewaySettings, http: httpx.AsyncClient | None = None) -> Gateway:
    owns_http = http is None
    bases, replicas = balance(
        {
            "identity": settings.identity_url,
            "provider": settings.provider_url,
            "organization": settings.organization_url,
            "vault": settings.vault_url,
        }
    )
    settings = settings.model_copy(update={f"{service}_url": base for service, base in bases.items()})
    http = http or build_http_client(settings, replicas=replicas)
    clients = ServiceClients.build(settings, http)
    composer = SyncComposer(clients)
    return Gateway(
        settings=settings,
        http=http,
        clients=clients,
        verifier=JwksVerifier(settings.identity_url, http=http),
        composer=composer,
        polls=RevisionDatePolls(composer, clients.identity, build_revision_feed(settings)),
        operators=OperatorCheck(clients.identity, ttl=settings.operator_cache_seconds),
        limiter=build_limiter(settings),
        config_body=render(server_config(settings.public_url, git_hash=git_hash())),
        owns_http=owns_http,
        replicas=replicas,
    )


def build_revision_feed(settings: GatewaySettings) -> RevisionFeed | None:
    """The reader behind revision-date polls answered from memory; None without a broker (every poll then asks
    the services, as tests without Kafka do)."""
    if not settings.kafka_bootstrap:
        return None

    def consumer() -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            *feed_topics(),
            bootstrap_servers=settings.kafka_bootstrap,
            client_id="mspvault-gateway-revisions",
            group_id=None,  # every gateway replica reads everything; nothing is committed
            enable_auto_commit=False,
            auto_offset_reset="earliest",  # for a partition added later; the feed starts at the end itself
            fetch_max_wait_ms=settings.revision_feed_fetch_wait_ms,
            **settings.kafka_auth().aiokafka(),
        )

    window = timedelta(seconds=settings.security_stamp_window_seconds)
    return RevisionFeed(consumer, dates=RevisionDates(), tokens=AcceptedTokens(), stamps=StampMemory(window=window))


def create_app(settings: GatewaySettings | None = None, *, http: httpx.AsyncClient | None = None) -> FastAPI:
    gateway = build_gateway(settings or GatewaySettings(), http)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await gateway.limiter.counters.start()
        stop_watching = asyncio.Event()
        watching = asyncio.create_task(gateway.replicas.watch(gateway.http, stop_watching), name="replica-checks")
        feed = gateway.polls.feed
        reading = asyncio.create_task(feed.run(stop_watching), name="revision-feed") if feed else None
        log.info("gateway.started", public_url=gateway.settings.public_url)
        try:
            yield
        finally:
            stop_watching.set()
            await watching
            if reading is not None:
                await reading
            await gateway.limiter.counters.close()
            if gateway.owns_http:
                await gateway.http.aclose()

    app = FastAPI(
        title="MSPVault gateway",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url=None,  # served by routes/docs.py, merged with the services' documents
        docs_url=None,
        redoc_url=None,
    )
    app.state.gateway = gateway
    app.state.verifier = gateway.verifier  # read by the shared `authenticated` dependency
    if gateway.polls.feed is not None:  # the sessions that ended since this gateway started, refused by every route
        app.state.security_stamps = gateway.polls.feed.stamps
    install_error_handlers(app)

    @app.exception_handler(UpstreamError)
    async def upstream_error(_: Request, error: UpstreamError) -> JSONResponse:
        response = error_response(error.status, error.message)
        if error.status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RateLimited)
    async def rate_limited(_: Request, error: RateLimited) -> JSONResponse:
        log.info("rate_limited", limit=error.limit.name, retry_after=error.retry_after)
        response = error_response(429, f"Too many requests. Try again in {error.retry_after} seconds.")
        response.headers["Retry-After"] = str(error.retry_after)
        return response

    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=gateway.settings.max_request_body_bytes,
        larger=dict.fromkeys(imports.IMPORT_PATHS, gateway.settings.max_import_body_bytes),
    )
    app.state.shedder = LoadShedder.from_settings(gateway.settings)
    app.add_middleware(LoadSheddingMiddleware, shedder=app.state.shedder)  # past capacity: 503 before any work
    app.add_middleware(CorrelationIdMiddleware)  # outermost but one, so even a 413 carries an id
    if gateway.settings.trusted_proxies:
        # Outermost: from a configured proxy, the client is the nearest untrusted address of X-Forwarded-For (every
        # later step, the rate limits and the X-Forwarded-For the services get, reads it). From anyone else the
        # header is ignored (uvicorn's own handling is off, __main__.py).
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(gateway.settings.trusted_proxies))
    # Outermost: a revision-date poll memory can answer costs no other step (revisions/polling.py).
    app.add_middleware(RevisionDateShortcut, polls=gateway.polls)
    app.include_router(meta.router)
    app.include_router(composed.router)
    app.include_router(imports.router)
    app.include_router(docs.router)
    install_ops(app, gateway)  # /api/ops/* (operators only) and the /ops page
    portal.install(app, gateway.settings.portal_dir)  # the Provider Portal at /
    proxy.install(app)  # last: only what no route above answers is forwarded
    return app
