"""Member commands against fakes: invitations and their mail, accept with the token, confirm, update, revoke,
restore and remove (one and many), with the role, owner, seat and Single Organization rules."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.errors import (
    AlreadyMember,
    InvalidInviteToken,
    InvalidMemberState,
    InviteEmailMismatch,
    NotPermitted,
    OnlyOwnersManageOwners,
    OrganizationNotFound,
    SeatLimitReached,
    SelfAction,
    SingleOrgPolicyViolation,
    UnknownReference,
)
from mspvault.organization.domain.members import BulkResult, Member
from mspvault.organization.domain.policies import PolicyType
from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.organization.service_layer import members
from mspvault.organization.service_layer.commands import (
    AcceptInvite,
    Assignment,
    ConfirmMember,
    ConfirmMembers,
    InviteMembers,
    ReinviteMember,
    ReinviteMembers,
    RemoveMember,
    RemoveMembers,
    RestoreMember,
    RestoreMembers,
    RevokeMember,
    RevokeMembers,
    UpdateMember,
)
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.organization import (
    CollectionAccessChangedV1,
    MemberAcceptedV1,
    MemberConfirmedV1,
    MemberInvitedV1,
    MemberUpdatedV1,
)
from tests.unit.organization.fakes import RSA, World, principal, world

USER = Assignment(MemberType.USER)
READ = Grant(read_only=True)


def token_of(w: World, email: str) -> tuple[uuid.UUID, str]:
    """The member id and token of the last invite mail to `email`."""
    [mail] = [m for m in w.store.mails if m["to"] == email][-1:]
    link = next(line for line in mail["body"].splitlines() if "accept-organization" in line)
    query = parse_qs(urlsplit(link.replace("/#/", "/")).query)
    return uuid.UUID(query["organizationUserId"][0]), query["token"][0]


async def invited(w: World, who: Principal, assignment: Assignment = USER) -> uuid.UUID:
    await members.invite_members(w.work(), w.owner, InviteMembers(w.org.id, (who.email,), assignment))
    member_id, _ = token_of(w, who.email)
    return member_id


async def accepted(w: World, who: Principal, assignment: Assignment = USER) -> uuid.UUID:
    await members.invite_members(w.work(), w.owner, InviteMembers(w.org.id, (who.email,), assignment))
    member_id, token = token_of(w, who.email)
    await members.accept_invite(w.work(), who, AcceptInvite(w.org.id, member_id, token))
    return member_id


# ---- invitations -------------------------------------------------------------------------------------------------
async def test_an_invite_stores_the_member_with_its_grants_mails_a_link_and_publishes() -> None:
    w = world()
    collection = w.collection()
    group = w.group()
    assignment = Assignment(MemberType.USER, collections=((collection.id, READ),), groups=(group.id,))
    command = InviteMembers(w.org.id, (" Carol@Example.test ", "carol@example.test"), assignment)
    [member_id] = await members.invite_members(w.work(), w.owner, command)

    member = w.store.members[member_id]
    assert (member.email, member.status, member.type) == ("carol@example.test", MemberStatus.INVITED, MemberType.USER)
    assert w.store.collection_users[(collection.id, member_id)] == READ
    assert (group.id, member_id) in w.store.group_members
    [mail] = w.store.mails
    assert mail["subject"] == "Join Fabrikam"
    assert mail["body"].startswith(f"{w.owner.email} invited you to join the organization Fabrikam on MSPVault.")
    assert "https://vault.test/#/accept-organization?" in mail["body"]
    assert w.uow.types() == ["MemberInvited"]
    assert w.uow.commits == 1


async def test_invites_are_refused_for_members_already_there_beyond_the_seats_and_by_whom_may_not() -> None:
    w = world(seats=2)
    carol, _ = w.join("carol")
    with pytest.raises(AlreadyMember):
        await members.invite_members(w.work(), w.owner, InviteMembers(w.org.id, (carol.email,), USER))
    with pytest.raises(SeatLimitReached):
        await members.invite_members(w.work(), w.owner, InviteMembers(w.org.id, ("new@example.test",), USER))
    with pytest.raises(NotPermitted):
        await members.invite_members(w.work(), carol, InviteMembers(w.org.id, ("x@example.test",), USER))
    with pytest.raises(OrganizationNotFound):
        await members.invite_members(w.work(), principal("eve"), InviteMembers(w.org.id, ("x@example.test",), USER))
    stranger = Assignment(MemberType.USER, groups=(uuid.uuid4(),))
    with pytest.raises(UnknownReference):
        await members.invite_members(w.work(), w.owner, InviteMembers(w.org.id, ("x@example.test",), stranger))
    assert w.uow.published == []
    assert w.store.mails == []


async def test_only_owners_invite_owners_and_admins_invite_admins() -> None:
    w = world()
    alice, _ = w.join("alice", MemberType.ADMIN)
    manager, _ = w.join("manny", MemberType.CUSTOM, permissions={"manageUsers": True})
    owner_invite = InviteMembers(w.org.id, ("o@example.test",), Assignment(MemberType.OWNER))
    with pytest.raises(OnlyOwnersManageOwners):
        await members.invite_members(w.work(), alice, owner_invite)
    admin_invite = InviteMembers(w.org.id, ("a@example.test",), Assignment(MemberType.ADMIN))
    with pytest.raises(OnlyOwnersManageOwners):
        await members.invite_members(w.work(), manager, admin_invite)
    await members.invite_members(w.work(), alice, admin_invite)


async def test_a_reinvite_replaces_the_token_and_only_pending_invites_are_reinvited() -> None:
    w = world()
    carol = principal("carol")
    member_id = await invited(w, carol)
    _, first = token_of(w, carol.email)
    await members.reinvite_member(w.work(), w.owner, ReinviteMember(w.org.id, member_id))
    _, second = token_of(w, carol.email)
    assert first != second
    with pytest.raises(InvalidInviteToken):
        await members.accept_invite(w.work(), carol, AcceptInvite(w.org.id, member_id, first))

    _bert, bert_member = w.join("bert")
    results = await members.reinvite_members(
        w.work(), w.owner, ReinviteMembers(w.org.id, (member_id, bert_member.id, member_id))
    )
    assert results == [BulkResult(member_id, ""), BulkResult(bert_member.id, "Only invited users can be re-invited.")]


# ---- accept ------------------------------------------------------------------------------------------------------
async def test_the_invitee_accepts_once_with_the_mailed_token() -> None:
    w = world()
    carol = principal("carol")
    member_id = await invited(w, carol)
    _, token = token_of(w, carol.email)
    w.uow.published.clear()

    with pytest.raises(InviteEmailMismatch):
        await members.accept_invite(w.work(), principal("mallory"), AcceptInvite(w.org.id, member_id, token))
    await members.accept_invite(w.work(), carol, AcceptInvite(w.org.id, member_id, token))
    member = w.store.members[member_id]
    assert (member.status, member.user_id, member.invite_nonce) == (MemberStatus.ACCEPTED, carol.user_id, None)
    [event] = w.uow.events(MemberAcceptedV1)
    assert event.user_id == carol.user_id
    assert w.store.bumped == {carol.user_id}
    with pytest.raises(InvalidInviteToken):
        await members.accept_invite(w.work(), carol, AcceptInvite(w.org.id, member_id, token))
    with pytest.raises(InvalidInviteToken):  # a token names its member: it proves nothing about another id
        await members.accept_invite(w.work(), carol, AcceptInvite(w.org.id, uuid.uuid4(), token))


async def test_a_wrong_token_is_refused_alike_for_a_real_member_and_a_made_up_one() -> None:
    """Checked before the lookup: otherwise 400 for a real id and 404 for a made-up one tells them apart."""
    w = world()
    member_id = await invited(w, principal("carol"))
    dave = principal("dave")
    for target in (member_id, uuid.uuid4()):
        with pytest.raises(InvalidInviteToken):
            await members.accept_invite(w.work(), dave, AcceptInvite(w.org.id, target, "not-a-token" * 3))


async def test_single_org_refuses_an_accept_that_would_break_it() -> None:
    w = world()
    carol = principal("carol")
    elsewhere = Member(uuid.uuid4(), uuid.uuid4(), carol.email, MemberType.USER, MemberStatus.CONFIRMED, carol.user_id)
    w.store.members[elsewhere.id] = elsewhere
    w.store.policies[(w.org.id, PolicyType.SINGLE_ORG)] = (uuid.uuid4(), True, None)
    member_id = await invited(w, carol)
    _, token = token_of(w, carol.email)
    with pytest.raises(SingleOrgPolicyViolation):
        await members.accept_invite(w.work(), carol, AcceptInvite(w.org.id, member_id, token))
    assert w.store.members[member_id].status == MemberStatus.INVITED


# ---- confirm and update ------------------------------------------------------------------------------------------
async def test_confirm_hands_over_the_key_and_publishes_the_access_it_opens() -> None:
    w = world()
    carol = principal("carol")
    collection = w.collection()
    member_id = await accepted(w, carol, Assignment(MemberType.USER, collections=((collection.id, READ),)))
    w.uow.published.clear()
    await members.confirm_member(w.work(), w.owner, ConfirmMember(w.org.id, member_id, RSA))
    assert w.store.members[member_id].key == RSA
    assert w.uow.types() == ["MemberConfirmed", "CollectionAccessChanged"]
    [access] = w.uow.events(CollectionAccessChangedV1)
    assert carol.user_id in {a.user_id for a in access.access}


async def test_confirm_needs_an_accepted_member_and_an_owner_for_admins() -> None:
    w = world()
    alice, _ = w.join("alice", MemberType.ADMIN)
    bert, carol = principal("bert"), principal("carol")
    bert_member = await accepted(w, bert, Assignment(MemberType.ADMIN))
    carol_member = await invited(w, carol)
    with pytest.raises(OnlyOwnersManageOwners):
        await members.confirm_member(w.work(), alice, ConfirmMember(w.org.id, bert_member, RSA))
    results = await members.confirm_members(
        w.work(), w.owner, ConfirmMembers(w.org.id, ((carol_member, RSA), (bert_member, RSA)))
    )
    assert results == [
        BulkResult(carol_member, "Only accepted users can be confirmed."),
        BulkResult(bert_member, ""),
    ]
    assert [e.member_id for e in w.uow.events(MemberConfirmedV1)] == [bert_member]


async def test_update_changes_type_permissions_and_grants_and_republishes_old_and_new_access() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    old, new = w.collection(users=[(carol_member.id, READ)]), w.collection()
    assignment = Assignment(
        MemberType.CUSTOM, permissions={"manageGroups": True}, collections=((new.id, READ),), groups=()
    )
    await members.update_member(w.work(), w.owner, UpdateMember(w.org.id, carol_member.id, assignment))
    member = w.store.members[carol_member.id]
    assert member.type == MemberType.CUSTOM
    assert member.permissions is not None
    assert member.permissions["manageGroups"] is True
    assert w.store.collection_users == {(new.id, carol_member.id): READ}
    [updated] = w.uow.events(MemberUpdatedV1)
    assert updated.type == int(MemberType.CUSTOM)
    assert {e.collection_id for e in w.uow.events(CollectionAccessChangedV1)} == {old.id, new.id}
    assert w.store.bumped == {carol.user_id}


async def test_the_last_confirmed_owner_stays_unless_a_provider_administers_the_org() -> None:
    w = world()
    demote = UpdateMember(w.org.id, w.owner_member.id, Assignment(MemberType.ADMIN))
    with pytest.raises(SelfAction):  # nobody edits their own membership (issue 11 #1), the last owner included
        await members.update_member(w.work(), w.owner, demote)
    _, bob = w.linked_to_provider()
    await members.update_member(w.work(), bob, demote)
    assert w.store.members[w.owner_member.id].type == MemberType.ADMIN


# ---- revoke, restore, remove -------------------------------------------------------------------------------------
async def test_revoke_and_restore_round_trip_to_the_earlier_status() -> None:
    w = world()
    carol, carol_member = w.join("carol")
    await members.revoke_member(w.work(), w.owner, RevokeMember(w.org.id, carol_member.id))
    assert w.store.members[carol_member.id].status == MemberStatus.REVOKED
    await members.restore_member(w.work(), w.owner, RestoreMember(w.org.id, carol_member.id))
    assert w.store.members[carol_member.id].status == MemberStatus.CONFIRMED
    assert w.uow.types() == ["MemberRevoked", "MemberRestored"]
    assert w.store.bumped == {carol.user_id}
    with pytest.raises(InvalidMemberState):
        await members.restore_member(w.work(), w.owner, RestoreMember(w.org.id, carol_member.id))


async def test_restore_takes_a_seat_back_and_is_refused_when_none_is_left() -> None:
    w = world(seats=2)
    _, carol_member = w.join("carol")
    await members.revoke_member(w.work(), w.owner, RevokeMember(w.org.id, carol_member.id))
    w.join("bert")
    with pytest.raises(SeatLimitReached):
        await members.restore_member(w.work(), w.owner, RestoreMember(w.org.id, carol_member.id))


async def test_nobody_revokes_or_removes_themselves_and_users_manage_nobody() -> None:
    w = world()
    carol, _carol_member = w.join("carol")
    alice, alice_member = w.join("alice", MemberType.ADMIN)
    with pytest.raises(SelfAction):
        await members.revoke_member(w.work(), alice, RevokeMember(w.org.id, alice_member.id))
    with pytest.raises(SelfAction):
        await members.remove_member(w.work(), alice, RemoveMember(w.org.id, alice_member.id))
    with pytest.raises(NotPermitted):
        await members.remove_member(w.work(), carol, RemoveMember(w.org.id, alice_member.id))
    with pytest.raises(OnlyOwnersManageOwners):
        await members.revoke_member(w.work(), alice, RevokeMember(w.org.id, w.owner_member.id))


async def test_bulk_changes_answer_per_id_and_a_refusal_leaves_nothing_of_that_id() -> None:
    w = world()
    alice, alice_member = w.join("alice", MemberType.ADMIN)
    _carol, carol_member = w.join("carol")
    missing = uuid.uuid4()
    results = await members.remove_members(
        w.work(), alice, RemoveMembers(w.org.id, (carol_member.id, alice_member.id, missing, w.owner_member.id))
    )
    assert results == [
        BulkResult(carol_member.id, ""),
        BulkResult(alice_member.id, "You cannot remove yourself."),
        BulkResult(missing, "Organization user not found."),
        BulkResult(w.owner_member.id, "Only Owners can manage Owners."),
    ]
    assert carol_member.id not in w.store.members
    assert w.uow.types() == ["MemberRemoved"]
    assert w.uow.commits == 1

    results = await members.revoke_members(w.work(), w.owner, RevokeMembers(w.org.id, (alice_member.id,)))
    assert results == [BulkResult(alice_member.id, "")]
    results = await members.restore_members(
        w.work(), w.owner, RestoreMembers(w.org.id, (alice_member.id, alice_member.id))
    )
    assert results == [BulkResult(alice_member.id, "")]
    assert w.store.members[alice_member.id].status == MemberStatus.CONFIRMED


async def test_removing_an_admin_republishes_every_collection_of_the_org() -> None:
    w = world()
    alice, alice_member = w.join("alice", MemberType.ADMIN)
    first, second = w.collection(), w.collection()
    await members.remove_member(w.work(), w.owner, RemoveMember(w.org.id, alice_member.id))
    assert {e.collection_id for e in w.uow.events(CollectionAccessChangedV1)} == {first.id, second.id}
    for event in w.uow.events(CollectionAccessChangedV1):
        assert alice.user_id not in {a.user_id for a in event.access}


async def test_an_invited_member_event_carries_the_member_as_stored() -> None:
    w = world()
    carol = principal("carol")
    member_id = await invited(w, carol, Assignment(MemberType.CUSTOM, permissions={"accessReports": True}))
    [event] = w.uow.events(MemberInvitedV1)
    assert (event.member_id, event.email, event.user_id) == (member_id, carol.email, None)
    assert event.permissions == w.store.members[member_id].permissions
