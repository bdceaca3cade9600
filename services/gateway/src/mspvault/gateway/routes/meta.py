"""Routes the gateway answers alone: server config and liveness. The detailed health of every service is an
operator route (`/api/ops/health`, ops/routes.py): the public answer neither fans out nor shows internals."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from starlette.responses import Response

from mspvault.gateway.jsonbody import json_response, raw_json_response
from mspvault.gateway.responses import ServerConfig, ServerTime
from mspvault.gateway.state import GatewayDep

router = APIRouter()


@router.get(
    "/api/config",
    summary="Server configuration (Bitwarden clients read it before and after login)",
    responses={200: {"model": ServerConfig}},
)
async def server_config(gateway: GatewayDep) -> Response:
    return raw_json_response(gateway.config_body)


@router.get("/alive", summary="Liveness: the server's current time", responses={200: {"model": ServerTime}})
@router.get("/api/alive", summary="Liveness: the server's current time", responses={200: {"model": ServerTime}})
@router.get("/api/now", summary="The server's current time", responses={200: {"model": ServerTime}})
async def alive() -> Response:
    return json_response(datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"))


@router.get("/health", summary="Liveness of the gateway (no calls to the services, no detail)")
async def health() -> Response:
    return json_response({"status": "ok"})


@router.get("/ready", include_in_schema=False)  # readiness: false from the first stop signal on
async def ready(gateway: GatewayDep) -> Response:
    if gateway.draining.active:
        return json_response({"status": "stopping"}, status_code=503)
    return json_response({"status": "ready"})
