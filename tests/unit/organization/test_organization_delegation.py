"""Issue 11 #1: nobody edits their own membership, and nobody hands out a permission or a collection they do not
hold or manage, to members and groups alike (a group manager joining a group that reaches every collection)."""

from __future__ import annotations

import pytest

from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.errors import CannotGrant, ProviderUsersAreNotMembers, SelfAction, UnknownReference
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.organization.service_layer import groups, members
from mspvault.organization.service_layer.commands import (
    AcceptInvite,
    Assignment,
    CreateGroup,
    InviteMembers,
    SetGroupMembers,
    UpdateGroup,
    UpdateMember,
)
from tests.unit.organization.fakes import world
from tests.unit.organization.test_organization_member_handlers import token_of

MANAGE = Grant(manage=True)
READ = Grant(read_only=True)
USER_MANAGER = {"manageUsers": True}
GROUP_MANAGER = {"manageGroups": True}
ADMIN = Assignment(MemberType.ADMIN)


async def test_a_user_manager_cannot_edit_their_own_membership_to_see_every_collection() -> None:
    w = world()
    mallory, own = w.join("mallory", MemberType.CUSTOM, permissions=USER_MANAGER)
    escalate = Assignment(MemberType.CUSTOM, permissions={"manageUsers": True, "editAnyCollection": True})
    with pytest.raises(SelfAction):
        await members.update_member(w.work(), mallory, UpdateMember(w.org.id, own.id, escalate))
    assert w.store.members[own.id].permissions == {**own.permissions, "editAnyCollection": False}  # type: ignore[dict-item]
    assert w.uow.published == []


async def test_nobody_edits_their_own_membership_not_even_an_owner() -> None:
    w = world()
    with pytest.raises(SelfAction):
        await members.update_member(
            w.work(), w.owner, UpdateMember(w.org.id, w.owner_member.id, Assignment(MemberType.OWNER))
        )


async def test_a_user_manager_grants_only_permissions_they_hold() -> None:
    w = world()
    mallory, _ = w.join("mallory", MemberType.CUSTOM, permissions=USER_MANAGER)
    _, accomplice = w.join("trent", MemberType.CUSTOM, permissions={"accessReports": True})
    more = Assignment(MemberType.CUSTOM, permissions={"accessReports": True, "editAnyCollection": True})
    with pytest.raises(CannotGrant, match="editAnyCollection"):
        await members.update_member(w.work(), mallory, UpdateMember(w.org.id, accomplice.id, more))
    with pytest.raises(CannotGrant):
        await members.invite_members(w.work(), mallory, InviteMembers(w.org.id, ("x@example.test",), more))
    # Keeping what the member already has is not granting it; what the manager holds they may give.
    same = Assignment(MemberType.CUSTOM, permissions={"accessReports": True, "manageUsers": True})
    await members.update_member(w.work(), mallory, UpdateMember(w.org.id, accomplice.id, same))
    assert w.store.members[accomplice.id].permissions["manageUsers"] is True  # type: ignore[index]
    # Owners and Admins hold every permission.
    await members.update_member(w.work(), w.owner, UpdateMember(w.org.id, accomplice.id, more))


async def test_a_user_manager_grants_only_collections_they_manage() -> None:
    w = world()
    mallory, own = w.join("mallory", MemberType.CUSTOM, permissions=USER_MANAGER)
    _, trent = w.join("trent")
    secret = w.collection()  # Mallory cannot see it
    seen = w.collection(users=[(own.id, READ)])  # Mallory sees it, read only
    managed = w.collection(users=[(own.id, MANAGE)])

    with pytest.raises(UnknownReference):  # as for an id that does not exist: its existence is not revealed
        await members.update_member(
            w.work(),
            mallory,
            UpdateMember(w.org.id, trent.id, Assignment(MemberType.USER, collections=((secret.id, READ),))),
        )
    with pytest.raises(CannotGrant, match="collections you manage"):
        await members.invite_members(
            w.work(),
            mallory,
            InviteMembers(w.org.id, ("x@example.test",), Assignment(MemberType.USER, collections=((seen.id, READ),))),
        )
    await members.update_member(
        w.work(),
        mallory,
        UpdateMember(w.org.id, trent.id, Assignment(MemberType.USER, collections=((managed.id, READ),))),
    )
    assert w.store.collection_users[(managed.id, trent.id)] == READ


