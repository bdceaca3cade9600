"""The composition root: settings, tables, routers, consumers, the mail sender, and how a `ProviderWork` is made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mspvault.provider.adapters.orm import mail_outbox, metadata, security_stamps, tables
from mspvault.provider.adapters.read_models import SqlReadModels
from mspvault.provider.adapters.repository import SqlAuditLog, SqlProviderStore
from mspvault.provider.domain.invite_token import invite_tokens
from mspvault.provider.entrypoints.consumers import build_event_router
from mspvault.provider.entrypoints.http import admin, clients, events, internal, provider_users, providers
from mspvault.provider.entrypoints.http.responses import ProfileProviderOrganizationResponse
from mspvault.provider.service_layer.ports import InviteLinks, ProviderWork
from mspvault.shared.clock import Clock, utc_now
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.mail import mail_loop
from mspvault.shared.runtime import ServiceParts
from mspvault.shared.settings import ProviderSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def work_factory(settings: ProviderSettings, clock: Clock) -> Callable[[UnitOfWork], ProviderWork]:
    """The one way routes and consumers get their `ProviderWork` from a unit of work."""
    tokens, links = invite_tokens(settings.invite_secret), InviteLinks(settings.public_url)

    def work(uow: UnitOfWork) -> ProviderWork:
        return ProviderWork(
            uow=uow,
            store=SqlProviderStore(uow.session),
            read_models=SqlReadModels(uow.session),
            audit=SqlAuditLog(uow.session),
            tokens=tokens,
            links=links,
            clock=clock,
        )

    return work


def build_parts(settings: ProviderSettings | None = None, clock: Clock = utc_now) -> ServiceParts:
    settings = settings or ProviderSettings()  # database_url and kafka_bootstrap come from the environment
    work = work_factory(settings, clock)
    return ServiceParts(
        settings=settings,
        metadata=metadata,
        tables=tables,
        migrations=MIGRATIONS,
        routers=[
            admin.router,
            providers.router,
            provider_users.router,
            clients.router,
            events.router,
            internal.router,
        ],
        events=build_event_router(work),
        state={"provider_work": work},
        documented=[ProfileProviderOrganizationResponse],
        background=[mail_loop(mail_outbox, smtp_host=settings.smtp_host, smtp_port=settings.smtp_port)],
        title="MSPVault provider service",
        security_stamps=security_stamps,
        clock=clock,
    )
