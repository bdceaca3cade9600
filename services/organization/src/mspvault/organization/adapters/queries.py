"""The read side (GET endpoints): what a caller may see of organizations, members, collections, groups, policies,
event logs, and their sync. Every query first resolves the caller's standing (none: 404). Nothing here writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Text, Uuid, any_, bindparam, case, func, literal, or_, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters.orm import (
    audit_events,
    collection_groups,
    collection_users,
    collections,
    group_members,
    groups,
    members,
    organization_api_keys,
    organizations,
    policies,
    provider_users,
    providers,
    user_revisions,
    users,
)
from mspvault.organization.adapters.repository import SqlOrganizationStore, member_from_row, org_from_row
from mspvault.organization.domain.access import FULL, Grant, fold
from mspvault.organization.domain.audit import may_read_event_logs
from mspvault.organization.domain.errors import (
    CollectionNotFound,
    GroupNotFound,
    MemberNotFound,
    OrganizationNotFound,
    require,
)
from mspvault.organization.domain.members import Member
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.policies import PolicyType
from mspvault.organization.domain.roles import MemberStatus, MemberType, Permissions, Standing
from mspvault.organization.service_layer.common import standing_in
from mspvault.shared.audit.paging import LogQuery, Page, read_page
from mspvault.shared.db.json_sql import json_string
from mspvault.shared.db.sole_holders import sole_holder_count
from mspvault.shared.text import normalize_email


@dataclass(frozen=True)
class MemberView:
    member: Member
    name: str | None
    collections: list[tuple[uuid.UUID, Grant]] = field(default_factory=list)
    groups: list[uuid.UUID] = field(default_factory=list)


@dataclass(frozen=True)
class CollectionView:
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    external_id: str | None
    # The caller's own rights on it (None: the caller sees it through an any-collection right only).
    grant: Grant | None
    assigned: bool
    users: list[tuple[uuid.UUID, Grant]] = field(default_factory=list)
    groups: list[tuple[uuid.UUID, Grant]] = field(default_factory=list)


@dataclass(frozen=True)
class GroupView:
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    external_id: str | None
    collections: list[tuple[uuid.UUID, Grant]] = field(default_factory=list)
    member_ids: list[uuid.UUID] = field(default_factory=list)


@dataclass(frozen=True)
class PolicyView:
    id: uuid.UUID | None
    organization_id: uuid.UUID
    type: int
    enabled: bool
    data: Any


async def _standing(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> tuple[Organization, Standing]:
    return await standing_in(SqlOrganizationStore(session), org_id, user_id)


def _grant(row: Any) -> Grant:
    return Grant(read_only=row.read_only, hide_passwords=row.hide_passwords, manage=row.manage)


# --- organization -------------------------------------------------------------------------------------------


async def organization(session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID) -> Organization:
    org, _ = await _standing(session, org_id, user_id)
    return org


async def sole_owner_of(session: AsyncSession, user_id: uuid.UUID) -> int:
    """How many organizations have this user as their only confirmed Owner (account deletion is refused then, as
    Bitwarden refuses it). A provider's client needs no Owner member (its provider administers it): not counted."""
    owner = {"type": int(MemberType.OWNER), "status": int(MemberStatus.CONFIRMED)}
    query, mine = sole_holder_count(members, user_id, scope="organization_id", role=owner)
    own_organizations = select(organizations.c.id).where(organizations.c.provider_id.is_(None))
    return int(await session.scalar(query.where(mine.c.organization_id.in_(own_organizations))) or 0)


async def public_key(session: AsyncSession, user_id: uuid.UUID, email: str, org_id: uuid.UUID) -> str:
    """The organization's public key (account recovery wraps a member's user key to it), for anyone who has a
    standing in it or a membership row of any status, an invitation to their email included (they enrol while
    accepting). Anyone else: 404."""
    org = await SqlOrganizationStore(session).load_org(org_id)
    if org is None or org.public_key is None:
        raise OrganizationNotFound()
    row = await session.scalar(
        select(members.c.id).where(
            members.c.organization_id == org_id,
            or_(members.c.user_id == user_id, members.c.email == normalize_email(email)),
        )
    )
    if row is None:
        await _standing(session, org_id, user_id)  # a provider user of a client: 404 unless they have one
    return org.public_key


# --- members ------------------------------------------------------------------------------------------------


