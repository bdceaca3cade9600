"""The composition root: settings, tables, routers, consumers, the mail sender and the invite-token signer."""

from __future__ import annotations

from pathlib import Path

from mspvault.provider.adapters.orm import mail_outbox, metadata, tables
from mspvault.provider.domain.invite_token import InviteTokens
from mspvault.provider.entrypoints.audit_consumers import record_audit_events
from mspvault.provider.entrypoints.consumers import build_event_router
from mspvault.provider.entrypoints.http import admin, clients, events, internal, provider_users, providers
from mspvault.provider.service_layer.ports import InviteLinks
from mspvault.shared.mail import mail_loop
from mspvault.shared.runtime import ServiceParts
from mspvault.shared.settings import ProviderSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def build_parts(settings: ProviderSettings | None = None) -> ServiceParts:
    settings = settings or ProviderSettings()  # database_url and kafka_bootstrap come from the environment

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
        events=record_audit_events(build_event_router(), own_topic=settings.events_topic),
        state={
            "invite_tokens": InviteTokens(settings.invite_secret),
            "invite_links": InviteLinks(settings.public_url),
        },
        background=[mail_loop(mail_outbox, smtp_host=settings.smtp_host, smtp_port=settings.smtp_port)],
        title="MSPVault provider service",
    )
