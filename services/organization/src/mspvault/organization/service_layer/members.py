"""Member commands: invite, reinvite, accept, confirm, update, revoke, restore, remove.

Each handler resolves the caller's standing first (no standing: 404), checks the role rules, changes state through
the domain, publishes the member event plus the effective access of every collection the change touched, bumps the
revisions of whoever sees it differently, and commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from mspvault.organization.adapters.orm import members, users
from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.errors import (
    AlreadyMember,
    InviteEmailMismatch,
    LastOwner,
    MemberNotFound,
    OnlyOwnersManageOwners,
    SelfAction,
)
from mspvault.organization.domain.invite_token import InviteTokens, new_nonce
from mspvault.organization.domain.members import Member, normalize_email
from mspvault.organization.domain.organization import Organization, check_seats
from mspvault.organization.domain.policies import check_single_org
from mspvault.organization.domain.roles import MemberStatus, MemberType, Standing
from mspvault.organization.service_layer import authz, grants, revisions, store
from mspvault.organization.service_layer.events import member_event
from mspvault.organization.service_layer.invites import InviteMailer
from mspvault.organization.service_layer.policies import other_memberships, single_org_enabled
from mspvault.shared.auth.principal import Principal
from mspvault.shared.contracts.envelope import Actor
from mspvault.shared.contracts.organization import (
    MemberAcceptedV1,
    MemberConfirmedV1,
    MemberInvitedV1,
    MemberRemovedV1,
    MemberRestoredV1,
    MemberRevokedV1,
    MemberUpdatedV1,
)
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.errors import DomainError


@dataclass(frozen=True)
class Assignment:
    """What an admin assigns to a member: type, custom permissions, direct collection grants, groups."""

    type: MemberType
    permissions: dict[str, bool] | None = None
    collections: Sequence[grants.GrantTo] | None = None
    groups: Sequence[uuid.UUID] | None = None
    access_secrets_manager: bool | None = None


@dataclass(frozen=True)
class BulkResult:
    id: uuid.UUID
    error: str


async def _manager(
    uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, *, lock: bool = False
) -> tuple[Organization, Standing, Actor]:
    org, standing = await authz.standing_in(uow.session, org_id, caller.user_id, lock=lock)
    authz.require(standing.can_manage_users, "manage users")
    return org, standing, authz.actor_of(caller.user_id, standing)


async def _target(uow: UnitOfWork, org_id: uuid.UUID, member_id: uuid.UUID) -> Member:
    member = await store.load_member(uow.session, org_id, member_id)
    if member is None:
        raise MemberNotFound()
    return member


def _may_manage(standing: Standing, target_type: MemberType, message: str = "Only Owners can manage Owners.") -> None:
    if not standing.can_manage_member_of_type(target_type):
        raise OnlyOwnersManageOwners(message)


async def _check_assignment_refs(uow: UnitOfWork, org_id: uuid.UUID, assignment: Assignment) -> None:
    await grants.require_in_org(
        uow.session, org_id, (cid for cid, _ in assignment.collections or ()), kind="collections", field="collections"
    )
    await grants.require_in_org(uow.session, org_id, assignment.groups or (), kind="groups", field="groups")


async def _keeps_an_owner(uow: UnitOfWork, org: Organization, member: Member) -> None:
    """A confirmed Owner may not leave the org ownerless, unless a provider administers it."""
    if member.type != MemberType.OWNER or member.status != MemberStatus.CONFIRMED or org.provider_id is not None:
        return
    if await store.confirmed_owner_count(uow.session, org.id, excluding=member.id) == 0:
        raise LastOwner()


async def _check_single_org(uow: UnitOfWork, org_id: uuid.UUID, member: Member) -> None:
    if member.user_id is None:
        return
    others = await other_memberships(uow.session, member.user_id, excluding=org_id)
    check_single_org(member.type, await single_org_enabled(uow.session, org_id), others)


async def invite(
    uow: UnitOfWork,
    caller: Principal,
    org_id: uuid.UUID,
    emails: Sequence[str],
    assignment: Assignment,
    mailer: InviteMailer,
    *,
    now: datetime,
) -> list[uuid.UUID]:
    org, standing, actor = await _manager(uow, caller, org_id, lock=True)
    _may_manage(standing, assignment.type, "Only Owners can invite Owners, and only Owners and Admins invite Admins.")
    await _check_assignment_refs(uow, org_id, assignment)
    wanted = list(dict.fromkeys(normalize_email(e) for e in emails))
    taken = await uow.session.scalars(
        select(members.c.email).where(members.c.organization_id == org_id, members.c.email.in_(wanted))
    )
    for email in taken:
        raise AlreadyMember(email)
    check_seats(org.seats, await store.occupied_seats(uow.session, org_id), len(wanted))
    invited: list[uuid.UUID] = []
    for email in wanted:
        member = Member.invite(
            org_id,
            email,
            assignment.type,
            nonce=new_nonce(),
            permissions=assignment.permissions,
            access_secrets_manager=bool(assignment.access_secrets_manager),
        )
        await store.insert_member(uow.session, member)
        await grants.replace_member_grants(uow.session, member.id, assignment.collections or ())
        await grants.replace_member_groups(uow.session, member.id, assignment.groups or ())
        await mailer.send(uow.session, org, member, invited_by=caller.email, now=now)
        uow.publish(member_event(MemberInvitedV1, member), actor=actor)
        invited.append(member.id)
    await uow.commit()
    return invited


async def _reinvite_one(
    uow: UnitOfWork,
    org: Organization,
    standing: Standing,
    member_id: uuid.UUID,
    caller: Principal,
    mailer: InviteMailer,
    now: datetime,
) -> None:
    member = await _target(uow, org.id, member_id)
    _may_manage(standing, member.type)
    member.reinvite(new_nonce())
    await store.save_member(uow.session, member)
    await mailer.send(uow.session, org, member, invited_by=caller.email, now=now)


async def reinvite(
    uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, member_id: uuid.UUID, mailer: InviteMailer, *, now: datetime
) -> None:
    org, standing, _ = await _manager(uow, caller, org_id)
    await _reinvite_one(uow, org, standing, member_id, caller, mailer, now)
    await uow.commit()


async def bulk_reinvite(
    uow: UnitOfWork,
    caller: Principal,
    org_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
    mailer: InviteMailer,
    *,
    now: datetime,
) -> list[BulkResult]:
    org, standing, _ = await _manager(uow, caller, org_id)
    results = await _each(uow, ids, lambda mid: _reinvite_one(uow, org, standing, mid, caller, mailer, now))
    await uow.commit()
    return results


async def accept(
    uow: UnitOfWork,
    caller: Principal,
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    token: str,
    tokens: InviteTokens,
    *,
    now: datetime,
) -> None:
    """The invitee accepts with the mailed token; the token, not a standing, is the authority here."""
    session = uow.session
    org = await store.load_org(session, org_id, lock=True)
    member = await store.load_member(session, org_id, member_id) if org else None
    if org is None or member is None:
        raise MemberNotFound()
    claims = tokens.verify(token, now)
    tokens.check(claims, org_id, member_id, member.invite_nonce)
    if normalize_email(claims.email) != normalize_email(caller.email):
        raise InviteEmailMismatch()
    if await session.scalar(
        select(members.c.id).where(members.c.organization_id == org_id, members.c.user_id == caller.user_id)
    ):
        raise AlreadyMember(caller.email)
    member.accept(caller.user_id, caller.email)
    await _check_single_org(uow, org_id, member)
    await store.save_member(session, member)
    uow.publish(member_event(MemberAcceptedV1, member), actor=authz.actor_of(caller.user_id))
    await revisions.bump(session, [caller.user_id])
    await uow.commit()


async def _confirm_one(
    uow: UnitOfWork, org: Organization, standing: Standing, member_id: uuid.UUID, key: str, actor: Actor
) -> None:
    member = await _target(uow, org.id, member_id)
    if member.type in (MemberType.OWNER, MemberType.ADMIN) and not standing.is_owner:
        raise OnlyOwnersManageOwners("Only Owners can confirm Owners and Admins.")
    _may_manage(standing, member.type)
    member.confirm(key)
    await _check_single_org(uow, org.id, member)
    await store.save_member(uow.session, member)
    uow.publish(member_event(MemberConfirmedV1, member), actor=actor)
    touched = await grants.affected_by_member(uow.session, org.id, member.id, member.type)
    await grants.publish_access(uow, org.id, touched, actor=actor)
    await revisions.bump(uow.session, [member.user_id])


async def confirm(uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, member_id: uuid.UUID, key: str) -> None:
    org, standing, actor = await _manager(uow, caller, org_id)
    await _confirm_one(uow, org, standing, member_id, key, actor)
    await uow.commit()


async def bulk_confirm(
    uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, keys: Sequence[tuple[uuid.UUID, str]]
) -> list[BulkResult]:
    org, standing, actor = await _manager(uow, caller, org_id)
    by_id = dict(keys)
    results = await _each(uow, list(by_id), lambda mid: _confirm_one(uow, org, standing, mid, by_id[mid], actor))
    await uow.commit()
    return results


async def update(
    uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, member_id: uuid.UUID, assignment: Assignment
) -> None:
    org, standing, actor = await _manager(uow, caller, org_id)
    member = await _target(uow, org_id, member_id)
    _may_manage(standing, member.type)
    _may_manage(standing, assignment.type, "Only Owners can grant Owner, and only Owners and Admins grant Admin.")
    if assignment.type != MemberType.OWNER:
        await _keeps_an_owner(uow, org, member)
    await _check_assignment_refs(uow, org_id, assignment)
    touched = await grants.affected_by_member(uow.session, org_id, member.id, member.type)
    member.update(assignment.type, assignment.permissions, None)
    if assignment.access_secrets_manager is not None:
        member.access_secrets_manager = assignment.access_secrets_manager
    if assignment.collections is not None:
        await grants.replace_member_grants(uow.session, member.id, assignment.collections)
    if assignment.groups is not None:
        await grants.replace_member_groups(uow.session, member.id, assignment.groups)
    touched |= await grants.affected_by_member(uow.session, org_id, member.id, member.type)
    await store.save_member(uow.session, member)
    uow.publish(member_event(MemberUpdatedV1, member), actor=actor)
    await grants.publish_access(uow, org_id, touched, actor=actor)
    await revisions.bump(uow.session, [member.user_id])
    await uow.commit()


async def _revoke_one(
    uow: UnitOfWork, org: Organization, standing: Standing, member_id: uuid.UUID, actor: Actor
) -> None:
    member = await _target(uow, org.id, member_id)
    if standing.member_id == member.id:
        raise SelfAction("revoke")
    _may_manage(standing, member.type)
    await _keeps_an_owner(uow, org, member)
    member.revoke()
    await store.save_member(uow.session, member)
    uow.publish(member_event(MemberRevokedV1, member), actor=actor)
    touched = await grants.affected_by_member(uow.session, org.id, member.id, member.type)
    await grants.publish_access(uow, org.id, touched, actor=actor)
    await revisions.bump(uow.session, [member.user_id])


async def _restore_one(
    uow: UnitOfWork, org: Organization, standing: Standing, member_id: uuid.UUID, actor: Actor
) -> None:
    member = await _target(uow, org.id, member_id)
    _may_manage(standing, member.type)
    member.restore()
    check_seats(org.seats, await store.occupied_seats(uow.session, org.id), 1)
    await _check_single_org(uow, org.id, member)
    await store.save_member(uow.session, member)
    uow.publish(member_event(MemberRestoredV1, member), actor=actor)
    touched = await grants.affected_by_member(uow.session, org.id, member.id, member.type)
    await grants.publish_access(uow, org.id, touched, actor=actor)
    await revisions.bump(uow.session, [member.user_id])


async def _remove_one(
    uow: UnitOfWork, org: Organization, standing: Standing, member_id: uuid.UUID, actor: Actor
) -> None:
    member = await _target(uow, org.id, member_id)
    if standing.member_id == member.id:
        raise SelfAction("remove")
    _may_manage(standing, member.type)
    await _keeps_an_owner(uow, org, member)
    touched = await grants.affected_by_member(uow.session, org.id, member.id, member.type)
    await uow.session.execute(delete(members).where(members.c.id == member.id))  # grants and groups cascade
    uow.publish(member_event(MemberRemovedV1, member), actor=actor)
    await grants.publish_access(uow, org.id, touched, actor=actor)
    await revisions.bump(uow.session, [member.user_id])


Step = Callable[[UnitOfWork, Organization, Standing, uuid.UUID, Actor], Awaitable[None]]
STEPS: dict[str, Step] = {"revoke": _revoke_one, "restore": _restore_one, "remove": _remove_one}


async def change(uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, member_id: uuid.UUID, action: str) -> None:
    """Revoke, restore or remove one member."""
    org, standing, actor = await _manager(uow, caller, org_id, lock=action == "restore")
    await STEPS[action](uow, org, standing, member_id, actor)
    await uow.commit()


async def bulk_change(
    uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, ids: Sequence[uuid.UUID], action: str
) -> list[BulkResult]:
    org, standing, actor = await _manager(uow, caller, org_id, lock=action == "restore")
    step = STEPS[action]
    results = await _each(uow, ids, lambda mid: step(uow, org, standing, mid, actor))
    await uow.commit()
    return results


async def _each(
    uow: UnitOfWork, ids: Sequence[uuid.UUID], run: Callable[[uuid.UUID], Awaitable[Any]]
) -> list[BulkResult]:
    """Bulk routes answer per id, as Bitwarden does; a refused id does not stop the others.

    Each id runs in a SAVEPOINT, so a refusal part-way leaves nothing of that id behind.
    """
    results: list[BulkResult] = []
    for member_id in dict.fromkeys(ids):
        try:
            async with uow.session.begin_nested():
                await run(member_id)
        except DomainError as error:
            results.append(BulkResult(member_id, error.message))
        else:
            results.append(BulkResult(member_id, ""))
    return results


async def public_keys(
    uow: UnitOfWork, caller: Principal, org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[dict[str, Any]]:
    await _manager(uow, caller, org_id)
    rows = await uow.session.execute(
        select(members.c.id, members.c.user_id, users.c.public_key)
        .join(users, users.c.id == members.c.user_id)
        .where(members.c.organization_id == org_id, members.c.id.in_(list(ids)), users.c.public_key.is_not(None))
    )
    return [{"id": r.id, "user_id": r.user_id, "key": r.public_key} for r in rows]


def grant_list(items: Sequence[tuple[uuid.UUID, bool, bool, bool]]) -> list[grants.GrantTo]:
    return [(i, Grant(read_only=ro, hide_passwords=hp, manage=m)) for i, ro, hp, m in items]
