"""Steps every roster or client command ends with: persist, publish with the actor, bump revisions, commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from mspvault.provider.domain.enums import ProviderUserType
from mspvault.provider.domain.invite_token import PROVIDER_USER
from mspvault.provider.domain.roster import ProviderUser, Roster
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.contracts.envelope import Actor, EventData
from mspvault.shared.observability.origin import acting


def actor(user_id: uuid.UUID | None, provider_id: uuid.UUID) -> Actor:
    """The caller acting for the provider, with the request's device type and address (audit logs show them)."""
    return acting(user_id, provider_id)


def publish_all(work: ProviderWork, events: Iterable[EventData], who: Actor) -> None:
    for event in events:
        work.uow.publish(event, actor=who)


async def finish_roster(work: ProviderWork, roster: Roster, caller_id: uuid.UUID | None) -> None:
    await work.store.save_roster(roster)
    publish_all(work, roster.events, actor(caller_id, roster.provider.id))
    roster.events.clear()
    await work.store.bump_revisions(roster.affected_users, work.clock())
    await work.uow.commit()


async def send_invites(work: ProviderWork, roster: Roster, rows: Iterable[ProviderUser]) -> None:
    """Queue one invite mail per row, in the same transaction as the rows (sent later, never lost)."""
    now = work.clock()
    for row in rows:
        if row.invite_nonce is None:
            continue
        token = work.tokens.issue({PROVIDER_USER: row.id}, email=row.email, nonce=row.invite_nonce, now=now)
        setup = roster.provider.is_pending and row.type is ProviderUserType.PROVIDER_ADMIN
        link = work.links.accept_url(
            provider_id=roster.provider.id,
            provider_name=roster.provider.name,
            provider_user_id=row.id,
            email=row.email,
            token=token,
            setup=setup,
        )
        await work.store.queue_mail(
            to=row.email,
            subject=f"Join {roster.provider.name} on MSPVault",
            body=(
                f"You have been invited to join the provider {roster.provider.name}.\n\n"
                f"Accept the invitation within 5 days:\n{link}\n\n"
                "If you did not expect this message, ignore it.\n"
            ),
        )
