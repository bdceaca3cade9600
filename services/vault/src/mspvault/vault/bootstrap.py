"""The vault's composition root: settings, tables, routers, event subscriptions and migrations, built on demand."""

from __future__ import annotations

from pathlib import Path

from mspvault.shared.audit import with_request_origin
from mspvault.shared.runtime import ServiceParts
from mspvault.shared.settings import VaultSettings
from mspvault.vault.adapters.orm import metadata, tables
from mspvault.vault.entrypoints import http_events
from mspvault.vault.entrypoints.audit_consumers import record_audit_events
from mspvault.vault.entrypoints.consumers import build_event_router
from mspvault.vault.entrypoints.http import ciphers_router, folders_router, internal_router

MIGRATIONS = Path(__file__).parent / "migrations"


def build_parts(settings: VaultSettings | None = None) -> ServiceParts:
    settings = settings or VaultSettings()  # required values come from the environment
    return ServiceParts(
        settings=settings,
        metadata=metadata,
        tables=tables,
        migrations=MIGRATIONS,
        routers=[
            # Commands publish events whose actor carries the caller's device type and address.
            with_request_origin(ciphers_router, folders_router),
            http_events.router,
            internal_router,
        ],
        events=record_audit_events(build_event_router(), own_topic=settings.events_topic),
        title="MSPVault vault",
    )