async def _member_views(
    session: AsyncSession,
    org_id: uuid.UUID,
    member_rows: Sequence[RowMapping],
    *,
    with_collections: bool,
    with_groups: bool,
) -> list[MemberView]:
    ids = [r["id"] for r in member_rows]
    by_member: dict[uuid.UUID, list[tuple[uuid.UUID, Grant]]] = {}
    if with_collections and ids:
        for r in await session.execute(select(collection_users).where(collection_users.c.member_id.in_(ids))):
            by_member.setdefault(r.member_id, []).append((r.collection_id, _grant(r)))
    group_ids: dict[uuid.UUID, list[uuid.UUID]] = {}
    if with_groups and ids:
        for r in await session.execute(select(group_members).where(group_members.c.member_id.in_(ids))):
            group_ids.setdefault(r.member_id, []).append(r.group_id)
    return [
        MemberView(
            member=member_from_row(r),
            name=r["user_name"],
            collections=sorted(by_member.get(r["id"], []), key=lambda item: item[0]),
            groups=sorted(group_ids.get(r["id"], [])),
        )
        for r in member_rows
    ]


def _members_with_names() -> Any:
    return select(members, users.c.name.label("user_name")).outerjoin(users, users.c.id == members.c.user_id)


async def list_members(
    session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID, *, with_collections: bool, with_groups: bool
) -> list[MemberView]:
    _, standing = await _standing(session, org_id, user_id)
    require(standing.can_read_members, "list members")
    return await members_of(session, org_id, with_collections=with_collections, with_groups=with_groups)


