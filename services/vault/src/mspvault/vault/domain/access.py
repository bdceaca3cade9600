"""Who may see and change a cipher, computed from read-model facts. One rule set for reads, writes and audiences.

- A personal item belongs to its owner alone.
- An organization item is seen by confirmed members through the collections assigned to them; Owners, Admins and
  Custom members allowed to edit any collection see every item of the organization.
- Users of the provider that manages a client organization see every item of it, unless the client turned that off.
- Revoked, invited and accepted members see nothing; neither does anyone else.

Several collections may give one user different flags for the same item: as Bitwarden does, a restriction holds only
when every collection imposes it (read-only, hidden passwords), and `manage` holds when any collection grants it.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property
from typing import Any

from mspvault.shared.contracts.organization import MemberStatus as MemberStatus  # re-exported: the domain's word


class MemberType(IntEnum):
    OWNER = 0
    ADMIN = 1
    USER = 2
    MANAGER = 3
    CUSTOM = 4


@dataclass(frozen=True)
class Membership:
    """A user's membership of one organization, as the organization service last announced it."""

    type: int
    status: int
    edit_any_collection: bool = False  # a Custom member's permission
    access_all: bool = False  # Bitwarden's legacy "access all collections"
    import_export: bool = False  # a Custom member's accessImportExport permission

    @property
    def is_active(self) -> bool:
        # Only a confirmed member holds the org key; revoked members carry status -1 whatever they were before.
        return self.status == MemberStatus.CONFIRMED

    @property
    def has_full_access(self) -> bool:
        if not self.is_active:
            return False
        if self.type in (MemberType.OWNER, MemberType.ADMIN) or self.access_all:
            return True
        return self.type == MemberType.CUSTOM and self.edit_any_collection


@dataclass(frozen=True)
class CollectionGrant:
    """A user's effective access to one collection (group grants already folded in by the organization service)."""

    read_only: bool = False
    hide_passwords: bool = False
    manage: bool = False

    @property
    def writable(self) -> bool:
        return not self.read_only or self.manage


@dataclass(frozen=True)
class ProviderMembership:
    confirmed: bool
    revoked: bool = False

    @property
    def is_active(self) -> bool:
        return self.confirmed and not self.revoked


@dataclass(frozen=True)
class ClientLink:
    """A client organization's link to its provider, and whether the client lets provider users see its items."""

    provider_id: uuid.UUID
    access_to_items: bool = True


@dataclass(frozen=True)
class CallerFacts:
    """What the read models say about one caller; loaded once per request, whatever the number of items."""

    user_id: uuid.UUID
    memberships: Mapping[uuid.UUID, Membership] = field(default_factory=dict)  # by organization id
    grants: Mapping[uuid.UUID, CollectionGrant] = field(default_factory=dict)  # by collection id
    providers: Mapping[uuid.UUID, ProviderMembership] = field(default_factory=dict)  # by provider id
    client_links: Mapping[uuid.UUID, ClientLink] = field(default_factory=dict)  # by organization id
    disabled_orgs: frozenset[uuid.UUID] = frozenset()

    @cached_property
    def whole_orgs(self) -> frozenset[uuid.UUID]:
        """Organizations whose every item the caller sees; computed once, however many items are checked."""
        candidates = set(self.memberships) | set(self.client_links)
        return frozenset(org for org in candidates if _sees_whole(self, org))


@dataclass(frozen=True)
class CipherFacts:
    owner_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    collection_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True)
class CipherAccess:
    """What the caller may do with one cipher; `collection_ids` are the cipher's collections the caller sees."""

    edit: bool
    view_password: bool
    manage: bool
    collection_ids: tuple[uuid.UUID, ...] = ()

    @property
    def can_write(self) -> bool:
        return self.edit or self.manage

    @property
    def can_change_collections(self) -> bool:
        # Hidden passwords must not be a way to copy an item somewhere the password shows (Vaultwarden's rule).
        return (self.edit and self.view_password) or self.manage

    @property
    def permissions(self) -> dict[str, bool]:
        return {"delete": self.can_write, "restore": self.can_write}


def sees_whole_organization(caller: CallerFacts, organization_id: uuid.UUID) -> bool:
    """Owners, Admins, Custom members with editAnyCollection, and users of the managing provider."""
    return organization_id in caller.whole_orgs