async def test_a_user_manager_cannot_put_a_member_in_a_group_reaching_collections_they_do_not_manage() -> None:
    w = world()
    mallory, _ = w.join("mallory", MemberType.CUSTOM, permissions=USER_MANAGER)
    _, trent = w.join("trent")
    everything = w.group(collections=[(w.collection().id, MANAGE)])
    with pytest.raises(UnknownReference):
        await members.update_member(
            w.work(), mallory, UpdateMember(w.org.id, trent.id, Assignment(MemberType.USER, groups=(everything.id,)))
        )
    # Already in the group: keeping it is fine.
    w.store.group_members.add((everything.id, trent.id))
    await members.update_member(
        w.work(), mallory, UpdateMember(w.org.id, trent.id, Assignment(MemberType.USER, groups=(everything.id,)))
    )


async def test_a_group_manager_cannot_add_themselves_to_a_group() -> None:
    w = world()
    mallory, own = w.join("mallory", MemberType.CUSTOM, permissions=GROUP_MANAGER)
    everything = w.group(collections=[(w.collection().id, MANAGE)])
    with pytest.raises(SelfAction):
        await groups.set_group_members(w.work(), mallory, SetGroupMembers(w.org.id, everything.id, (own.id,)))
    with pytest.raises(SelfAction):
        await groups.update_group(w.work(), mallory, UpdateGroup(w.org.id, everything.id, "Team", member_ids=(own.id,)))
    with pytest.raises(SelfAction):
        await groups.create_group(w.work(), mallory, CreateGroup(w.org.id, "Mine", member_ids=(own.id,)))
    assert (everything.id, own.id) not in w.store.group_members


async def test_a_group_manager_hands_out_only_collections_they_manage() -> None:
    w = world()
    mallory, own = w.join("mallory", MemberType.CUSTOM, permissions=GROUP_MANAGER)
    _, trent = w.join("trent")
    secret = w.collection()
    managed = w.collection(users=[(own.id, MANAGE)])
    with pytest.raises(UnknownReference):
        await groups.create_group(w.work(), mallory, CreateGroup(w.org.id, "G", collections=((secret.id, MANAGE),)))
    reaching = w.group(collections=[(secret.id, READ)])
    with pytest.raises(UnknownReference):  # a new member gets the group's collections
        await groups.set_group_members(w.work(), mallory, SetGroupMembers(w.org.id, reaching.id, (trent.id,)))
    group_id = await groups.create_group(
        w.work(), mallory, CreateGroup(w.org.id, "G", collections=((managed.id, READ),), member_ids=(trent.id,))
    )
    assert (group_id, trent.id) in w.store.group_members
    # The owner manages every collection.
    await groups.set_group_members(w.work(), w.owner, SetGroupMembers(w.org.id, reaching.id, (trent.id,)))


async def test_provider_users_cannot_make_themselves_direct_members_of_a_client() -> None:
    """Issue 11 #6: a provider user's access to a client comes only through the provider (so revoking them there
    ends it); a direct membership would outlive the revocation."""
    w = world()
    _, bob = w.linked_to_provider()
    with pytest.raises(ProviderUsersAreNotMembers):
        await members.invite_members(w.work(), bob, InviteMembers(w.org.id, (bob.email.upper(),), ADMIN))
    # Invited by someone else (the client's owner, another provider user), accepting is refused all the same.
    await members.invite_members(w.work(), w.owner, InviteMembers(w.org.id, (bob.email,), ADMIN))
    member_id, token = token_of(w, bob.email)
    with pytest.raises(ProviderUsersAreNotMembers):
        await members.accept_invite(w.work(), bob, AcceptInvite(w.org.id, member_id, token))
    assert w.store.members[member_id].status == MemberStatus.INVITED
    # Once no longer an active provider user, an invitation from the client itself is theirs to accept.
    w.store.provider_users.clear()
    await members.accept_invite(w.work(), bob, AcceptInvite(w.org.id, member_id, token))
    assert w.store.members[member_id].status == MemberStatus.ACCEPTED
