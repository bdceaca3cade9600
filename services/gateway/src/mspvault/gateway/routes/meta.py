"""Routes the gateway answers alone: server config, liveness, and the aggregated health of the system."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import APIRouter
from starlette.responses import Response

from mspvault.gateway.jsonbody import json_response, raw_json_response
from mspvault.gateway.state import GatewayDep

router = APIRouter()


@router.get("/api/config", summary="Server configuration (Bitwarden clients read it before and after login)")
async def server_config(gateway: GatewayDep) -> Response:
    return raw_json_response(gateway.config_body)


@router.get("/alive", summary="Liveness: the server's current time")
@router.get("/api/alive", summary="Liveness: the server's current time")
@router.get("/api/now", summary="The server's current time")
async def alive() -> Response:
    return json_response(datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"))


@router.get("/health", summary="Health of the gateway and of every service; 200 only when all are healthy")
async def health(gateway: GatewayDep) -> Response:
    reports = await asyncio.gather(*(client.health() for client in gateway.clients.all()))
    healthy = all(report.healthy for report in reports)
    body = {
        "status": "ok" if healthy else "degraded",
        "service": "gateway",
        "services": {"gateway": {"status": "ok"}, **{report.service.value: report.detail for report in reports}},
    }
    return json_response(body, status_code=200 if healthy else 503)
