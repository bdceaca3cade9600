"""The vault's composition root: settings, tables, routers, event subscriptions and migrations, built on demand."""

from __future__ import annotations

from pathlib import Path

from mspvault.shared.clock import Clock, utc_now
from mspvault.shared.runtime import ServiceParts
from mspvault.shared.settings import VaultSettings
from mspvault.vault.adapters.orm import metadata, tables
from mspvault.vault.entrypoints.consumers import build_event_router
from mspvault.vault.entrypoints.http import ciphers, events, folders, internal

MIGRATIONS = Path(__file__).parent / "migrations"


def build_parts(settings: VaultSettings | None = None, clock: Clock = utc_now) -> ServiceParts:
    settings = settings or VaultSettings()  # required values come from the environment
    return ServiceParts(
        settings=settings,
        metadata=metadata,
        tables=tables,
        migrations=MIGRATIONS,
        routers=[ciphers.router, folders.router, events.router, internal.router],
        events=build_event_router(own_topic=settings.events_topic, clock=clock),
        title="MSPVault vault",
        clock=clock,
    )
