"""What a running gateway holds, built once by the bootstrap and kept on `app.state.gateway`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Annotated

import httpx
from fastapi import Depends
from starlette.requests import Request

from mspvault.gateway.clients import ServiceClients
from mspvault.gateway.operators import OperatorCheck
from mspvault.gateway.parts import JsonObject
from mspvault.gateway.rate_limits import RateLimiter
from mspvault.gateway.replicas import ReplicaPools
from mspvault.gateway.revisions.polling import RevisionDatePolls
from mspvault.gateway.sync import SyncComposer
from mspvault.shared.auth.verifier import JwksVerifier
from mspvault.shared.serving import Draining
from mspvault.shared.settings import GatewaySettings

# A complete merged OpenAPI document is reused this long; an incomplete one is rebuilt on every request.
OPENAPI_CACHE_SECONDS = 60.0


@dataclass
class OpenApiCache:
    document: JsonObject | None = None
    built_at: float = 0.0

    def fresh(self) -> JsonObject | None:
        if self.document is not None and time.monotonic() - self.built_at < OPENAPI_CACHE_SECONDS:
            return self.document
        return None

    def keep(self, document: JsonObject) -> None:
        self.document, self.built_at = document, time.monotonic()


@dataclass
class Gateway:
    settings: GatewaySettings
    http: httpx.AsyncClient
    clients: ServiceClients
    verifier: JwksVerifier
    composer: SyncComposer
    operators: OperatorCheck
    limiter: RateLimiter
    config_body: bytes  # /api/config never changes while the process runs: rendered once
    polls: RevisionDatePolls
    owns_http: bool = True
    openapi: OpenApiCache = field(default_factory=OpenApiCache)
    replicas: ReplicaPools = field(default_factory=ReplicaPools)  # services called over several replicas
    draining: Draining = field(default_factory=Draining)  # set by the first stop signal: /ready turns 503


def get_gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]
