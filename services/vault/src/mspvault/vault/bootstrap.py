"""The composition root: settings, tables, routers, event subscriptions, migrations, and how a `VaultWork` is made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mspvault.shared.clock import Clock, utc_now
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.runtime import ServiceParts
from mspvault.shared.settings import VaultSettings
from mspvault.vault.adapters.orm import metadata, security_stamps, tables
from mspvault.vault.adapters.read_models import SqlReadModels
from mspvault.vault.adapters.repository import SqlAuditLog, SqlVaultStore
from mspvault.vault.entrypoints.consumers import build_event_router
from mspvault.vault.entrypoints.http import ciphers, events, folders, imports, internal
from mspvault.vault.service_layer.ports import VaultWork

MIGRATIONS = Path(__file__).parent / "migrations"


def work_factory(clock: Clock) -> Callable[[UnitOfWork], VaultWork]:
    """The one way routes and consumers get their `VaultWork` from a unit of work."""

    def work(uow: UnitOfWork) -> VaultWork:
        return VaultWork(
            uow=uow,
            store=SqlVaultStore(uow.session),
            read_models=SqlReadModels(uow.session),
            audit=SqlAuditLog(uow.session),
            clock=clock,
        )

    return work


def build_parts(settings: VaultSettings | None = None, clock: Clock = utc_now) -> ServiceParts:
    settings = settings or VaultSettings()  # required values come from the environment
    work = work_factory(clock)
    return ServiceParts(
        settings=settings,
        metadata=metadata,
        tables=tables,
        migrations=MIGRATIONS,
        routers=[imports.router, imports.internal, ciphers.router, folders.router, events.router, internal.router],
        events=build_event_router(work, own_topic=settings.events_topic),
        state={"vault_work": work},
        title="MSPVault vault",
        security_stamps=security_stamps,
        clock=clock,
    )