async def member(
    session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID, member_id: uuid.UUID, *, with_groups: bool
) -> MemberView:
    _, standing = await _standing(session, org_id, user_id)
    if not standing.can_read_members and standing.member_id != member_id:
        raise MemberNotFound()
    row = (
        (
            await session.execute(
                _members_with_names().where(members.c.organization_id == org_id, members.c.id == member_id)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise MemberNotFound()
    views = await _member_views(session, org_id, [row], with_collections=True, with_groups=with_groups)
    return views[0]


@dataclass(frozen=True)
class PublicKeyView:
    id: uuid.UUID
    user_id: uuid.UUID
    key: str


async def public_keys(
    session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> list[PublicKeyView]:
    """The public keys of members with an account, for a user manager who is about to confirm them."""
    _, standing = await _standing(session, org_id, user_id)
    require(standing.can_manage_users, "manage users")
    rows = await session.execute(
        select(members.c.id, members.c.user_id, users.c.public_key)
        .join(users, users.c.id == members.c.user_id)
        .where(members.c.organization_id == org_id, members.c.id.in_(list(ids)), users.c.public_key.is_not(None))
    )
    return [PublicKeyView(r.id, r.user_id, r.public_key) for r in rows]


# --- collections --------------------------------------------------------------------------------------------


async def _caller_grants(session: AsyncSession, member_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Grant]:
    """collection id -> the folded grant of these members (direct and via groups); each table read once."""
    if not member_ids:
        return {}
    found: dict[uuid.UUID, list[Grant]] = {}
    for r in await session.execute(select(collection_users).where(collection_users.c.member_id.in_(member_ids))):
        found.setdefault(r.collection_id, []).append(_grant(r))
    via_groups = await session.execute(
        select(collection_groups)
        .join(group_members, group_members.c.group_id == collection_groups.c.group_id)
        .where(group_members.c.member_id.in_(member_ids))
    )
    for r in via_groups:
        found.setdefault(r.collection_id, []).append(_grant(r))
    return {cid: g for cid, grants in found.items() if (g := fold(grants)) is not None}


async def _visible_collections(
    session: AsyncSession, standing: Standing, org_id: uuid.UUID, only: uuid.UUID | None = None
) -> list[tuple[RowMapping, Grant | None]]:
    own = await _caller_grants(session, [standing.member_id] if standing.member_id else [])
    query = select(collections).where(collections.c.organization_id == org_id)
    if only is not None:
        query = query.where(collections.c.id == only)
    if not standing.sees_all_collections:
        query = query.where(collections.c.id.in_(list(own)))
    rows = (await session.execute(query.order_by(collections.c.id))).mappings().all()
    full = standing.role in (MemberType.OWNER, MemberType.ADMIN)
    return [(r, FULL if full else own.get(r["id"])) for r in rows]


async def list_collections(
    session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID, *, details: bool, only: uuid.UUID | None = None
) -> list[CollectionView]:
    _, standing = await _standing(session, org_id, user_id)
    visible = await _visible_collections(session, standing, org_id, only)
    if only is not None and not visible:
        raise CollectionNotFound()
    # Access lists go to those who may change them: any-collection editors, or managers of that collection.
    listed = [
        r["id"] for r, g in visible if details and (standing.can_edit_any_collection or (g is not None and g.manage))
    ]
    users_of: dict[uuid.UUID, list[tuple[uuid.UUID, Grant]]] = {}
    groups_of: dict[uuid.UUID, list[tuple[uuid.UUID, Grant]]] = {}
    if listed:
        for r in await session.execute(select(collection_users).where(collection_users.c.collection_id.in_(listed))):
            users_of.setdefault(r.collection_id, []).append((r.member_id, _grant(r)))
        for r in await session.execute(select(collection_groups).where(collection_groups.c.collection_id.in_(listed))):
            groups_of.setdefault(r.collection_id, []).append((r.group_id, _grant(r)))
    return [
        CollectionView(
            id=r["id"],
            organization_id=r["organization_id"],
            name=r["name"],
            external_id=r["external_id"],
            grant=g,
            assigned=g is not None,
            users=sorted(users_of.get(r["id"], []), key=lambda item: item[0]),
            groups=sorted(groups_of.get(r["id"], []), key=lambda item: item[0]),
        )
        for r, g in visible
    ]


# --- groups -------------------------------------------------------------------------------------------------


async def list_groups(
    session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID, *, details: bool, only: uuid.UUID | None = None
) -> list[GroupView]:
    _, standing = await _standing(session, org_id, user_id)
    query = select(groups).where(groups.c.organization_id == org_id)
    if only is not None:
        query = query.where(groups.c.id == only)
    rows = (await session.execute(query.order_by(groups.c.name))).mappings().all()
    if only is not None and not rows:
        raise GroupNotFound()
    if details:
        require(standing.can_manage_groups or standing.can_manage_users, "read group details")
    ids = [r["id"] for r in rows]
    grants_of: dict[uuid.UUID, list[tuple[uuid.UUID, Grant]]] = {}
    members_of: dict[uuid.UUID, list[uuid.UUID]] = {}
    if details and ids:
        for r in await session.execute(select(collection_groups).where(collection_groups.c.group_id.in_(ids))):
            grants_of.setdefault(r.group_id, []).append((r.collection_id, _grant(r)))
        for r in await session.execute(select(group_members).where(group_members.c.group_id.in_(ids))):
            members_of.setdefault(r.group_id, []).append(r.member_id)
    return [
        GroupView(
            id=r["id"],
            organization_id=r["organization_id"],
            name=r["name"],
            external_id=r["external_id"],
            collections=sorted(grants_of.get(r["id"], []), key=lambda item: item[0]),
            member_ids=sorted(members_of.get(r["id"], [])),
        )
        for r in rows
    ]


# --- policies -----------------------------------------------------------------------------------------------


async def list_policies(
    session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID, *, only: PolicyType | None = None
) -> list[PolicyView]:
    _, standing = await _standing(session, org_id, user_id)
    require(standing.can_manage_policies, "read policies")
    query = select(policies).where(policies.c.organization_id == org_id)
    if only is not None:
        query = query.where(policies.c.type == int(only))
    rows = (await session.execute(query.order_by(policies.c.type))).mappings().all()
    views = [PolicyView(r["id"], org_id, r["type"], r["enabled"], r["data"]) for r in rows]
    if only is not None and not views:
        return [PolicyView(None, org_id, int(only), False, None)]
    return views


# --- event logs -------------------------------------------------------------------------------------------------


async def _require_reader(session: AsyncSession, org_id: uuid.UUID, caller_id: uuid.UUID) -> None:
    _, standing = await _standing(session, org_id, caller_id)
    if not may_read_event_logs(standing):
        raise OrganizationNotFound()


async def organization_events(
    session: AsyncSession, caller_id: uuid.UUID, org_id: uuid.UUID, asked: LogQuery, *, now: datetime
) -> Page:
    await _require_reader(session, org_id, caller_id)
    scope = audit_events.c.organization_id == org_id
    return await read_page(session, audit_events, scope, asked, now=now)


async def member_events(
    session: AsyncSession,
    caller_id: uuid.UUID,
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    asked: LogQuery,
    *,
    now: datetime,
) -> Page:
    """What one member did in the organization (Bitwarden: events by acting user); the member must have an account."""
    await _require_reader(session, org_id, caller_id)
    user_id = await session.scalar(
        select(members.c.user_id).where(members.c.organization_id == org_id, members.c.id == member_id)
    )
    if user_id is None:
        raise MemberNotFound()
    scope = (audit_events.c.organization_id == org_id) & (audit_events.c.acting_user_id == user_id)
    return await read_page(session, audit_events, scope, asked, now=now)


# --- sync ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    member: Member
    org: Organization
    provider_name: str | None
    provider_type: int | None


@dataclass(frozen=True)
class SyncData:
    memberships: list[Membership]
    collections: list[CollectionView]
    policies: list[PolicyView]


@dataclass(frozen=True)
class SyncDocuments:
    memberships: list[Membership]
    collections: str  # the JSON array's items, without its brackets, written by PostgreSQL (`sync_documents`)
    policies: list[PolicyView]


def _sees_all(m: Member) -> bool:
    if m.type in (MemberType.OWNER, MemberType.ADMIN):
        return True
    perms = Permissions.from_json(m.permissions)
    return m.type == MemberType.CUSTOM and ("editAnyCollection" in perms or "deleteAnyCollection" in perms)


async def memberships_of(session: AsyncSession, user_id: uuid.UUID) -> list[Membership]:
    """The caller's confirmed memberships with their organizations (and providers' names), by name."""
    member_rows = (
        (
            await session.execute(
                select(
                    members,
                    *[c.label(f"org_{c.name}") for c in organizations.c],
                    providers.c.name.label("provider_name"),
                    providers.c.type.label("provider_type"),
                )
                .join(organizations, organizations.c.id == members.c.organization_id)
                .outerjoin(providers, providers.c.id == organizations.c.provider_id)
                .where(members.c.user_id == user_id, members.c.status == int(MemberStatus.CONFIRMED))
                .order_by(organizations.c.name)
            )
        )
        .mappings()
        .all()
    )
    return [
        Membership(
            member=member_from_row(r),
            org=org_from_row({c.name: r[f"org_{c.name}"] for c in organizations.c}),
            provider_name=r["provider_name"],
            provider_type=r["provider_type"],
        )
        for r in member_rows
    ]


@dataclass(frozen=True)
class _Reach:
    """Which collections a caller reaches beyond their providers' client organizations (which the collections'
    query finds itself, `_reached_collections`): member organizations where they see every collection (whole:
    as Owner or Admin), and their own grants (direct and through groups)."""

    user_id: uuid.UUID
    memberships: list[Membership]
    whole: set[uuid.UUID]
    any_collection: set[uuid.UUID]
    own: dict[uuid.UUID, Grant]

    def grant(self, row: Any) -> Grant:
        """The caller's rights on a collection row of `_reached_collections`."""
        if row.via_provider or row.organization_id in self.whole:
            return FULL
        return self.own.get(row.id) or Grant(manage=False)


async def _reach(session: AsyncSession, user_id: uuid.UUID) -> _Reach:
    memberships = await memberships_of(session, user_id)
    whole = {m.org.id for m in memberships if m.member.type in (MemberType.OWNER, MemberType.ADMIN)}
    any_collection = {m.org.id for m in memberships if _sees_all(m.member)} - whole
    own = await _caller_grants(session, [m.member.id for m in memberships])
    return _Reach(user_id, memberships, whole, any_collection, own)


def _reached_collections(reach: _Reach, *columns: Any) -> Any:
    """The collections the caller reaches, by id, with `via_provider` (a client organization of a provider they are
    an active member of: read here, not passed in; a provider user may reach 10,000 of them)."""
    client_orgs = (
        select(organizations.c.id)
        .join(provider_users, provider_users.c.provider_id == organizations.c.provider_id)
        .where(
            provider_users.c.user_id == reach.user_id,
            provider_users.c.status == int(MemberStatus.CONFIRMED),
            provider_users.c.revoked.is_(False),
        )
    )
    via_provider = collections.c.organization_id.in_(client_orgs)
    conditions: list[ColumnElement[bool]] = [via_provider]
    if reach.whole or reach.any_collection:
        # One array parameter, not one per organization.
        reached = bindparam("reached", list(reach.whole | reach.any_collection), type_=ARRAY(Uuid))
        conditions.append(collections.c.organization_id == any_(reached))
    if reach.own:
        conditions.append(collections.c.id.in_(list(reach.own)))
    return select(*columns, via_provider.label("via_provider")).where(or_(*conditions)).order_by(collections.c.id)


# A collection's members up to the caller's rights, as `collection_details_json` writes them, written by PostgreSQL:
# a provider user's sync lists 10,000 collections, and a row, a view and a dict each were most of this service's
# time for it (an integration test holds the two together).
_COLLECTION_MEMBERS = func.concat(
    '{"id":"',
    collections.c.id,
    '","organizationId":"',
    collections.c.organization_id,
    '","name":',
    json_string(collections.c.name),
    ',"externalId":',
    json_string(collections.c.external_id),
    ',"type":0,"defaultUserCollectionEmail":null,"object":"collectionDetails",',
).label("members")


async def _member_policies(session: AsyncSession, memberships: Sequence[Membership]) -> list[PolicyView]:
    member_orgs = [m.org.id for m in memberships]
    if not member_orgs:
        return []
    query = select(policies).where(policies.c.organization_id.in_(member_orgs))
    rows = (await session.execute(query)).mappings().all()
    return [PolicyView(r["id"], r["organization_id"], r["type"], r["enabled"], r["data"]) for r in rows]


async def sync(session: AsyncSession, user_id: uuid.UUID) -> SyncData:
    """Each table is read once, whatever the number of organizations (a provider user may reach thousands)."""
    reach = await _reach(session, user_id)
    rows = await session.execute(_reached_collections(reach, collections))
    visible = [
        CollectionView(row.id, row.organization_id, row.name, row.external_id, reach.grant(row), row.id in reach.own)
        for row in rows
    ]
    return SyncData(reach.memberships, visible, await _member_policies(session, reach.memberships))


async def sync_documents(
    session: AsyncSession, user_id: uuid.UUID, rights_json: Callable[[Grant], str]
) -> SyncDocuments:
    """`sync` for `/internal/sync`, the collections written by PostgreSQL as one value: each one's members, closed
    with the caller's rights on it as `rights_json` writes them (`_Reach.grant` in SQL: full through a provider or a
    whole organization, else their own grant or none). A provider user reaches 10,000 collections: a row, an object
    and a string each cost this service more than PostgreSQL spends writing them all."""
    reach = await _reach(session, user_id)
    reached = (
        _reached_collections(reach, collections.c.id, collections.c.organization_id, _COLLECTION_MEMBERS)
        .order_by(None)
        .subquery()
    )
    own = (
        func.unnest(
            bindparam("own_ids", list(reach.own), type_=ARRAY(Uuid)),
            bindparam("own_rights", [rights_json(grant) for grant in reach.own.values()], type_=ARRAY(Text)),
        )
        .table_valued("id", "rights")
        .render_derived(name="own")
    )
    whole = bindparam("whole", list(reach.whole), type_=ARRAY(Uuid))
    rights = case(
        (or_(reached.c.via_provider, reached.c.organization_id == any_(whole)), literal(rights_json(FULL))),
        else_=func.coalesce(own.c.rights, literal(rights_json(Grant(manage=False)))),
    )
    written = select(
        func.coalesce(func.string_agg(reached.c.members + rights, aggregate_order_by(literal(","), reached.c.id)), "")
    ).select_from(reached.outerjoin(own, own.c.id == reached.c.id))
    items: str = await session.scalar(written) or ""
    return SyncDocuments(reach.memberships, items, await _member_policies(session, reach.memberships))


async def revision_date(session: AsyncSession, user_id: uuid.UUID) -> datetime | None:
    return await session.scalar(select(user_revisions.c.revised_at).where(user_revisions.c.user_id == user_id))


# --- the organization's API key -------------------------------------------------------------------------------
async def api_key_stamp(session: AsyncSession, org_id: uuid.UUID) -> str | None:
    """The stamp an organization's API-key token must carry (None: the organization has no key)."""
    stamp: str | None = await session.scalar(
        select(organization_api_keys.c.stamp).where(organization_api_keys.c.organization_id == org_id)
    )
    return stamp


async def members_of(
    session: AsyncSession, org_id: uuid.UUID, *, with_collections: bool = False, with_groups: bool = False
) -> list[MemberView]:
    """Every member, by email, without a check of the caller: for the organization's own API key (the key speaks
    for the organization) and for `list_members` once it has checked the caller's standing."""
    rows = (
        (
            await session.execute(
                _members_with_names().where(members.c.organization_id == org_id).order_by(members.c.email)
            )
        )
        .mappings()
        .all()
    )
    return await _member_views(session, org_id, rows, with_collections=with_collections, with_groups=with_groups)
