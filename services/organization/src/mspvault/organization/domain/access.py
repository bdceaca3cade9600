"""Effective collection access: direct grants and group grants folded into one entry per user.

Several grants to the same user combine to the most permissive: read-only and hide-passwords only if every grant
says so, manage if any grant does. Owners and Admins use every collection of their organization with full rights.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mspvault.organization.domain.roles import MemberStatus, MemberType
from mspvault.shared.contracts.organization import CollectionAccessChangedV1, MemberAccess


@dataclass(frozen=True)
class Grant:
    read_only: bool = False
    hide_passwords: bool = False
    manage: bool = False

    def combine(self, other: Grant) -> Grant:
        return Grant(
            read_only=self.read_only and other.read_only,
            hide_passwords=self.hide_passwords and other.hide_passwords,
            manage=self.manage or other.manage,
        )


FULL = Grant(read_only=False, hide_passwords=False, manage=True)


def fold(grants: Iterable[Grant]) -> Grant | None:
    result: Grant | None = None
    for grant in grants:
        result = grant if result is None else result.combine(grant)
    return result


@dataclass(frozen=True)
class AccessMember:
    member_id: uuid.UUID
    user_id: uuid.UUID | None
    type: MemberType
    status: MemberStatus


@dataclass(frozen=True)
class AccessGraph:
    """One organization's grants, as loaded for a set of collections."""

    members: Mapping[uuid.UUID, AccessMember]
    # (collection id, member id) -> grant
    direct: Mapping[tuple[uuid.UUID, uuid.UUID], Grant]
    # (collection id, group id) -> grant
    by_group: Mapping[tuple[uuid.UUID, uuid.UUID], Grant]
    # group id -> member ids
    group_members: Mapping[uuid.UUID, frozenset[uuid.UUID]]

    @classmethod
    def of_members(cls, members: Iterable[AccessMember]) -> AccessGraph:
        """An organization whose collections hold no grants yet (one just created)."""
        return cls(members={m.member_id: m for m in members}, direct={}, by_group={}, group_members={})


def effective_access(
    graph: AccessGraph, collection_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, dict[uuid.UUID, Grant]]:
    """collection id -> {user id -> grant} for confirmed members only: nobody else holds the org key."""
    wanted = list(collection_ids)
    per_member: dict[uuid.UUID, dict[uuid.UUID, list[Grant]]] = {cid: {} for cid in wanted}
    for (cid, member_id), grant in graph.direct.items():
        if cid in per_member:
            per_member[cid].setdefault(member_id, []).append(grant)
    for (cid, group_id), grant in graph.by_group.items():
        if cid in per_member:
            for member_id in graph.group_members.get(group_id, frozenset()):
                per_member[cid].setdefault(member_id, []).append(grant)
    admins = [m for m in graph.members.values() if m.type in (MemberType.OWNER, MemberType.ADMIN)]
    result: dict[uuid.UUID, dict[uuid.UUID, Grant]] = {}
    for cid in wanted:
        users: dict[uuid.UUID, Grant] = {}
        for member_id, grants in per_member[cid].items():
            member = graph.members.get(member_id)
            if member is None or member.status != MemberStatus.CONFIRMED or member.user_id is None:
                continue
            folded = fold(grants)
            if folded is not None:
                users[member.user_id] = folded
        for admin in admins:
            if admin.status == MemberStatus.CONFIRMED and admin.user_id is not None:
                users[admin.user_id] = FULL
        result[cid] = users
    return result


def access_changed_events(
    organization_id: uuid.UUID, graph: AccessGraph, collection_ids: Iterable[uuid.UUID]
) -> list[CollectionAccessChangedV1]:
    """The full effective user list of each collection, in collection id order; consumers replace what they had."""
    wanted = sorted(set(collection_ids))
    return [
        CollectionAccessChangedV1(
            organization_id=organization_id,
            collection_id=cid,
            access=[
                MemberAccess(user_id=uid, read_only=g.read_only, hide_passwords=g.hide_passwords, manage=g.manage)
                for uid, g in sorted(users.items())
            ],
        )
        for cid, users in effective_access(graph, wanted).items()
    ]
