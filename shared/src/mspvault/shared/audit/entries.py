"""The audit entry a domain event becomes: one pure mapping from an envelope to a Bitwarden event, so the
organization, provider and vault services never disagree about what an event means."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mspvault.shared.audit.codes import CODES
from mspvault.shared.contracts import identity as ic
from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts import provider as pc
from mspvault.shared.contracts import vault as vc
from mspvault.shared.contracts.envelope import Envelope, EventData


@dataclass(frozen=True)
class AuditEntry:
    """One Bitwarden event. `id` is the envelope id of the domain event it records."""

    id: uuid.UUID
    type: int
    date: datetime
    acting_user_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    # The provider the entry belongs to: the provider's own events, and what its users did inside client orgs.
    provider_id: uuid.UUID | None = None
    cipher_id: uuid.UUID | None = None
    collection_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    policy_id: uuid.UUID | None = None
    organization_user_id: uuid.UUID | None = None
    provider_user_id: uuid.UUID | None = None
    provider_organization_id: uuid.UUID | None = None
    device_type: int | None = None
    ip_address: str | None = None


def entry_for(envelope: Envelope) -> AuditEntry | None:
    """The audit entry an event becomes, or None when Bitwarden has no code for it. Pure."""
    code = CODES.get((envelope.type, envelope.version))
    if code is None:
        return None
    actor = envelope.actor
    acted: dict[str, Any] = {
        "acting_user_id": actor.user_id,
        "provider_id": actor.provider_id,
        "device_type": actor.device_type,
        "ip_address": actor.ip,
    }
    # The event's own ids win: a provider's events belong to that provider whoever acted.
    return AuditEntry(
        id=envelope.id, type=int(code), date=envelope.occurred_at, **(acted | _ids_of(envelope.payload()))
    )


def _ids_of(event: EventData) -> dict[str, uuid.UUID | None]:
    match event:
        case (
            ic.TwoFactorEnabledV1()
            | ic.TwoFactorDisabledV1()
            | ic.TwoFactorRecoveredV1()
            | ic.UserLoggedInV1()
            | ic.UserLoginFailedV1()
            | ic.UserTwoStepLoginFailedV1()
            | ic.MasterPasswordChangedV1()
            | ic.TempPasswordUpdatedV1()
        ):
            return {"user_id": event.user_id}  # the organizations are the recorder's: each one the user is in
        case ic.AccountRecoveredV1():
            return {
                "organization_id": event.organization_id,
                "organization_user_id": event.organization_user_id,
                "user_id": event.user_id,
            }
        case (
            oc.MemberInvitedV1()
            | oc.MemberConfirmedV1()
            | oc.MemberUpdatedV1()
            | oc.MemberRemovedV1()
            | oc.MemberRevokedV1()
            | oc.MemberRestoredV1()
            | oc.MemberEnrolledInAccountRecoveryV1()
            | oc.MemberWithdrewFromAccountRecoveryV1()
        ):
            return {
                "organization_id": event.organization_id,
                "organization_user_id": event.member_id,
                "user_id": event.user_id,
            }
        case oc.CollectionCreatedV1() | oc.CollectionDeletedV1():  # CollectionUpdatedV1 is a CollectionCreatedV1
            return {"organization_id": event.organization_id, "collection_id": event.collection_id}
        case oc.OrganizationUpdatedV1() | oc.PolicyUpdatedV1():
            # The policy's id is not in the event; the organization service fills it from its policies table.
            return {"organization_id": event.organization_id}
        case (
            vc.CipherCreatedV1()
            | vc.CipherUpdatedV1()
            | vc.CipherDeletedV1()
            | vc.CipherSharedV1()
            | vc.CipherSoftDeletedV1()
            | vc.CipherRestoredV1()
        ):
            return {"organization_id": event.organization_id, "cipher_id": event.cipher_id, "user_id": event.user_id}
        case (
            pc.ProviderUserInvitedV1()
            | pc.ProviderUserConfirmedV1()
            | pc.ProviderUserUpdatedV1()
            | pc.ProviderUserRevokedV1()
            | pc.ProviderUserRestoredV1()
            | pc.ProviderUserRemovedV1()
        ):
            return {
                "provider_id": event.provider_id,
                "provider_user_id": event.provider_user_id,
                "user_id": event.user_id,
            }
        case pc.ClientOrgCreatedV1() | pc.ClientOrgAddedV1() | pc.ClientOrgRemovedV1():
            # The link's id is not in the event; the provider service fills it from its own tables.
            return {"provider_id": event.provider_id, "organization_id": event.organization_id}
    raise LookupError(f"{type(event).__name__} has a code but no ids")  # a gap in the tables above
