"""The access rule, case by case: personal owner, each member type and flag, custom, revoked, provider users."""

from __future__ import annotations

import uuid

import pytest

from mspvault.vault.domain.access import (
    CallerFacts,
    CipherAccess,
    CipherFacts,
    ClientLink,
    CollectionGrant,
    Membership,
    MemberStatus,
    MemberType,
    OrganizationAudience,
    ProviderMembership,
    audience_of,
    can_write_collection,
    cipher_access,
    may_use_organization,
    membership_of,
)

ME = uuid.uuid4()
ORG = uuid.uuid4()
PROVIDER = uuid.uuid4()
COL_A = uuid.uuid4()
COL_B = uuid.uuid4()
CONFIRMED = MemberStatus.CONFIRMED

ORG_ITEM = CipherFacts(owner_id=None, organization_id=ORG, collection_ids=(COL_A, COL_B))


def member(kind: MemberType, status: int = CONFIRMED, **flags: bool) -> dict[uuid.UUID, Membership]:
    return {ORG: Membership(kind, status, **flags)}


def caller(**facts: object) -> CallerFacts:
    return CallerFacts(user_id=ME, **facts)  # type: ignore[arg-type]


def test_personal_item_is_its_owners_alone() -> None:
    mine = CipherFacts(owner_id=ME, organization_id=None)
    theirs = CipherFacts(owner_id=uuid.uuid4(), organization_id=None)
    assert cipher_access(caller(), mine) == CipherAccess(edit=True, view_password=True, manage=True)
    assert cipher_access(caller(), theirs) is None
    # Even an owner of every organization does not see someone else's personal item.
    assert cipher_access(caller(memberships=member(MemberType.OWNER)), theirs) is None


@pytest.mark.parametrize("kind", [MemberType.OWNER, MemberType.ADMIN])
def test_owners_and_admins_see_every_item_with_every_collection(kind: MemberType) -> None:
    access = cipher_access(caller(memberships=member(kind)), ORG_ITEM)
    assert access == CipherAccess(True, True, True, (COL_A, COL_B))
    uncollected = CipherFacts(None, ORG, ())
    assert cipher_access(caller(memberships=member(kind)), uncollected) is not None


def test_user_sees_items_only_through_assigned_collections() -> None:
    grants = {COL_A: CollectionGrant()}
    access = cipher_access(caller(memberships=member(MemberType.USER), grants=grants), ORG_ITEM)
    assert access == CipherAccess(edit=True, view_password=True, manage=False, collection_ids=(COL_A,))
    assert access.permissions == {"delete": True, "restore": True}
    other = CipherFacts(None, ORG, (uuid.uuid4(),))
    assert cipher_access(caller(memberships=member(MemberType.USER), grants=grants), other) is None


def test_user_without_collections_sees_nothing() -> None:
    assert cipher_access(caller(memberships=member(MemberType.USER)), ORG_ITEM) is None


def test_read_only_collection_gives_no_edit_and_no_delete() -> None:
    grants = {COL_A: CollectionGrant(read_only=True)}
    access = cipher_access(caller(memberships=member(MemberType.USER), grants=grants), ORG_ITEM)
    assert access is not None
    assert (access.edit, access.view_password, access.can_write) == (False, True, False)
    assert access.permissions == {"delete": False, "restore": False}
    assert not access.can_change_collections


def test_hide_passwords_gives_view_password_false_but_edit() -> None:
    grants = {COL_A: CollectionGrant(hide_passwords=True)}
    access = cipher_access(caller(memberships=member(MemberType.USER), grants=grants), ORG_ITEM)
    assert access is not None
    assert (access.edit, access.view_password) == (True, False)
    assert not access.can_change_collections  # no copying a hidden password into a visible collection


def test_restrictions_hold_only_when_every_collection_imposes_them() -> None:
    grants = {COL_A: CollectionGrant(read_only=True, hide_passwords=True), COL_B: CollectionGrant()}
    access = cipher_access(caller(memberships=member(MemberType.USER), grants=grants), ORG_ITEM)
    assert access == CipherAccess(True, True, False, (COL_A, COL_B))


def test_manage_in_any_collection_allows_writing_even_read_only() -> None:
    grants = {COL_A: CollectionGrant(read_only=True, manage=True), COL_B: CollectionGrant(read_only=True)}
    access = cipher_access(caller(memberships=member(MemberType.USER), grants=grants), ORG_ITEM)
    assert access is not None
    assert access.manage
    assert access.can_write
    assert access.edit
    assert access.can_change_collections


def test_custom_member_needs_edit_any_collection_to_see_everything() -> None:
    plain_custom = caller(memberships=member(MemberType.CUSTOM))
    assert cipher_access(plain_custom, ORG_ITEM) is None
    editor = caller(memberships=member(MemberType.CUSTOM, edit_any_collection=True))
    assert cipher_access(editor, ORG_ITEM) == CipherAccess(True, True, True, (COL_A, COL_B))


def test_legacy_access_all_sees_everything() -> None:
    assert cipher_access(caller(memberships=member(MemberType.USER, access_all=True)), ORG_ITEM) is not None


@pytest.mark.parametrize("status", [MemberStatus.REVOKED, MemberStatus.INVITED, MemberStatus.ACCEPTED])
@pytest.mark.parametrize("kind", list(MemberType))
def test_members_not_confirmed_see_nothing(kind: MemberType, status: MemberStatus) -> None:
    facts = caller(memberships=member(kind, status, edit_any_collection=True), grants={COL_A: CollectionGrant()})
    assert cipher_access(facts, ORG_ITEM) is None
    assert not may_use_organization(facts, ORG)
    assert not can_write_collection(facts, ORG, COL_A)


def test_grants_without_membership_give_nothing() -> None:
    assert cipher_access(caller(grants={COL_A: CollectionGrant()}), ORG_ITEM) is None


def _provider_user(*, confirmed: bool = True, revoked: bool = False, access_to_items: bool = True) -> CallerFacts:
    return caller(
        providers={PROVIDER: ProviderMembership(confirmed=confirmed, revoked=revoked)},
        client_links={ORG: ClientLink(PROVIDER, access_to_items)},
    )


def test_provider_user_sees_every_item_of_client_orgs() -> None:
    assert cipher_access(_provider_user(), ORG_ITEM) == CipherAccess(True, True, True, (COL_A, COL_B))
    assert may_use_organization(_provider_user(), ORG)
    assert can_write_collection(_provider_user(), ORG, COL_B)


def test_provider_access_off_hides_the_clients_items() -> None:
    facts = _provider_user(access_to_items=False)
    assert cipher_access(facts, ORG_ITEM) is None
    assert not may_use_organization(facts, ORG)


@pytest.mark.parametrize(("confirmed", "revoked"), [(False, False), (True, True), (False, True)])
def test_unconfirmed_or_revoked_provider_users_see_nothing(confirmed: bool, revoked: bool) -> None:
    assert cipher_access(_provider_user(confirmed=confirmed, revoked=revoked), ORG_ITEM) is None


def test_user_of_another_provider_sees_nothing() -> None:
    other = caller(
        providers={uuid.uuid4(): ProviderMembership(confirmed=True)}, client_links={ORG: ClientLink(PROVIDER)}
    )
    assert cipher_access(other, ORG_ITEM) is None


def test_outsider_sees_nothing() -> None:
    assert cipher_access(caller(), ORG_ITEM) is None
    assert not may_use_organization(caller(), ORG)


def test_disabled_organization_hides_its_items_from_everyone() -> None:
    facts = CallerFacts(
        ME,
        memberships=member(MemberType.OWNER),
        providers={PROVIDER: ProviderMembership(True)},
        client_links={ORG: ClientLink(PROVIDER)},
        disabled_orgs=frozenset({ORG}),
    )
    assert cipher_access(facts, ORG_ITEM) is None


def test_writable_collection_needs_a_non_read_only_grant_or_manage() -> None:
    facts = caller(
        memberships=member(MemberType.USER),
        grants={COL_A: CollectionGrant(read_only=True), COL_B: CollectionGrant(read_only=True, manage=True)},
    )
    assert not can_write_collection(facts, ORG, COL_A)
    assert can_write_collection(facts, ORG, COL_B)
    assert not can_write_collection(facts, ORG, uuid.uuid4())


def test_audience_matches_the_access_rule() -> None:
    owner, reader, outsider_member, revoked, admin_invited, provider_user, revoked_provider_user = (
        uuid.uuid4() for _ in range(7)
    )
    facts = OrganizationAudience(
        members={
            owner: Membership(MemberType.OWNER, CONFIRMED),
            reader: Membership(MemberType.USER, CONFIRMED),
            outsider_member: Membership(MemberType.USER, CONFIRMED),
            revoked: Membership(MemberType.USER, MemberStatus.REVOKED),
            admin_invited: Membership(MemberType.ADMIN, MemberStatus.INVITED),
        },
        collection_users={COL_A: {reader, revoked}, COL_B: {outsider_member}},
        provider_users={provider_user: ProviderMembership(True), revoked_provider_user: ProviderMembership(True, True)},
        link=ClientLink(PROVIDER),
    )
    assert audience_of(facts, [COL_A]) == {owner, reader, provider_user}
    no_provider = OrganizationAudience(
        facts.members, facts.collection_users, facts.provider_users, ClientLink(PROVIDER, False)
    )
    assert audience_of(no_provider, [COL_A]) == {owner, reader}


def test_membership_of_reads_custom_permissions_in_either_spelling() -> None:
    assert membership_of(4, 2, {"editAnyCollection": True}).has_full_access
    assert membership_of(4, 2, {"edit_any_collection": True}).has_full_access
    assert not membership_of(4, 2, None).has_full_access
    assert not membership_of(4, 1, {"editAnyCollection": True}).has_full_access  # not confirmed yet
    assert Membership(2, 2, access_all=True).has_full_access  # legacy access-all, kept in the read model
