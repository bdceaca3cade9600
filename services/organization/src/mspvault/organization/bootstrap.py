"""The composition root: settings, tables, routers, consumers, the mail loop, and how an `OrganizationWork` is made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mspvault.organization.adapters.orm import mail_outbox, metadata, security_stamps, tables
from mspvault.organization.adapters.read_models import SqlReadModels
from mspvault.organization.adapters.repository import SqlAuditLog, SqlOrganizationStore
from mspvault.organization.domain.invite_token import invite_tokens
from mspvault.organization.entrypoints.consumers import build_event_router
from mspvault.organization.entrypoints.http import (
    api_keys,
    collections,
    events,
    groups,
    internal,
    members,
    organizations,
    policies,
)
from mspvault.organization.service_layer.ports import InviteLinks, OrganizationWork
from mspvault.shared.clock import Clock, utc_now
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.mail import mail_loop
from mspvault.shared.runtime import ServiceParts
from mspvault.shared.settings import OrganizationSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def work_factory(settings: OrganizationSettings, clock: Clock) -> Callable[[UnitOfWork], OrganizationWork]:
    """The one way routes and consumers get their `OrganizationWork` from a unit of work."""
    tokens, links = invite_tokens(settings.invite_secret), InviteLinks(settings.public_url)

    def work(uow: UnitOfWork) -> OrganizationWork:
        return OrganizationWork(
            uow=uow,
            store=SqlOrganizationStore(uow.session, clock),
            read_models=SqlReadModels(uow.session),
            audit=SqlAuditLog(uow.session),
            tokens=tokens,
            links=links,
            clock=clock,
        )

    return work


def build_parts(settings: OrganizationSettings | None = None, clock: Clock = utc_now) -> ServiceParts:
    settings = settings or OrganizationSettings()  # required values come from the env
    work = work_factory(settings, clock)
    return ServiceParts(
        settings=settings,
        metadata=metadata,
        tables=tables,
        migrations=MIGRATIONS,
        routers=[
            organizations.router,
            members.router,
            collections.router,
            groups.router,
            policies.router,
            collections.assigned_router,
            events.router,
            api_keys.router,
            api_keys.public,
            internal.router,
        ],
        events=build_event_router(work),
        state={"organization_work": work},
        background=[mail_loop(mail_outbox, smtp_host=settings.smtp_host, smtp_port=settings.smtp_port)],
        title="MSPVault organization service",
        security_stamps=security_stamps,
        clock=clock,
    )