def _sees_whole(caller: CallerFacts, organization_id: uuid.UUID) -> bool:
    if organization_id in caller.disabled_orgs:
        return False
    membership = caller.memberships.get(organization_id)
    if membership is not None and membership.has_full_access:
        return True
    link = caller.client_links.get(organization_id)
    if link is None or not link.access_to_items:
        return False
    provider = caller.providers.get(link.provider_id)
    return provider is not None and provider.is_active


def is_active_member(caller: CallerFacts, organization_id: uuid.UUID) -> bool:
    membership = caller.memberships.get(organization_id)
    return membership is not None and membership.is_active and organization_id not in caller.disabled_orgs


def may_use_organization(caller: CallerFacts, organization_id: uuid.UUID) -> bool:
    """May the caller put items into this organization at all (before any collection is checked)?"""
    return sees_whole_organization(caller, organization_id) or is_active_member(caller, organization_id)


def may_import_into(caller: CallerFacts, organization_id: uuid.UUID) -> bool:
    """Import into any of the organization's collections (new ones included): who sees the whole organization (Owners,
    Admins, editAnyCollection, the managing provider's users) and confirmed Custom members with accessImportExport."""
    if sees_whole_organization(caller, organization_id):
        return True
    membership = caller.memberships.get(organization_id)
    return membership is not None and membership.import_export and is_active_member(caller, organization_id)


def can_write_collection(caller: CallerFacts, organization_id: uuid.UUID, collection_id: uuid.UUID) -> bool:
    if sees_whole_organization(caller, organization_id):
        return True
    grant = caller.grants.get(collection_id)
    return grant is not None and grant.writable and is_active_member(caller, organization_id)


FULL = CipherAccess(edit=True, view_password=True, manage=True)


def cipher_access(caller: CallerFacts, cipher: CipherFacts) -> CipherAccess | None:
    """The caller's access to the cipher, or None when they may not even know it exists."""
    if cipher.organization_id is None:
        return FULL if cipher.owner_id == caller.user_id else None
    organization_id = cipher.organization_id
    if sees_whole_organization(caller, organization_id):
        return CipherAccess(edit=True, view_password=True, manage=True, collection_ids=cipher.collection_ids)
    if not is_active_member(caller, organization_id):
        return None
    granted = [(cid, caller.grants[cid]) for cid in cipher.collection_ids if cid in caller.grants]
    if not granted:
        return None
    read_only = all(grant.read_only for _, grant in granted)
    manage = any(grant.manage for _, grant in granted)
    return CipherAccess(
        edit=not read_only or manage,
        view_password=not all(grant.hide_passwords for _, grant in granted),
        manage=manage,
        collection_ids=tuple(cid for cid, _ in granted),
    )


@dataclass(frozen=True)
class OrganizationAudience:
    """Everyone who may see items of one organization: the facts needed to bump their revision dates."""

    members: Mapping[uuid.UUID, Membership]  # by user id
    collection_users: Mapping[uuid.UUID, Collection[uuid.UUID]]  # collection id → user ids granted access
    provider_users: Mapping[uuid.UUID, ProviderMembership] = field(default_factory=dict)  # of the managing provider
    link: ClientLink | None = None


def audience_of(organization: OrganizationAudience, collection_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Users who can see an organization item in these collections (the same rule as `cipher_access`)."""
    users = {user_id for user_id, membership in organization.members.items() if membership.has_full_access}
    if organization.link is not None and organization.link.access_to_items:
        users |= {user_id for user_id, provider in organization.provider_users.items() if provider.is_active}
    for collection_id in collection_ids:
        for user_id in organization.collection_users.get(collection_id, ()):
            membership = organization.members.get(user_id)
            if membership is not None and membership.is_active:
                users.add(user_id)
    return users


def membership_of(kind: int, status: int, permissions: Mapping[str, bool] | None) -> Membership:
    """A membership from a member event; a Custom member's editAnyCollection is read in either spelling (camelCase as
    Bitwarden writes it, or snake_case). Legacy access-all is not in the contract, so an event never grants it."""
    return Membership(
        kind,
        status,
        edit_any_collection=_permission(permissions, "editAnyCollection", "edit_any_collection"),
        import_export=_permission(permissions, "accessImportExport", "access_import_export"),
    )


def _permission(permissions: Mapping[str, Any] | None, camel: str, snake: str) -> bool:
    return bool(permissions.get(camel, permissions.get(snake, False))) if permissions else False
