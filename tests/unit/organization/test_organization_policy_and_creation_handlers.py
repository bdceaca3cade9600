"""Policies, organization creation and editing, and the audit recorder, against fakes."""

from __future__ import annotations

import uuid

import pytest

from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.errors import (
    InvalidEncString,
    NotPermitted,
    OrganizationNotFound,
    PolicyDependency,
    SingleOrgPolicyViolation,
)
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.policies import PolicyType
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.organization.service_layer import audit, organizations, policies
from mspvault.organization.service_layer.commands import CreateOrganization, PutPolicy, UpdateOrganization
from mspvault.shared.contracts.envelope import Actor, Envelope
from mspvault.shared.contracts.organization import (
    CollectionAccessChangedV1,
    MemberAccess,
    MemberRevokedV1,
    OrganizationUpdatedV1,
    PolicyUpdatedV1,
)
from mspvault.shared.contracts.vault import CipherCreatedV1
from tests.unit.organization.fakes import RSA, SYM, World, principal, world


def member_elsewhere(w: World, user_id: uuid.UUID, member_type: MemberType = MemberType.USER) -> Member:
    member = Member(uuid.uuid4(), uuid.uuid4(), "x@example.test", member_type, MemberStatus.CONFIRMED, user_id)
    w.store.members[member.id] = member
    return member


# ---- policies ----------------------------------------------------------------------------------------------------
async def test_turning_single_org_on_revokes_the_members_who_belong_elsewhere() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    bert, _ = w.join("bert")
    alice, _ = w.join("alice", MemberType.ADMIN)
    member_elsewhere(w, carol.user_id)
    member_elsewhere(w, alice.user_id)  # Admins are exempt
    collection = w.collection(users=[(carol_member.id, Grant(read_only=True))])

    policy_id = await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, PolicyType.SINGLE_ORG, True))

    assert w.store.policies[(w.org.id, PolicyType.SINGLE_ORG)] == (policy_id, True, None)
    assert w.store.members[carol_member.id].status == MemberStatus.REVOKED
    assert w.uow.types() == ["MemberRevoked", "CollectionAccessChanged", "PolicyUpdated"]
    [revoked] = w.uow.events(MemberRevokedV1)
    assert revoked.member_id == carol_member.id
    [access] = w.uow.events(CollectionAccessChangedV1)
    assert access.collection_id == collection.id
    assert carol.user_id not in {a.user_id for a in access.access}
    assert w.store.bumped == {w.owner.user_id, carol.user_id, bert.user_id, alice.user_id}

    w.uow.published.clear()
    again = await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, PolicyType.SINGLE_ORG, True, {"x": 1}))
    assert again == policy_id
    assert w.uow.types() == ["PolicyUpdated"]  # already on: nobody else is revoked


async def test_policies_that_need_single_org_wait_for_it_and_hold_it_on() -> None:
    w = world()
    with pytest.raises(PolicyDependency):
        await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, PolicyType.REQUIRE_SSO, True))
    await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, PolicyType.SINGLE_ORG, True))
    await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, PolicyType.MAXIMUM_VAULT_TIMEOUT, True))
    with pytest.raises(PolicyDependency):
        await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, PolicyType.SINGLE_ORG, False))
    event = w.uow.events(PolicyUpdatedV1)[-1]
    assert (event.policy_type, event.enabled) == (int(PolicyType.MAXIMUM_VAULT_TIMEOUT), True)


async def test_policies_are_for_policy_managers() -> None:
    w = world()
    carol, _ = w.join("carol")
    with pytest.raises(NotPermitted):
        await policies.put_policy(w.work(), carol, PutPolicy(w.org.id, PolicyType.SINGLE_ORG, True))
    paula, _ = w.join("paula", MemberType.CUSTOM, permissions={"managePolicies": True})
    await policies.put_policy(w.work(), paula, PutPolicy(w.org.id, PolicyType.PASSWORD_GENERATOR, True))


# ---- creating an organization ------------------------------------------------------------------------------------
async def test_the_creator_is_the_confirmed_owner_and_manages_the_default_collection() -> None:
    w = world()
    olga = principal("olga")
    command = CreateOrganization("Contoso", " Billing@Contoso.test", 20, RSA, "AAAA", SYM, SYM)
    org_id = await organizations.create_organization(w.work(), olga, command)

    org = w.store.orgs[org_id]
    assert (org.name, org.billing_email, org.provider_id) == ("Contoso", "billing@contoso.test", None)
    [owner] = [m for m in w.store.members.values() if m.organization_id == org_id]
    assert (owner.user_id, owner.type, owner.status, owner.key) == (
        olga.user_id,
        MemberType.OWNER,
        MemberStatus.CONFIRMED,
        RSA,
    )
    assert w.uow.types() == ["OrganizationCreated", "MemberConfirmed", "CollectionCreated", "CollectionAccessChanged"]
    [access] = w.uow.events(CollectionAccessChangedV1)
    assert access.access == [MemberAccess(user_id=olga.user_id, read_only=False, hide_passwords=False, manage=True)]
    assert w.store.bumped == {olga.user_id}
    assert w.uow.commits == 1


