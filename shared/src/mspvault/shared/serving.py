"""Serving one process's ASGI app with uvicorn, and stopping it gracefully.

On SIGTERM (a Kubernetes pod deletion, a scale-down, `make up` stopping a replica) the process:
1. turns not ready at once: `/ready` answers 503, so the gateway's health checks and Kubernetes' endpoints take it
   out of rotation;
2. keeps serving for `shutdown_delay` seconds, while that news spreads (0 where the caller already waited, e.g.
   behind a Kubernetes preStop hook);
3. stops accepting connections, lets in-flight requests finish (up to `graceful_timeout` seconds), then runs the
   app's lifespan shutdown: consumers commit and leave their group, the outbox relay releases its lock.
A second signal stops at once, as uvicorn does.
"""

from __future__ import annotations

import gc
import signal
import socket
import threading
from types import FrameType
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

KEEP_ALIVE_SECONDS = 65.0  # above the callers' idle expiry (see `serve`); load balancers commonly keep 60 s


class Draining:
    """Set from the first stop signal on; `/ready` reads it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def start(self) -> None:
        self._event.set()

    @property
    def active(self) -> bool:
        return self._event.is_set()


class _GracefulServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, draining: Draining, delay: float) -> None:
        super().__init__(config)
        self._draining = draining
        self._delay = delay

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._draining.active or self._delay <= 0 or sig != signal.SIGTERM:
            self._draining.start()
            super().handle_exit(sig, frame)
            return
        self._draining.start()
        log.info("server.draining", delay_seconds=self._delay)
        timer = threading.Timer(self._delay, super().handle_exit, (sig, frame))
        timer.daemon = True
        timer.start()


def serve(
    app: ASGIApp,
    *,
    host: str,
    port: int,
    draining: Draining,
    shutdown_delay: float = 0.0,
    graceful_timeout: float = 20.0,
    keep_alive: float = KEEP_ALIVE_SECONDS,
    share_port: bool = False,
    **options: Any,
) -> None:
    """Run `app` until stopped (blocks); `options` go to uvicorn.Config (TLS files, workers are not supported).

    `share_port`: bind with SO_REUSEPORT, so several processes of the same server listen on one port and the kernel
    spreads new connections over them (the gateway's workers). Each is a whole process with its own stop and
    drain; when one dies, its socket leaves the group and the others take every new connection.

    `keep_alive`: how long an idle connection stays open. Longer than the callers' own idle expiry (the gateway's
    pool drops idle connections after 4 s, httpx clients after 5 s), so the caller always closes first: when the
    server closes first, a request sent on that connection at the same moment is lost ("server disconnected
    without sending a response"), and on a busy machine the server's timers fire late, many at once.
    """
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=int(graceful_timeout) if graceful_timeout > 0 else None,
        timeout_keep_alive=int(keep_alive),
        **options,
    )
    server = _GracefulServer(config, draining, shutdown_delay)
    # What exists now (modules, routes, models: ~150,000 objects) lives as long as the process: out of the
    # collector's sight, so a full collection, which a request making 10,000 containers (a 10,000-client profile)
    # sets off every few requests, walks only what requests made: measured on the gateway's modules, the longest
    # pause went from 120 ms to 1 ms and that request's p95 from 130 to 57 ms.
    gc.freeze()
    server.run(sockets=[_shared_socket(host, port)] if share_port else None)


def _shared_socket(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[
        0
    ]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock
