"""effective_role and what each standing may do: members, custom permissions, and provider users."""

from __future__ import annotations

import uuid

import pytest

from mspvault.organization.domain.roles import (
    MembershipFacts,
    MemberStatus,
    MemberType,
    Permissions,
    ProviderAccess,
    effective_role,
)

PROVIDER = ProviderAccess(uuid.uuid4())


def facts(member_type: MemberType, status: MemberStatus = MemberStatus.CONFIRMED, **perms: bool) -> MembershipFacts:
    return MembershipFacts(uuid.uuid4(), member_type, status, Permissions.from_json(perms))


def test_outsider_has_no_standing() -> None:
    assert effective_role(None, None) is None


@pytest.mark.parametrize("status", [MemberStatus.INVITED, MemberStatus.ACCEPTED, MemberStatus.REVOKED])
def test_only_confirmed_members_have_standing(status: MemberStatus) -> None:
    assert effective_role(facts(MemberType.OWNER, status), None) is None


def test_provider_user_acts_as_owner_without_membership() -> None:
    standing = effective_role(None, PROVIDER)
    assert standing is not None
    assert standing.is_owner
    assert standing.via_provider
    assert standing.provider_id == PROVIDER.provider_id
    assert standing.member_id is None
    assert standing.can_manage_users
    assert standing.can_manage_policies
    assert standing.sees_all_collections


def test_provider_link_lifts_a_member_to_owner_and_a_revoked_member_keeps_provider_rights() -> None:
    user = facts(MemberType.USER)
    lifted = effective_role(user, PROVIDER)
    assert lifted is not None
    assert lifted.is_owner
    assert lifted.member_id == user.member_id
    revoked = effective_role(facts(MemberType.USER, MemberStatus.REVOKED), PROVIDER)
    assert revoked is not None
    assert revoked.is_owner
    assert revoked.member_id is None


def test_a_real_owner_is_not_reported_as_acting_for_the_provider() -> None:
    standing = effective_role(facts(MemberType.OWNER), PROVIDER)
    assert standing is not None
    assert standing.is_owner
    assert not standing.via_provider


def test_plain_user_may_do_no_admin_work() -> None:
    standing = effective_role(facts(MemberType.USER), None)
    assert standing is not None
    assert not any(
        [
            standing.can_manage_users,
            standing.can_manage_groups,
            standing.can_manage_policies,
            standing.can_create_collections,
            standing.can_edit_any_collection,
            standing.can_delete_any_collection,
            standing.sees_all_collections,
            standing.can_read_members,
        ]
    )


def test_admin_manages_all_but_owners() -> None:
    standing = effective_role(facts(MemberType.ADMIN), None)
    assert standing is not None
    assert standing.can_manage_users
    assert standing.can_manage_policies
    assert standing.can_manage_member_of_type(MemberType.ADMIN)
    assert standing.can_manage_member_of_type(MemberType.USER)
    assert not standing.can_manage_member_of_type(MemberType.OWNER)


def test_custom_rights_come_from_permissions_only() -> None:
    standing = effective_role(facts(MemberType.CUSTOM, manageUsers=True, createNewCollections=True), None)
    assert standing is not None
    assert standing.can_manage_users
    assert standing.can_create_collections
    assert not standing.can_manage_policies
    assert not standing.can_manage_groups
    assert not standing.sees_all_collections
    assert standing.can_manage_member_of_type(MemberType.USER)
    assert standing.can_manage_member_of_type(MemberType.CUSTOM)
    assert not standing.can_manage_member_of_type(MemberType.ADMIN)
    assert not standing.can_manage_member_of_type(MemberType.OWNER)


def test_custom_without_manage_users_manages_no_member() -> None:
    standing = effective_role(facts(MemberType.CUSTOM, editAnyCollection=True), None)
    assert standing is not None
    assert standing.sees_all_collections
    assert not standing.can_manage_member_of_type(MemberType.USER)


def test_permissions_round_trip_ignores_unknown_and_non_true_values() -> None:
    perms = Permissions.from_json({"manageUsers": True, "managePolicies": "yes", "bogus": True})
    assert perms.granted == frozenset({"manageUsers"})
    as_json = perms.to_json()
    assert as_json["manageUsers"] is True
    assert as_json["managePolicies"] is False
    assert "bogus" not in as_json
    assert len(as_json) == 12
