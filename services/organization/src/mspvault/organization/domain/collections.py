"""Collections and groups: who may create or change them, and what each change records.

A collection's access lists (per member and per group) and a group's grants and members are replaced whole; `None`
means "leave as it is". Changing access is announced separately, as each touched collection's full effective list
(`access_changed_events`), because a member's or a group's change touches collections too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from mspvault.organization.domain.access import Grant
from mspvault.organization.domain.encstrings import require_symmetric
from mspvault.organization.domain.errors import CollectionNotFound, NotPermitted
from mspvault.organization.domain.organization import Organization
from mspvault.organization.domain.roles import Standing
from mspvault.shared.contracts.envelope import EventData
from mspvault.shared.contracts.organization import CollectionCreatedV1, CollectionDeletedV1, CollectionUpdatedV1
from mspvault.shared.errors import DomainError

GrantTo = tuple[uuid.UUID, Grant]  # (the id of a member, a group or a collection; its grant)


class CollectionLimitReached(DomainError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"This organization can hold at most {limit} collections.")


@dataclass
class Collection:
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    external_id: str | None = None
    # Replaced whole when not None (member id or group id -> grant).
    users: list[GrantTo] | None = None
    groups: list[GrantTo] | None = None
    events: list[EventData] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def create(
        cls,
        org: Organization,
        standing: Standing,
        *,
        name: str,
        external_id: str | None,
        users: Sequence[GrantTo],
        groups: Sequence[GrantTo],
        existing: int,
    ) -> Collection:
        """`existing`: how many collections the organization holds (checked against its maximum)."""
        if org.max_collections is not None and existing >= org.max_collections:
            raise CollectionLimitReached(org.max_collections)
        granted = list(users)
        # A creator who does not see every collection (a Custom role) keeps managing what they created.
        creator = standing.member_id
        if creator is not None and not standing.sees_all_collections and all(mid != creator for mid, _ in granted):
            granted.append((creator, Grant(manage=True)))
        collection = cls(
            id=uuid.uuid4(),
            organization_id=org.id,
            name=require_symmetric(name, "name"),
            external_id=external_id,
            users=granted,
            groups=list(groups),
        )
        collection.events.append(
            CollectionCreatedV1(organization_id=org.id, collection_id=collection.id, name=name, external_id=external_id)
        )
        return collection

    @classmethod
    def default(cls, org_id: uuid.UUID, name: str) -> Collection:
        """The collection an organization starts with (named by its creator, or by the provider for a client)."""
        collection = cls(id=uuid.uuid4(), organization_id=org_id, name=require_symmetric(name, "collectionName"))
        collection.events.append(CollectionCreatedV1(organization_id=org_id, collection_id=collection.id, name=name))
        return collection

    def update(
        self,
        *,
        name: str,
        external_id: str | None,
        users: Sequence[GrantTo] | None,
        groups: Sequence[GrantTo] | None,
    ) -> None:
        self.name = require_symmetric(name, "name")
        self.external_id = external_id
        self.users = list(users) if users is not None else None
        self.groups = list(groups) if groups is not None else None
        self.events.append(
            CollectionUpdatedV1(
                organization_id=self.organization_id, collection_id=self.id, name=name, external_id=external_id
            )
        )

    def delete(self) -> None:
        self.events.append(CollectionDeletedV1(organization_id=self.organization_id, collection_id=self.id))


def has_any_collection_right(standing: Standing, *, deleting: bool) -> bool:
    return standing.can_delete_any_collection if deleting else standing.can_edit_any_collection


def check_may_change(standing: Standing, own_grant: Grant | None, *, deleting: bool) -> None:
    """Any-collection rights, or manage on this one. Who does not even see it gets 404 as for a missing one."""
    if has_any_collection_right(standing, deleting=deleting):
        return
    if own_grant is None and not standing.sees_all_collections:
        raise CollectionNotFound()
    if own_grant is None or not own_grant.manage:
        raise NotPermitted("delete this collection" if deleting else "edit this collection")


@dataclass
class Group:
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    external_id: str | None = None
    # Replaced whole when not None.
    collections: list[GrantTo] | None = None
    member_ids: list[uuid.UUID] | None = None
    # Whether the group's own row (name, external id) changed, not only its lists.
    renamed: bool = False

    @classmethod
    def create(
        cls,
        org_id: uuid.UUID,
        *,
        name: str,
        external_id: str | None,
        collections: Sequence[GrantTo],
        member_ids: Sequence[uuid.UUID],
    ) -> Group:
        return cls(
            id=uuid.uuid4(),
            organization_id=org_id,
            name=name,
            external_id=external_id,
            collections=list(collections),
            member_ids=list(member_ids),
        )

    def update(
        self,
        *,
        name: str,
        external_id: str | None,
        collections: Sequence[GrantTo] | None,
        member_ids: Sequence[uuid.UUID] | None,
    ) -> None:
        self.name = name
        self.external_id = external_id
        self.renamed = True
        self.collections = list(collections) if collections is not None else None
        self.member_ids = list(member_ids) if member_ids is not None else None

    def set_members(self, member_ids: Sequence[uuid.UUID]) -> None:
        self.member_ids = list(member_ids)
