"""Every domain event maps to Bitwarden's event type code with the right ids, or is deliberately not audited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from mspvault.shared import audit
from mspvault.shared.audit.codes import EventType
from mspvault.shared.contracts import event_registry, load_all_contracts
from mspvault.shared.contracts import identity as ic
from mspvault.shared.contracts import organization as oc
from mspvault.shared.contracts import provider as pc
from mspvault.shared.contracts import revisions as rc
from mspvault.shared.contracts import vault as vc
from mspvault.shared.contracts.envelope import Actor, Envelope, EventData

ORG, MEMBER, USER, COLLECTION = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
PROVIDER, PROVIDER_USER, CIPHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
Ids = dict[str, uuid.UUID | None]
ACTOR = Actor(user_id=uuid.uuid4(), provider_id=uuid.uuid4(), device_type=9, ip="203.0.113.7")

member = {"organization_id": ORG, "member_id": MEMBER, "user_id": USER, "email": "c@x.test", "type": 2, "status": 0}
member_ids: Ids = {"organization_id": ORG, "organization_user_id": MEMBER, "user_id": USER}
pu = {"provider_id": PROVIDER, "provider_user_id": PROVIDER_USER, "user_id": USER, "email": "b@x.test", "type": 1}
pu_ids: Ids = {"provider_id": PROVIDER, "provider_user_id": PROVIDER_USER, "user_id": USER}
cipher = {"owner_id": ORG, "cipher_id": CIPHER, "organization_id": ORG}
cipher_ids: Ids = {"organization_id": ORG, "cipher_id": CIPHER, "user_id": None}
client: Ids = {"provider_id": PROVIDER, "organization_id": ORG}
client_created = client | {
    "provider_name": "Acme",
    "name": "Contoso",
    "billing_email": "b@c.test",
    "owner_email": "o@c.test",
    "plan_type": 20,
    "seats": 5,
    "public_key": "AAAA",
    "encrypted_private_key": "2.a|b|c",
}

AUDITED: list[tuple[EventData, EventType, Ids]] = [
    (oc.MemberInvitedV1(**member), EventType.ORGANIZATION_USER_INVITED, member_ids),
    (oc.MemberConfirmedV1(**member), EventType.ORGANIZATION_USER_CONFIRMED, member_ids),
    (oc.MemberUpdatedV1(**member), EventType.ORGANIZATION_USER_UPDATED, member_ids),
    (oc.MemberRemovedV1(**member), EventType.ORGANIZATION_USER_REMOVED, member_ids),
    (oc.MemberRevokedV1(**member), EventType.ORGANIZATION_USER_REVOKED, member_ids),
    (oc.MemberRestoredV1(**member), EventType.ORGANIZATION_USER_RESTORED, member_ids),
    (oc.MemberEnrolledInAccountRecoveryV1(**member), EventType.ORGANIZATION_USER_RESET_PASSWORD_ENROLL, member_ids),
    (
        oc.MemberWithdrewFromAccountRecoveryV1(**member),
        EventType.ORGANIZATION_USER_RESET_PASSWORD_WITHDRAW,
        member_ids,
    ),
    (
        oc.CollectionCreatedV1(organization_id=ORG, collection_id=COLLECTION, name="2.a|b|c"),
        EventType.COLLECTION_CREATED,
        {"organization_id": ORG, "collection_id": COLLECTION},
    ),
    (
        oc.CollectionUpdatedV1(organization_id=ORG, collection_id=COLLECTION, name="2.a|b|c"),
        EventType.COLLECTION_UPDATED,
        {"organization_id": ORG, "collection_id": COLLECTION},
    ),
    (
        oc.CollectionDeletedV1(organization_id=ORG, collection_id=COLLECTION),
        EventType.COLLECTION_DELETED,
        {"organization_id": ORG, "collection_id": COLLECTION},
    ),
    (
        oc.OrganizationUpdatedV1(organization_id=ORG, name="Contoso", enabled=True),
        EventType.ORGANIZATION_UPDATED,
        {"organization_id": ORG},
    ),
    (
        oc.PolicyUpdatedV1(organization_id=ORG, policy_type=0, enabled=True),
        EventType.POLICY_UPDATED,
        {"organization_id": ORG, "policy_id": None},
    ),
    (vc.CipherCreatedV1(**cipher), EventType.CIPHER_CREATED, cipher_ids),
    (vc.CipherUpdatedV1(**cipher), EventType.CIPHER_UPDATED, cipher_ids),
    (vc.CipherDeletedV1(**cipher), EventType.CIPHER_DELETED, cipher_ids),
    (vc.CipherSharedV1(**cipher), EventType.CIPHER_SHARED, cipher_ids),
    (vc.CipherSoftDeletedV1(**cipher), EventType.CIPHER_SOFT_DELETED, cipher_ids),
    (vc.CipherRestoredV1(**cipher), EventType.CIPHER_RESTORED, cipher_ids),
    (pc.ProviderUserInvitedV1(**pu), EventType.PROVIDER_USER_INVITED, pu_ids),
    (pc.ProviderUserConfirmedV1(**pu), EventType.PROVIDER_USER_CONFIRMED, pu_ids),
    (pc.ProviderUserUpdatedV1(**pu), EventType.PROVIDER_USER_UPDATED, pu_ids),
    (pc.ProviderUserRevokedV1(**pu), EventType.PROVIDER_USER_UPDATED, pu_ids),
    (pc.ProviderUserRestoredV1(**pu), EventType.PROVIDER_USER_UPDATED, pu_ids),
    (pc.ProviderUserRemovedV1(**pu), EventType.PROVIDER_USER_REMOVED, pu_ids),
    (pc.ClientOrgCreatedV1(**client_created), EventType.PROVIDER_ORGANIZATION_CREATED, client),
    (pc.ClientOrgAddedV1(**client, provider_name="Acme"), EventType.PROVIDER_ORGANIZATION_ADDED, client),
    (pc.ClientOrgRemovedV1(**client), EventType.PROVIDER_ORGANIZATION_REMOVED, client),
    # A user's own events carry only the user; the organization service records one per organization they joined.
    (ic.TwoFactorEnabledV1(user_id=USER, provider=0, providers=[0]), EventType.USER_UPDATED_2FA, {"user_id": USER}),
    (ic.TwoFactorDisabledV1(user_id=USER, provider=0, providers=[]), EventType.USER_DISABLED_2FA, {"user_id": USER}),
    (ic.TwoFactorRecoveredV1(user_id=USER), EventType.USER_RECOVERED_2FA, {"user_id": USER}),
    (ic.UserLoggedInV1(user_id=USER), EventType.USER_LOGGED_IN, {"user_id": USER}),
    (ic.UserLoginFailedV1(user_id=USER), EventType.USER_FAILED_LOG_IN, {"user_id": USER}),
    (ic.UserTwoStepLoginFailedV1(user_id=USER), EventType.USER_FAILED_LOG_IN_2FA, {"user_id": USER}),
    (ic.MasterPasswordChangedV1(user_id=USER), EventType.USER_CHANGED_PASSWORD, {"user_id": USER}),
    (ic.TempPasswordUpdatedV1(user_id=USER), EventType.USER_UPDATED_TEMP_PASSWORD, {"user_id": USER}),
    # An account recovery belongs to the organization that recovered the member.
    (
        ic.AccountRecoveredV1(user_id=USER, organization_id=ORG, organization_user_id=MEMBER),
        EventType.ORGANIZATION_USER_ADMIN_RESET_PASSWORD,
        member_ids,
    ),
]

# Bitwarden has no code for these (or their cause is audited already); a new contract must be put in one list.
NOT_AUDITED: set[type[EventData]] = {
    ic.UserRegisteredV1,
    ic.UserKeysSetV1,
    ic.UserProfileUpdatedV1,
    ic.UserDeletedV1,
    ic.SecurityStampRotatedV1,  # its causes are audited (1001 password changed, 1508 recovered); logouts are not
    pc.ProviderCreatedV1,
    pc.ProviderUpdatedV1,
    pc.ProviderUserAcceptedV1,
    pc.ClientSeatsChangedV1,
    pc.ClientSettingsChangedV1,
    oc.OrganizationCreatedV1,
    oc.OrganizationDeletedV1,
    oc.MemberAcceptedV1,
    oc.CollectionAccessChangedV1,
    oc.OrganizationApiKeyRotatedV1,  # Bitwarden logs no event for viewing or rotating an organization's API key
    vc.CiphersImportedV1,  # Bitwarden logs no event for an import
    vc.FolderCreatedV1,
    vc.FolderUpdatedV1,
    vc.FolderDeletedV1,
    rc.RevisionsBumpedV1,  # bookkeeping for revision dates, not something a person did
}


def _type_name(model: type[EventData]) -> str:
    return model.event_type


def wrap(event: EventData, actor: Actor = ACTOR) -> Envelope:
    return Envelope.wrap(event, producer="test", correlation_id="c0ffee00", actor=actor)


@pytest.mark.parametrize(("event", "code", "ids"), AUDITED, ids=[type(e).__name__ for e, _, _ in AUDITED])
def test_each_event_becomes_its_bitwarden_code_with_its_ids(event, code, ids) -> None:
    envelope = wrap(event)
    entry = audit.entry_for(envelope)
    assert entry is not None
    assert entry.type == code
    assert (entry.id, entry.date) == (envelope.id, envelope.occurred_at)
    assert (entry.acting_user_id, entry.device_type, entry.ip_address) == (ACTOR.user_id, 9, "203.0.113.7")
    for name, value in ids.items():
        assert getattr(entry, name) == value, name
    # Ids the event does not carry stay empty, so an entry never points at something unrelated.
    carried = set(ids) | {"id", "type", "date", "acting_user_id", "device_type", "ip_address", "provider_id"}
    for name in set(audit.AuditEntry.__dataclass_fields__) - carried:
        assert getattr(entry, name) is None, name


@pytest.mark.parametrize(("event", "code", "ids"), AUDITED, ids=[type(e).__name__ for e, _, _ in AUDITED])
def test_the_acting_provider_comes_from_the_actor_except_on_the_providers_own_events(event, code, ids) -> None:
    entry = audit.entry_for(wrap(event))
    assert entry is not None
    if "provider_id" in ids:
        assert entry.provider_id == PROVIDER  # the provider's own log, whoever acted (an operator, say)
    else:
        assert entry.provider_id == ACTOR.provider_id  # a provider user acting inside a client organization


def test_an_event_without_actor_records_no_actor() -> None:
    entry = audit.entry_for(wrap(oc.MemberInvitedV1(**member), actor=Actor()))
    assert entry is not None
    assert (entry.acting_user_id, entry.provider_id, entry.device_type, entry.ip_address) == (None, None, None, None)


def test_every_contract_is_audited_or_deliberately_not() -> None:
    load_all_contracts()
    audited = {type(event) for event, _, _ in AUDITED}
    assert audited == (
        set(audit.IDENTITY_CODES) | set(audit.ORGANIZATION_CODES) | set(audit.VAULT_CODES) | set(audit.PROVIDER_CODES)
    )
    assert audited.isdisjoint(NOT_AUDITED)
    contracts = {m for m in event_registry().values() if m.__module__.startswith("mspvault.shared.contracts.")}
    assert contracts == audited | NOT_AUDITED


@pytest.mark.parametrize("model", sorted(NOT_AUDITED, key=str), ids=_type_name)
def test_events_without_a_code_are_not_audited(model) -> None:
    envelope = Envelope(type=model.event_type, version=model.version, producer="test", key="k", data={})
    assert audit.entry_for(envelope) is None  # decided on the type alone: the payload is not even parsed


def test_the_codes_are_bitwardens() -> None:
    # Spot checks against bitwarden/server src/Core/AdminConsole/Enums/EventType.cs.
    assert EventType.USER_LOGGED_IN.value == 1000
    assert EventType.USER_CHANGED_PASSWORD.value == 1001
    assert EventType.USER_FAILED_LOG_IN.value == 1005
    assert EventType.USER_FAILED_LOG_IN_2FA.value == 1006
    assert EventType.USER_UPDATED_TEMP_PASSWORD.value == 1008
    assert EventType.ORGANIZATION_USER_RESET_PASSWORD_ENROLL.value == 1506
    assert EventType.ORGANIZATION_USER_RESET_PASSWORD_WITHDRAW.value == 1507
    assert EventType.ORGANIZATION_USER_ADMIN_RESET_PASSWORD.value == 1508
    assert EventType.CIPHER_CREATED.value == 1100
    assert EventType.CIPHER_SOFT_DELETED.value == 1115
    assert EventType.COLLECTION_DELETED.value == 1302
    assert EventType.ORGANIZATION_USER_REVOKED.value == 1511
    assert EventType.ORGANIZATION_UPDATED.value == 1600
    assert EventType.POLICY_UPDATED.value == 1700
    assert EventType.PROVIDER_USER_REMOVED.value == 1803
    assert EventType.PROVIDER_ORGANIZATION_REMOVED.value == 1902


def test_the_response_is_bitwardens_event_model() -> None:
    entry = audit.entry_for(wrap(oc.MemberInvitedV1(**member)))
    assert entry is not None
    body = audit.EventListResponse.of(audit.Page([entry], "tok")).model_dump(mode="json", by_alias=True)
    assert body["object"] == "list"
    assert body["continuationToken"] == "tok"
    (event,) = body["data"]
    assert set(event) == {
        "object", "type", "userId", "organizationId", "providerId", "cipherId", "collectionId", "groupId",
        "policyId", "organizationUserId", "providerUserId", "providerOrganizationId", "actingUserId",
        "installationId", "date", "deviceType", "ipAddress", "systemUser", "domainName", "secretId",
        "serviceAccountId",
    }  # fmt: skip
    assert event["object"] == "event"
    assert event["type"] == 1500
    assert event["organizationUserId"] == str(MEMBER)
    assert event["providerId"] == str(ACTOR.provider_id)
    assert datetime.fromisoformat(event["date"]) == entry.date.astimezone(UTC)
