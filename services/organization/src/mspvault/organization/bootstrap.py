"""The composition root of the organization service: settings, tables, routers, consumers, the mail loop."""

from __future__ import annotations

from pathlib import Path

from mspvault.organization.adapters.orm import mail_outbox, metadata, tables
from mspvault.organization.domain.invite_token import InviteTokens
from mspvault.organization.entrypoints.audit_consumers import record_audit_events
from mspvault.organization.entrypoints.consumers import build_event_router
from mspvault.organization.entrypoints.http import (
    collections,
    events,
    groups,
    internal,
    members,
    organizations,
    policies,
)
from mspvault.organization.service_layer.invites import InviteMailer
from mspvault.organization.service_layer.ports import InviteLinks
from mspvault.shared.audit import with_request_origin
from mspvault.shared.mail import mail_loop
from mspvault.shared.runtime import ServiceParts
from mspvault.shared.settings import OrganizationSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def build_parts(settings: OrganizationSettings | None = None) -> ServiceParts:
    settings = settings or OrganizationSettings()  # required values come from the env
    tokens = InviteTokens(settings.invite_secret)
    links = InviteLinks(settings.public_url)
    mailer = InviteMailer(tokens=tokens, public_url=settings.public_url)

    return ServiceParts(
        settings=settings,
        metadata=metadata,
        tables=tables,
        migrations=MIGRATIONS,
        routers=[
            # Commands publish events whose actor carries the caller's device type and address.
            with_request_origin(
                organizations.router, members.router, collections.router, groups.router, policies.router
            ),
            collections.assigned_router,
            events.router,
            internal.router,
        ],
        events=record_audit_events(build_event_router(mailer), own_topic=settings.events_topic),
        state={"invite_mailer": mailer, "invite_tokens": tokens, "invite_links": links},
        background=[mail_loop(mail_outbox, smtp_host=settings.smtp_host, smtp_port=settings.smtp_port)],
        title="MSPVault organization service",
    )
