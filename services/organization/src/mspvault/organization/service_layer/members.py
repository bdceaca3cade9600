"""Member commands: invite, reinvite, accept, confirm, update, revoke, restore, remove (one or many).

Each handler resolves the caller's standing first (no standing: 404), lets the domain check the rules and record
the member event, publishes it with the effective access of every collection the change touched, bumps the
revisions of whoever sees it differently, and commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial

from mspvault.organization.domain.account_recovery import check_key_at_accept
from mspvault.organization.domain.delegation import (
    added_grants,
    check_not_own_membership,
    check_permissions_held,
)
from mspvault.organization.domain.errors import (
    AlreadyMember,
    InviteEmailMismatch,
    MemberNotFound,
    OnlyOwnersManageOwners,
    ProviderUsersAreNotMembers,
    require,
)
from mspvault.organization.domain.invite_token import check_invite, check_invite_names, new_nonce
from mspvault.organization.domain.members import (
    BulkResult,
    Member,
    check_keeps_an_owner,
    check_may_manage,
    check_not_self,
    check_sees_members,
    invitations,
    needs_owner_check,
    unique_emails,
)
from mspvault.organization.domain.organization import Organization, check_seats
from mspvault.organization.domain.policies import PolicyType, check_single_org, check_two_factor
from mspvault.organization.domain.roles import MemberType, Permissions, Standing
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
from mspvault.organization.service_layer.common import (
    actor_of,
    affected_by_member,
    publish_access,
    publish_all,
    require_in_org,
    require_manages,
    standing_in,
)
from mspvault.organization.service_layer.invites import send_invite
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.errors import DomainError
from mspvault.shared.text import normalize_email


@dataclass(frozen=True)
class Manager:
    """The caller as a user manager of one organization (resolved once per command)."""

    org: Organization
    standing: Standing
    actor: Actor
    email: str


async def _manager(work: OrganizationWork, caller: Principal, org_id: uuid.UUID, *, lock: bool = False) -> Manager:
    org, standing = await standing_in(work.store, org_id, caller.user_id, lock=lock)
    require(standing.can_manage_users, "manage users")
    return Manager(org, standing, actor_of(caller.user_id, standing), caller.email)


async def _target(work: OrganizationWork, org_id: uuid.UUID, member_id: uuid.UUID) -> Member:
    member = await work.store.load_member(org_id, member_id)
    if member is None:
        raise MemberNotFound()
    return member


async def _check_assignment_refs(work: OrganizationWork, org_id: uuid.UUID, assignment: Assignment) -> None:
    collections = (cid for cid, _ in assignment.collections or ())
    await require_in_org(work, org_id, collections, kind="collections", field="collections")
    await require_in_org(work, org_id, assignment.groups or (), kind="groups", field="groups")


async def _check_hands_out_only_what_is_held(
    work: OrganizationWork, m: Manager, assignment: Assignment, member: Member | None = None
) -> None:
    """Permissions, collections and groups (their collections) the assignment adds to `member` (None: a new one)
    are the caller's to give."""
    held = member.facts.permissions if member is not None else Permissions()
    check_permissions_held(m.standing, assignment.type, assignment.permissions, held)
    if assignment.collections is not None:
        current = await work.store.member_grants(member.id) if member is not None else {}
        granted = added_grants(assignment.collections, current)
        await require_manages(work, m.standing, granted, field="collections")
    if assignment.groups is not None:
        joined = set(assignment.groups) - (await work.store.member_groups(member.id) if member is not None else set())
        reached = [cid for gid in sorted(joined) for cid in await work.store.collections_touching_group(gid)]
        await require_manages(work, m.standing, reached, field="groups")


async def _keeps_an_owner(work: OrganizationWork, m: Manager, member: Member) -> None:
    linked = m.org.provider_id is not None
    if needs_owner_check(member, provider_linked=linked):
        others = await work.store.confirmed_owner_count(m.org.id, excluding=member.id)
        check_keeps_an_owner(m.standing, member, provider_linked=linked, other_confirmed_owners=others)


