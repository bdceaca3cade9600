"""`/openapi.json` (the gateway's routes merged with every service's public paths) and `/docs` (Swagger UI)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse, Response

from mspvault.gateway.jsonbody import json_response
from mspvault.gateway.openapi import merge_openapi
from mspvault.gateway.state import GatewayDep

router = APIRouter(include_in_schema=False)

TITLE = "MSPVault API"


@router.get("/openapi.json")
async def openapi(request: Request, gateway: GatewayDep) -> Response:
    document = gateway.openapi.fresh()
    if document is None:
        clients = gateway.clients.all()
        documents = await asyncio.gather(*(client.openapi() for client in clients))
        document = merge_openapi(
            request.app.openapi(),
            {client.service.value: doc for client, doc in zip(clients, documents, strict=True)},
            title=TITLE,
            version=request.app.version,
        )
        if "x-unavailable-services" not in document:
            gateway.openapi.keep(document)
    return json_response(document)


@router.get("/docs")
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title=TITLE)
