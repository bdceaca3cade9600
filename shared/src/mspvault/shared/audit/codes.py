"""Bitwarden's event type codes, and which of our domain events becomes which (by topic).

Codes are Bitwarden's `EventType` (src/Core/AdminConsole/Enums/EventType.cs), so official clients label them.
"""

from __future__ import annotations

from enum import IntEnum

from mspvault.shared.contracts import identity as ic
from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts import provider as pc
from mspvault.shared.contracts import vault as vc
from mspvault.shared.contracts.envelope import EventData


class EventType(IntEnum):
    """The subset of Bitwarden's codes our events produce (same numbers, so official clients label them)."""

    USER_LOGGED_IN = 1000
    USER_CHANGED_PASSWORD = 1001
    USER_UPDATED_2FA = 1002
    USER_DISABLED_2FA = 1003
    USER_RECOVERED_2FA = 1004
    USER_FAILED_LOG_IN = 1005
    USER_FAILED_LOG_IN_2FA = 1006
    USER_UPDATED_TEMP_PASSWORD = 1008
    CIPHER_CREATED = 1100
    CIPHER_UPDATED = 1101
    CIPHER_DELETED = 1102
    CIPHER_SHARED = 1105
    CIPHER_SOFT_DELETED = 1115
    CIPHER_RESTORED = 1116
    COLLECTION_CREATED = 1300
    COLLECTION_UPDATED = 1301
    COLLECTION_DELETED = 1302
    ORGANIZATION_USER_INVITED = 1500
    ORGANIZATION_USER_CONFIRMED = 1501
    ORGANIZATION_USER_UPDATED = 1502
    ORGANIZATION_USER_REMOVED = 1503
    ORGANIZATION_USER_RESET_PASSWORD_ENROLL = 1506
    ORGANIZATION_USER_RESET_PASSWORD_WITHDRAW = 1507
    ORGANIZATION_USER_ADMIN_RESET_PASSWORD = 1508
    ORGANIZATION_USER_REVOKED = 1511
    ORGANIZATION_USER_RESTORED = 1512
    ORGANIZATION_UPDATED = 1600
    POLICY_UPDATED = 1700
    PROVIDER_USER_INVITED = 1800
    PROVIDER_USER_CONFIRMED = 1801
    PROVIDER_USER_UPDATED = 1802
    PROVIDER_USER_REMOVED = 1803
    PROVIDER_ORGANIZATION_CREATED = 1900
    PROVIDER_ORGANIZATION_ADDED = 1901
    PROVIDER_ORGANIZATION_REMOVED = 1902


# Which event becomes which code, by topic. Events missing here have no Bitwarden code and are not audited:
# acceptances (Bitwarden logs none), ProviderCreated/Updated, OrganizationCreated/Deleted, CollectionAccessChanged
# (its cause is audited already), ClientSeatsChanged (the organization logs Organization_Updated),
# ClientSettingsChanged (Bitwarden has no code for it), folders.
# Provider users have no Revoked/Restored codes in Bitwarden; a status change is an update (1802).
ORGANIZATION_CODES: dict[type[EventData], EventType] = {
    oc.OrganizationUpdatedV1: EventType.ORGANIZATION_UPDATED,
    oc.MemberInvitedV1: EventType.ORGANIZATION_USER_INVITED,
    oc.MemberConfirmedV1: EventType.ORGANIZATION_USER_CONFIRMED,
    oc.MemberUpdatedV1: EventType.ORGANIZATION_USER_UPDATED,
    oc.MemberRemovedV1: EventType.ORGANIZATION_USER_REMOVED,
    oc.MemberRevokedV1: EventType.ORGANIZATION_USER_REVOKED,
    oc.MemberRestoredV1: EventType.ORGANIZATION_USER_RESTORED,
    oc.MemberEnrolledInAccountRecoveryV1: EventType.ORGANIZATION_USER_RESET_PASSWORD_ENROLL,
    oc.MemberWithdrewFromAccountRecoveryV1: EventType.ORGANIZATION_USER_RESET_PASSWORD_WITHDRAW,
    oc.CollectionCreatedV1: EventType.COLLECTION_CREATED,
    oc.CollectionUpdatedV1: EventType.COLLECTION_UPDATED,
    oc.CollectionDeletedV1: EventType.COLLECTION_DELETED,
    oc.PolicyUpdatedV1: EventType.POLICY_UPDATED,
}
VAULT_CODES: dict[type[EventData], EventType] = {
    vc.CipherCreatedV1: EventType.CIPHER_CREATED,
    vc.CipherUpdatedV1: EventType.CIPHER_UPDATED,
    vc.CipherDeletedV1: EventType.CIPHER_DELETED,
    vc.CipherSharedV1: EventType.CIPHER_SHARED,
    vc.CipherSoftDeletedV1: EventType.CIPHER_SOFT_DELETED,
    vc.CipherRestoredV1: EventType.CIPHER_RESTORED,
}
# A user's own events: the organization service records them in each organization the user belongs to (Bitwarden
# logs user events to the user's organizations); an account recovery only in the organization that recovered it.
IDENTITY_CODES: dict[type[EventData], EventType] = {
    ic.UserLoggedInV1: EventType.USER_LOGGED_IN,
    ic.MasterPasswordChangedV1: EventType.USER_CHANGED_PASSWORD,
    ic.TwoFactorEnabledV1: EventType.USER_UPDATED_2FA,
    ic.TwoFactorDisabledV1: EventType.USER_DISABLED_2FA,
    ic.TwoFactorRecoveredV1: EventType.USER_RECOVERED_2FA,
    ic.UserLoginFailedV1: EventType.USER_FAILED_LOG_IN,
    ic.UserTwoStepLoginFailedV1: EventType.USER_FAILED_LOG_IN_2FA,
    ic.TempPasswordUpdatedV1: EventType.USER_UPDATED_TEMP_PASSWORD,
    ic.AccountRecoveredV1: EventType.ORGANIZATION_USER_ADMIN_RESET_PASSWORD,
}
PROVIDER_CODES: dict[type[EventData], EventType] = {
    pc.ProviderUserInvitedV1: EventType.PROVIDER_USER_INVITED,
    pc.ProviderUserConfirmedV1: EventType.PROVIDER_USER_CONFIRMED,
    pc.ProviderUserUpdatedV1: EventType.PROVIDER_USER_UPDATED,
    pc.ProviderUserRevokedV1: EventType.PROVIDER_USER_UPDATED,
    pc.ProviderUserRestoredV1: EventType.PROVIDER_USER_UPDATED,
    pc.ProviderUserRemovedV1: EventType.PROVIDER_USER_REMOVED,
    pc.ClientOrgCreatedV1: EventType.PROVIDER_ORGANIZATION_CREATED,
    pc.ClientOrgAddedV1: EventType.PROVIDER_ORGANIZATION_ADDED,
    pc.ClientOrgRemovedV1: EventType.PROVIDER_ORGANIZATION_REMOVED,
}
# By (type, version), as envelopes name them.
CODES: dict[tuple[str, int], EventType] = {
    (model.event_type, model.version): code
    for codes in (IDENTITY_CODES, ORGANIZATION_CODES, VAULT_CODES, PROVIDER_CODES)
    for model, code in codes.items()
}
