"""Every route the gateway exposes, read from the code rather than listed by hand: the gateway's own FastAPI routes,
and each service's routes that the gateway forwards (public by `openapi.is_public`, owned by that service according
to `routing.service_for`, not answered by the gateway itself first). Nothing is started or connected: the apps and
routers are built and their tables read."""

from __future__ import annotations

import importlib
import re
import uuid
from dataclasses import dataclass

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute

from mspvault.gateway.bootstrap import create_app
from mspvault.gateway.openapi import is_public
from mspvault.gateway.routing import service_for
from mspvault.shared.settings import (
    GatewaySettings,
    IdentitySettings,
    OrganizationSettings,
    ProviderSettings,
    ServiceSettings,
    VaultSettings,
)

SETTINGS: dict[str, type[ServiceSettings]] = {
    "identity": IdentitySettings,
    "provider": ProviderSettings,
    "organization": OrganizationSettings,
    "vault": VaultSettings,
}
# The forwarder itself: whatever no route above it answers goes to `service_for`, so it stands for the services'
# routes listed below, not for a route of its own.
CATCH_ALL = "/{path:path}"
IMPLICIT_METHODS = frozenset({"HEAD", "OPTIONS"})  # Starlette's HEAD beside GET; the forwarder's OPTIONS
PARAMETER = re.compile(r"\{[^}]+\}")


@dataclass(frozen=True, order=True)
class Route:
    method: str
    path: str  # the template, e.g. /api/ciphers/{cipher_id}
    owner: str  # "gateway" or the service the gateway forwards it to

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def parameters(self) -> list[str]:
        return [name.split(":")[0] for name in re.findall(r"\{([^}]+)\}", self.path)]


def _table(routes: list[BaseRoute]) -> list[tuple[str, str]]:
    found = []
    for context in iter_route_contexts(routes):
        path, methods = context.path, context.methods or set()
        if path is None:
            continue
        found += [(method, path) for method in sorted(methods - IMPLICIT_METHODS)]
    return found


def _shape(path: str) -> str:
    return PARAMETER.sub("{}", path)


def gateway_routes() -> list[Route]:
    app = create_app(GatewaySettings())
    return [Route(method, path, "gateway") for method, path in _table(app.routes) if path != CATCH_ALL]


def service_routes(service: str) -> list[Route]:
    """A service's public routes, whichever the gateway would forward to it or not (see `unreachable`)."""
    settings = SETTINGS[service](database_url="postgresql://unused/unused", kafka_bootstrap="unused:9092")
    parts = importlib.import_module(f"mspvault.{service}.bootstrap").build_parts(settings)
    table = [entry for router in parts.routers for entry in _table(list(router.routes))]
    return [Route(method, path, service) for method, path in table if is_public(path)]


def _forwarded_to(path: str) -> str | None:
    owner = service_for(PARAMETER.sub(lambda _: str(uuid.uuid4()), path))
    return owner.value if owner else None


def exposed_routes() -> list[Route]:
    """What a caller of the gateway can reach: its own routes, then each service's that it forwards to it."""
    own = gateway_routes()
    answered = {(route.method, _shape(route.path)) for route in own}
    forwarded = [
        route
        for service in SETTINGS
        for route in service_routes(service)
        if _forwarded_to(route.path) == service and (route.method, _shape(route.path)) not in answered
    ]
    return sorted({*own, *forwarded})


def unreachable_routes() -> list[Route]:
    """Public service routes the gateway sends elsewhere or to nobody: dead code, or a routing table gap."""
    return [route for service in SETTINGS for route in service_routes(service) if _forwarded_to(route.path) != service]
