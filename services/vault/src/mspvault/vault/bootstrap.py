"""The vault's composition root: settings, tables, routers, event subscriptions and migrations, built on demand."""

from __future__ import annotations

from pathlib import Path

from mspvault.shared.runtime import ServiceParts
from mspvault.shared.settings import VaultSettings
from mspvault.vault.adapters.orm import metadata, tables
from mspvault.vault.entrypoints.consumers import build_event_router
from mspvault.vault.entrypoints.http import ROUTERS

MIGRATIONS = Path(__file__).parent / "migrations"


def build_parts(settings: VaultSettings | None = None) -> ServiceParts:
    return ServiceParts(
        settings=settings or VaultSettings(),  # required values come from the environment
        metadata=metadata,
        tables=tables,
        migrations=MIGRATIONS,
        routers=ROUTERS,
        events=build_event_router(),
        title="MSPVault vault",
    )