async def _check_single_org(work: OrganizationWork, org_id: uuid.UUID, member: Member) -> None:
    if member.user_id is None:
        return
    others = await work.store.other_memberships(member.user_id, excluding=org_id)
    single_org = PolicyType.SINGLE_ORG in await work.store.enabled_policies(org_id)
    check_single_org(member.type, single_org, others)


async def _check_two_factor(work: OrganizationWork, org_id: uuid.UUID, member: Member, action: str) -> None:
    if member.user_id is None:
        return
    policy_on = PolicyType.TWO_FACTOR_AUTHENTICATION in await work.store.enabled_policies(org_id)
    if policy_on:
        check_two_factor(member.type, policy_on, await work.store.has_two_factor(member.user_id), action=action)


async def _publish_member_change(work: OrganizationWork, m: Manager, member: Member, touched: set[uuid.UUID]) -> None:
    """The member event, the access lists it changed, and the member's own revision."""
    publish_all(work, member.events, m.actor)
    await publish_access(work, m.org.id, touched, actor=m.actor)
    await work.store.bump_revisions([member.user_id])


# ---- invitations -------------------------------------------------------------------------------------------------
async def invite_members(work: OrganizationWork, caller: Principal, command: InviteMembers) -> list[uuid.UUID]:
    m = await _manager(work, caller, command.org_id, lock=True)
    assignment = command.assignment
    check_may_manage(
        m.standing, assignment.type, "Only Owners can invite Owners, and only Owners and Admins invite Admins."
    )
    await _check_assignment_refs(work, m.org.id, assignment)
    await _check_hands_out_only_what_is_held(work, m, assignment)
    wanted = unique_emails(command.emails)
    if m.standing.via_provider and normalize_email(caller.email) in wanted:
        raise ProviderUsersAreNotMembers()
    taken = await work.store.taken_emails(m.org.id, wanted)
    invited = invitations(
        m.org,
        wanted,
        assignment.type,
        permissions=assignment.permissions,
        access_secrets_manager=bool(assignment.access_secrets_manager),
        taken=taken,
        occupied=await work.store.occupied_seats(m.org.id) if not taken else 0,
    )
    for member in invited:
        await work.store.add_member(member)
        await work.store.replace_member_grants(member.id, assignment.collections or ())
        await work.store.replace_member_groups(member.id, assignment.groups or ())
        await send_invite(work, m.org, member, invited_by=caller.email)
        publish_all(work, member.events, m.actor)
    await work.uow.commit()
    return [member.id for member in invited]


async def _reinvite_one(work: OrganizationWork, m: Manager, member_id: uuid.UUID) -> None:
    member = await _target(work, m.org.id, member_id)
    check_may_manage(m.standing, member.type)
    member.reinvite(new_nonce())
    await work.store.save_member(member)
    await send_invite(work, m.org, member, invited_by=m.email)


async def reinvite_member(work: OrganizationWork, caller: Principal, command: ReinviteMember) -> None:
    await _one(work, caller, command.org_id, command.member_id, _reinvite_one)


async def reinvite_members(work: OrganizationWork, caller: Principal, command: ReinviteMembers) -> list[BulkResult]:
    return await _many(work, caller, command.org_id, command.member_ids, _reinvite_one)


