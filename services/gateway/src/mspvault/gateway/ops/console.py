"""What the operator routes use: the broker (through the shared Kafka adapter) and the services' ops endpoints."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
from aiokafka.errors import KafkaError
from fastapi import Depends, HTTPException, Request

from mspvault.gateway.clients import ServiceClient, ServiceClients
from mspvault.shared.messaging.producer import make_producer
from mspvault.shared.messaging.security import KafkaAuth
from mspvault.shared.observability.logging import get_logger
from mspvault.shared.ops.dlq import DeadLetters
from mspvault.shared.ops.kafka_admin import Flavor, KafkaAdmin

log = get_logger(__name__)

SERVICE_TIMEOUT_SECONDS = 10.0


@dataclass
class OpsConsole:
    bootstrap: str
    clients: ServiceClients
    auth: KafkaAuth = field(default_factory=KafkaAuth)
    flavor: Flavor | None = None  # detected once, then reused
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @contextlib.asynccontextmanager
    async def kafka(self) -> AsyncIterator[KafkaAdmin]:
        """A short-lived adapter per request: operator traffic is light, and a broker restart is then a non-event."""
        if not self.bootstrap:
            raise HTTPException(503, "The gateway has no broker configured (MSPVAULT_GATEWAY_KAFKA_BOOTSTRAP)")
        try:
            async with KafkaAdmin.open(
                self.bootstrap, flavor=self.flavor, client_id="mspvault-gateway-ops", auth=self.auth
            ) as admin:
                self.flavor = await admin.flavor()
                yield admin
        except (KafkaError, OSError, TimeoutError) as error:
            log.warning("ops.broker_unavailable", error=type(error).__name__)
            raise HTTPException(503, "The broker is unavailable") from error

    def dead_letters(self, admin: KafkaAdmin) -> DeadLetters:
        return DeadLetters(
            admin,
            lambda: make_producer(
                self.bootstrap,
                idempotent=self.flavor != "tansu",
                client_id="mspvault-gateway-ops-replayer",
                auth=self.auth,
            ),
        )

    def service(self, name: str) -> ServiceClient:
        for client in self.clients.all():
            if client.service.value == name:
                return client
        raise HTTPException(404, "Not found")

    async def call(self, client: ServiceClient, method: str, path: str, headers: Mapping[str, str]) -> dict[str, Any]:
        """One service's `/internal/ops/*` answer as the operator; an unreachable service becomes an `error` entry."""
        try:
            response = await client.http.request(
                method, client.base_url + path, headers=headers, timeout=SERVICE_TIMEOUT_SECONDS
            )
        except httpx.HTTPError as error:
            return {"service": client.service.value, "error": f"unavailable ({type(error).__name__})"}
        if response.status_code != 200:
            return {"service": client.service.value, "error": f"answered {response.status_code}"}
        try:
            body = response.json()
        except ValueError:
            return {"service": client.service.value, "error": "answered invalid JSON"}
        return body if isinstance(body, dict) else {"service": client.service.value, "error": "malformed answer"}

    async def call_all(self, method: str, path: str, headers: Mapping[str, str]) -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(self.call(c, method, path, headers) for c in self.clients.all())))


def get_console(request: Request) -> OpsConsole:
    console: OpsConsole = request.app.state.ops
    return console


Console = Annotated[OpsConsole, Depends(get_console)]
