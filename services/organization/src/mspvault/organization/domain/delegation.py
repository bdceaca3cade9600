"""Nobody hands out more than they hold (issue 11 #1): no permission the caller lacks, no collection they do not
manage, and no change to their own membership (a group included).

Only what a change adds is checked: keeping a grant the target already has is not granting it, so a user manager
can still edit a member who holds more than they do, without being able to give it to anyone else.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.errors import CannotGrant, SelfAction, UnknownReference
from mspvault.organization.domain.roles import MemberType, Permissions, Standing


def check_not_own_membership(standing: Standing, member_id: uuid.UUID, what: str) -> None:
    if standing.member_id is not None and standing.member_id == member_id:
        raise SelfAction(what)


def check_not_joining(standing: Standing, added_member_ids: Iterable[uuid.UUID]) -> None:
    """A group manager may not add themselves to a group (its grants would become theirs)."""
    if standing.member_id is not None and standing.member_id in set(added_member_ids):
        raise SelfAction("add", " to a group")


def check_permissions_held(
    standing: Standing, member_type: MemberType, wanted: Mapping[str, object] | None, already: Permissions
) -> None:
    """A Custom manager grants only custom permissions they hold; Owners and Admins hold them all."""
    if member_type != MemberType.CUSTOM or standing.role in (MemberType.OWNER, MemberType.ADMIN):
        return
    added = Permissions.from_json(wanted).granted - already.granted
    missing = sorted(added - standing.permissions.granted)
    if missing:
        raise CannotGrant(f"You cannot grant permissions you do not hold: {', '.join(missing)}.", field="permissions")


def added_grants(wanted: Iterable[tuple[uuid.UUID, Grant]], current: Mapping[uuid.UUID, Grant]) -> set[uuid.UUID]:
    """The collections whose grant a change creates or alters (what it hands out)."""
    return {cid for cid, grant in wanted if current.get(cid) != grant}


def check_manages(
    standing: Standing, own_grants: Mapping[uuid.UUID, Grant | None], granted: Iterable[uuid.UUID], field: str
) -> None:
    """Every collection handed out is one the caller manages. One they cannot even see answers exactly as an unknown
    id does, so a refusal does not reveal that it exists."""
    if standing.can_edit_any_collection:
        return
    for cid in granted:
        own = own_grants.get(cid)
        if own is None and not standing.sees_all_collections:
            raise UnknownReference("collections", field)
        if own is None or not own.manage:
            raise CannotGrant("You can only grant access to collections you manage.", field=field)