async def accept_invite(work: OrganizationWork, caller: Principal, command: AcceptInvite) -> None:
    """The invitee accepts with the mailed token; the token, not a standing, is the authority here. It is checked
    before anything is looked up, so a wrong token is refused alike whether the ids in the path exist or not."""
    invite = work.tokens.verify(command.token, work.clock())
    check_invite_names(invite, command.org_id, command.member_id)
    org = await work.store.load_org(command.org_id, lock=True)
    member = await work.store.load_member(command.org_id, command.member_id) if org else None
    if org is None or member is None:
        raise MemberNotFound()
    check_invite(invite, org.id, member.id, member.invite_nonce)
    if normalize_email(invite.email) != normalize_email(caller.email):
        raise InviteEmailMismatch()
    if await work.store.membership_facts(org.id, caller.user_id) is not None:
        raise AlreadyMember(caller.email)
    if org.provider_id is not None and await work.store.is_active_provider_user(org.provider_id, caller.user_id):
        raise ProviderUsersAreNotMembers()
    member.accept(caller.user_id, caller.email)
    recovery = await work.store.policy_data(org.id, PolicyType.RESET_PASSWORD)
    check_key_at_accept(command.reset_password_key, recovery)
    if command.reset_password_key is not None and recovery is not None:
        member.enroll_in_account_recovery(command.reset_password_key)
    await _check_single_org(work, org.id, member)
    await _check_two_factor(work, org.id, member, "accept")
    await work.store.save_member(member)
    publish_all(work, member.events, actor_of(caller.user_id))
    await work.store.bump_revisions([caller.user_id])
    await work.uow.commit()


# ---- confirmation and changes ------------------------------------------------------------------------------------
async def _confirm_one(work: OrganizationWork, m: Manager, member_id: uuid.UUID, *, key: str) -> None:
    member = await _target(work, m.org.id, member_id)
    check_not_own_membership(m.standing, member.id, "confirm")
    if member.type in (MemberType.OWNER, MemberType.ADMIN) and not m.standing.is_owner:
        check_sees_members(m.standing)
        raise OnlyOwnersManageOwners("Only Owners can confirm Owners and Admins.")
    check_may_manage(m.standing, member.type)
    member.confirm(key)
    await _check_single_org(work, m.org.id, member)
    await _check_two_factor(work, m.org.id, member, "confirm")
    await work.store.save_member(member)
    await _publish_member_change(work, m, member, await affected_by_member(work, m.org.id, member.id, member.type))


async def confirm_member(work: OrganizationWork, caller: Principal, command: ConfirmMember) -> None:
    await _one(work, caller, command.org_id, command.member_id, partial(_confirm_one, key=command.key))


async def confirm_members(work: OrganizationWork, caller: Principal, command: ConfirmMembers) -> list[BulkResult]:
    keys = dict(command.keys)

    async def confirm(work: OrganizationWork, m: Manager, member_id: uuid.UUID) -> None:
        await _confirm_one(work, m, member_id, key=keys[member_id])

    return await _many(work, caller, command.org_id, list(keys), confirm)


async def update_member(work: OrganizationWork, caller: Principal, command: UpdateMember) -> None:
    m = await _manager(work, caller, command.org_id)
    assignment = command.assignment
    member = await _target(work, m.org.id, command.member_id)
    check_not_own_membership(m.standing, member.id, "edit")
    check_may_manage(m.standing, member.type)
    check_may_manage(
        m.standing, assignment.type, "Only Owners can grant Owner, and only Owners and Admins grant Admin."
    )
    if assignment.type != MemberType.OWNER:
        await _keeps_an_owner(work, m, member)
    await _check_assignment_refs(work, m.org.id, assignment)
    await _check_hands_out_only_what_is_held(work, m, assignment, member)
    touched = await affected_by_member(work, m.org.id, member.id, member.type)
    member.update(assignment.type, assignment.permissions, assignment.access_secrets_manager)
    if assignment.collections is not None:
        await work.store.replace_member_grants(member.id, assignment.collections)
    if assignment.groups is not None:
        await work.store.replace_member_groups(member.id, assignment.groups)
    touched |= await affected_by_member(work, m.org.id, member.id, member.type)
    await work.store.save_member(member)
    await _publish_member_change(work, m, member, touched)
    await work.uow.commit()


