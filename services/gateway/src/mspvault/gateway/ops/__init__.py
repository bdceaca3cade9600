"""The operator console: `/api/ops/*` (platform operators only; 404 for everyone else) and the `/ops` page."""

from __future__ import annotations

from fastapi import FastAPI

from mspvault.gateway.ops import page, routes
from mspvault.gateway.ops.console import OpsConsole
from mspvault.gateway.state import Gateway


def install(app: FastAPI, gateway: Gateway) -> None:
    app.state.ops = OpsConsole(gateway.settings.kafka_bootstrap, gateway.clients, gateway.settings.kafka_auth())
    app.include_router(routes.router)
    app.include_router(page.router)
