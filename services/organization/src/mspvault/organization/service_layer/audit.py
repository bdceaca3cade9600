"""What the organization's audit log records: Bitwarden events from this service's own events, from the vault's
(items of organizations), and identity's user events (in each organization of the user).

Entries arrive through the inbox, so each event is recorded once and in the same transaction as its inbox row.
Events of organizations this service does not hold (a deleted one, a personal item) are skipped.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from mspvault.organization.domain.errors import OrganizationNotFound
from mspvault.organization.service_layer.common import standing_in
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.audit.entries import AuditEntry, entry_for
from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.contracts.organization import PolicyUpdatedV1


async def record_own_event(work: OrganizationWork, event: EventData, envelope: Envelope) -> None:
    """This service's events (their actor says whether the caller acted for a provider)."""
    entry = entry_for(envelope)
    if entry is None or entry.organization_id is None:
        return
    if isinstance(event, PolicyUpdatedV1):
        entry = replace(entry, policy_id=await work.audit.policy_id(entry.organization_id, event.policy_type))
    await work.audit.add_if_held(entry)


async def record_vault_event(work: OrganizationWork, event: EventData, envelope: Envelope) -> None:
    """The vault's cipher events; personal items have no organization and are skipped."""
    entry = await _known(work, entry_for(envelope))
    if entry is None:
        return
    org_id, user_id = entry.organization_id, entry.acting_user_id
    if entry.provider_id is None and org_id is not None and user_id is not None:
        # The vault's actor does not say yet whether its caller acted for a provider: our access rule does.
        entry = replace(entry, provider_id=await _acting_provider(work, org_id, user_id))
    await work.audit.add(entry)


async def record_user_event(work: OrganizationWork, event: EventData, envelope: Envelope) -> None:
    """Identity's events about a user (logins, password changes, two-step login), once in each organization the
    user is a member of (not merely invited), each entry with an id of its own derived from the event's. An event
    that names its organization (an account recovery) is recorded there only."""
    entry = entry_for(envelope)
    if entry is None or entry.user_id is None:
        return
    if entry.organization_id is not None:
        await _record_in_its_organization(work, entry)
        return
    for org_id, member_id in await work.audit.memberships_of_user(entry.user_id):
        await work.audit.add(
            replace(
                entry,
                id=uuid.uuid5(entry.id, str(org_id)),
                organization_id=org_id,
                organization_user_id=member_id,
            )
        )


async def _record_in_its_organization(work: OrganizationWork, entry: AuditEntry) -> None:
    org_id, acting_user_id = entry.organization_id, entry.acting_user_id
    if org_id is None or not await work.audit.holds_organization(org_id):
        return
    if entry.provider_id is None and acting_user_id is not None:  # identity cannot tell; our access rule can
        entry = replace(entry, provider_id=await _acting_provider(work, org_id, acting_user_id))
    await work.audit.add(entry)


async def _known(work: OrganizationWork, entry: AuditEntry | None) -> AuditEntry | None:
    if entry is None or entry.organization_id is None:
        return None
    return entry if await work.audit.holds_organization(entry.organization_id) else None


async def _acting_provider(work: OrganizationWork, org_id: uuid.UUID, user_id: uuid.UUID) -> uuid.UUID | None:
    try:
        _, standing = await standing_in(work.store, org_id, user_id)
    except OrganizationNotFound:  # no standing: acted as nobody we know of in this organization
        return None
    return standing.provider_id