async def test_creating_is_refused_with_bad_keys_or_under_another_orgs_single_org_policy() -> None:
    w = world()
    olga = principal("olga")
    with pytest.raises(InvalidEncString):
        await organizations.create_organization(w.work(), olga, CreateOrganization("C", "b@c.test", 20, "not rsa"))
    with pytest.raises(InvalidEncString):
        await organizations.create_organization(
            w.work(), olga, CreateOrganization("C", "b@c.test", 20, RSA, collection_name="plain")
        )
    w.join("olga-here")
    carol, _ = w.join("carol")
    w.store.policies[(w.org.id, PolicyType.SINGLE_ORG)] = (uuid.uuid4(), True, None)
    with pytest.raises(SingleOrgPolicyViolation):
        await organizations.create_organization(w.work(), carol, CreateOrganization("C", "b@c.test", 20, RSA))
    await organizations.create_organization(w.work(), w.owner, CreateOrganization("C", "b@c.test", 20, RSA))


# ---- editing an organization -------------------------------------------------------------------------------------
async def test_owners_and_the_provider_edit_the_name_and_billing_email() -> None:
    w = world()
    member, _ = w.join("mia")
    provider_id, provider_user = w.linked_to_provider()

    await organizations.update_organization(
        w.work(), w.owner, UpdateOrganization(w.org.id, "Fabrikam Ltd", " Accounts@Fabrikam.TEST")
    )

    saved = w.store.orgs[w.org.id]
    assert (saved.name, saved.billing_email) == ("Fabrikam Ltd", "accounts@fabrikam.test")
    [updated] = w.uow.events(OrganizationUpdatedV1)
    assert (updated.organization_id, updated.name, updated.provider_id) == (w.org.id, "Fabrikam Ltd", provider_id)
    assert {w.owner.user_id, member.user_id} <= w.store.bumped

    await organizations.update_organization(
        w.work(), provider_user, UpdateOrganization(w.org.id, "Fabrikam Group", "accounts@fabrikam.test")
    )
    assert w.store.orgs[w.org.id].name == "Fabrikam Group"
    assert w.uow.published[-1][1].provider_id == provider_id


async def test_admins_members_and_strangers_may_not_edit_the_organization() -> None:
    w = world()
    admin, _ = w.join("alice", MemberType.ADMIN)
    user, _ = w.join("carol")
    invited, _ = w.join("ivan", MemberType.OWNER, status=MemberStatus.ACCEPTED)
    for who, refusal in ((admin, NotPermitted), (user, NotPermitted), (invited, OrganizationNotFound)):
        with pytest.raises(refusal):
            await organizations.update_organization(w.work(), who, UpdateOrganization(w.org.id, "Mine", "a@b.test"))
    with pytest.raises(OrganizationNotFound):
        await organizations.update_organization(
            w.work(), principal("stranger"), UpdateOrganization(w.org.id, "Mine", "a@b.test")
        )
    assert w.store.orgs[w.org.id].name == "Fabrikam"
    assert w.uow.published == []


# ---- the audit recorder ------------------------------------------------------------------------------------------
async def test_policy_entries_name_the_policy_and_unknown_orgs_are_skipped() -> None:
    w = world()
    policy_id = await policies.put_policy(w.work(), w.owner, PutPolicy(w.org.id, PolicyType.SINGLE_ORG, True))
    [(event, actor)] = w.uow.published
    envelope = Envelope.wrap(event, producer="organization", correlation_id=None, actor=actor)
    await audit.record_own_event(w.work(), event, envelope)
    assert w.audit is not None
    [entry] = w.audit.entries
    assert (entry.organization_id, entry.policy_id) == (w.org.id, policy_id)

    elsewhere = PolicyUpdatedV1(organization_id=uuid.uuid4(), policy_type=3, enabled=True)
    await audit.record_own_event(
        w.work(), elsewhere, Envelope.wrap(elsewhere, producer="organization", correlation_id=None)
    )
    assert len(w.audit.entries) == 1


async def test_a_vault_entry_names_the_provider_whose_user_acted() -> None:
    w = world()
    provider_id, bob = w.linked_to_provider()
    event = CipherCreatedV1(owner_id=w.org.id, cipher_id=uuid.uuid4(), organization_id=w.org.id)
    envelope = Envelope.wrap(event, producer="vault", correlation_id=None, actor=Actor(user_id=bob.user_id))
    await audit.record_vault_event(w.work(), event, envelope)
    assert w.audit is not None
    [entry] = w.audit.entries
    assert (entry.acting_user_id, entry.provider_id) == (bob.user_id, provider_id)