async def _revoke_one(work: OrganizationWork, m: Manager, member_id: uuid.UUID) -> None:
    member = await _target(work, m.org.id, member_id)
    check_not_self(m.standing, member, "revoke")
    check_may_manage(m.standing, member.type)
    await _keeps_an_owner(work, m, member)
    member.revoke()
    await work.store.save_member(member)
    await _publish_member_change(work, m, member, await affected_by_member(work, m.org.id, member.id, member.type))


async def _restore_one(work: OrganizationWork, m: Manager, member_id: uuid.UUID) -> None:
    member = await _target(work, m.org.id, member_id)
    check_may_manage(m.standing, member.type)
    member.restore()
    check_seats(m.org.seats, await work.store.occupied_seats(m.org.id), 1)
    await _check_single_org(work, m.org.id, member)
    await _check_two_factor(work, m.org.id, member, "restore")
    await work.store.save_member(member)
    await _publish_member_change(work, m, member, await affected_by_member(work, m.org.id, member.id, member.type))


async def _remove_one(work: OrganizationWork, m: Manager, member_id: uuid.UUID) -> None:
    member = await _target(work, m.org.id, member_id)
    check_not_self(m.standing, member, "remove")
    check_may_manage(m.standing, member.type)
    await _keeps_an_owner(work, m, member)
    touched = await affected_by_member(work, m.org.id, member.id, member.type)
    member.remove()
    await work.store.remove_member(member)
    await _publish_member_change(work, m, member, touched)


async def revoke_member(work: OrganizationWork, caller: Principal, command: RevokeMember) -> None:
    await _one(work, caller, command.org_id, command.member_id, _revoke_one)


async def revoke_members(work: OrganizationWork, caller: Principal, command: RevokeMembers) -> list[BulkResult]:
    return await _many(work, caller, command.org_id, command.member_ids, _revoke_one)


async def restore_member(work: OrganizationWork, caller: Principal, command: RestoreMember) -> None:
    # Locked: restoring takes a seat back (two restores racing for the last one).
    await _one(work, caller, command.org_id, command.member_id, _restore_one, lock=True)


async def restore_members(work: OrganizationWork, caller: Principal, command: RestoreMembers) -> list[BulkResult]:
    return await _many(work, caller, command.org_id, command.member_ids, _restore_one, lock=True)


async def remove_member(work: OrganizationWork, caller: Principal, command: RemoveMember) -> None:
    await _one(work, caller, command.org_id, command.member_id, _remove_one)


async def remove_members(work: OrganizationWork, caller: Principal, command: RemoveMembers) -> list[BulkResult]:
    return await _many(work, caller, command.org_id, command.member_ids, _remove_one)


Step = Callable[[OrganizationWork, Manager, uuid.UUID], Awaitable[None]]


async def _one(
    work: OrganizationWork,
    caller: Principal,
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    step: Step,
    *,
    lock: bool = False,
) -> None:
    """One member: a refusal is the answer (a 4xx)."""
    m = await _manager(work, caller, org_id, lock=lock)
    await step(work, m, member_id)
    await work.uow.commit()


async def _many(
    work: OrganizationWork,
    caller: Principal,
    org_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
    step: Step,
    *,
    lock: bool = False,
) -> list[BulkResult]:
    m = await _manager(work, caller, org_id, lock=lock)
    results = await _each(work, ids, lambda member_id: step(work, m, member_id))
    await work.uow.commit()
    return results


async def _each(
    work: OrganizationWork, ids: Sequence[uuid.UUID], run: Callable[[uuid.UUID], Awaitable[None]]
) -> list[BulkResult]:
    """Bulk routes answer per id, as Bitwarden does; a refused id does not stop the others.

    Each id runs in a savepoint, so a refusal part-way leaves nothing of that id behind.
    """
    results: list[BulkResult] = []
    for member_id in dict.fromkeys(ids):
        try:
            async with work.store.savepoint():
                await run(member_id)
        except DomainError as error:
            results.append(BulkResult(member_id, error.message))
        else:
            results.append(BulkResult(member_id, ""))
    return results
