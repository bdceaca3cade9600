"""In-memory fakes of the vault's ports, for handler unit tests (no database, no broker).

The store hands out copies and keeps what `add_*`/`save_*` are given, as the tables would; what the read models
say about a caller (`CallerFacts`) and an organization's audience are set directly by each test.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Unpack

from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.clock import FixedClock
from mspvault.shared.contracts.organization import MemberAccess
from mspvault.shared.testing.fakes import FakeUnitOfWork
from mspvault.shared.testing.samples import enc_string
from mspvault.vault.domain.access import (
    CallerFacts,
    ClientLink,
    CollectionGrant,
    Membership,
    OrganizationAudience,
    ProviderMembership,
)
from mspvault.vault.domain.cipher import Cipher, Prefs
from mspvault.vault.domain.content import CipherInput
from mspvault.vault.domain.folder import Folder
from mspvault.vault.domain.imports import ImportBatch
from mspvault.vault.service_layer.commands import CipherFields
from mspvault.vault.service_layer.ports import MemberFacts, PrefsChange, ProviderUserFacts, VaultWork

NOW = datetime(2026, 11, 29, 3, 52, 26, 109464, tzinfo=UTC)
OWNER, ADMIN, USER, CUSTOM = 0, 1, 2, 4
CONFIRMED = 2


def login(**changes: object) -> CipherFields:
    """A login item as a client sends it; `changes` go to `CipherFields`, or to the content when named so."""
    content_fields = {"type", "name", "notes", "encrypted_for", "type_data"}
    content = CipherInput(
        **{
            "type": 1,
            "name": enc_string(),
            "type_data": {"login": {"username": enc_string(), "uris": [{"uri": enc_string(), "match": None}]}},
            **{k: v for k, v in changes.items() if k in content_fields},
        }  # type: ignore[arg-type]
    )
    return CipherFields(content=content, **{k: v for k, v in changes.items() if k not in content_fields})  # type: ignore[arg-type]


def _copy(cipher: Cipher) -> Cipher:
    return replace(cipher, collection_ids=list(cipher.collection_ids), events=[])


@dataclass
class FakeVaultStore:
    facts: dict[uuid.UUID, CallerFacts] = field(default_factory=dict)
    audiences: dict[uuid.UUID, OrganizationAudience] = field(default_factory=dict)
    collections: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)  # organization id → collection ids
    stored: dict[uuid.UUID, Cipher] = field(default_factory=dict)
    user_prefs: dict[tuple[uuid.UUID, uuid.UUID], Prefs] = field(default_factory=dict)  # (user, cipher)
    folders: dict[uuid.UUID, Folder] = field(default_factory=dict)
    revisions: dict[uuid.UUID, datetime] = field(default_factory=dict)
    locked: list[uuid.UUID] = field(default_factory=list)
    facts_asked: list[set[uuid.UUID]] = field(default_factory=list)  # the organizations of each `caller_facts`

    # ---- facts --------------------------------------------------------------------------------------------------
    async def caller_facts(self, user_id: uuid.UUID, organizations: Iterable[uuid.UUID]) -> CallerFacts:
        """The facts set for the caller, narrowed to these organizations as the SQL store narrows them, so a handler
        that asks for the wrong ones is refused here too (grants stay: without a membership they grant nothing)."""
        facts = self.facts.get(user_id, CallerFacts(user_id))
        scope = set(organizations)
        self.facts_asked.append(scope)
        return replace(
            facts,
            memberships={org: m for org, m in facts.memberships.items() if org in scope},
            client_links={org: link for org, link in facts.client_links.items() if org in scope},
            disabled_orgs=facts.disabled_orgs & scope,
        )

    async def organization_audience(
        self, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID] = ()
    ) -> OrganizationAudience:
        return self.audiences.get(organization_id, OrganizationAudience(members={}, collection_users={}))

    async def collections_of_org(
        self, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]
    ) -> set[uuid.UUID]:
        return set(collection_ids) & self.collections.get(organization_id, set())

    # ---- ciphers ------------------------------------------------------------------------------------------------
    async def ciphers(self, ids: Sequence[uuid.UUID], *, lock: bool = False) -> list[Cipher]:
        if lock:
            self.locked.extend(ids)
        return [_copy(self.stored[cid]) for cid in sorted(set(ids)) if cid in self.stored]

    async def add_cipher(self, cipher: Cipher) -> None:
        assert cipher.id not in self.stored
        self.stored[cipher.id] = _copy(cipher)

    async def save_cipher(self, cipher: Cipher) -> None:
        assert cipher.id in self.stored
        self.stored[cipher.id] = _copy(cipher)

    async def save_trash_state(self, ciphers: Sequence[Cipher]) -> None:
        for cipher in ciphers:
            self.stored[cipher.id].deleted_at = cipher.deleted_at
            self.stored[cipher.id].updated_at = cipher.updated_at

    async def delete_ciphers(self, ids: Sequence[uuid.UUID]) -> None:
        for cipher_id in ids:
            self.stored.pop(cipher_id, None)
        self.user_prefs = {key: prefs for key, prefs in self.user_prefs.items() if key[1] not in ids}

    async def add_import(self, user_id: uuid.UUID, batch: ImportBatch) -> None:
        for folder in batch.folders:
            await self.add_folder(folder)
        for cipher in batch.ciphers:
            await self.add_cipher(cipher)
            if cipher.id in batch.folder_of or cipher.id in batch.favorites:
                self.user_prefs[(user_id, cipher.id)] = Prefs(
                    batch.folder_of.get(cipher.id), cipher.id in batch.favorites
                )

    async def know_collections(self, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]) -> None:
        self.collections.setdefault(organization_id, set()).update(collection_ids)

    # ---- prefs --------------------------------------------------------------------------------------------------
    async def prefs(self, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Prefs]:
        return {cid: self.user_prefs[(user_id, cid)] for cid in cipher_ids if (user_id, cid) in self.user_prefs}

    async def save_prefs(self, user_id: uuid.UUID, cipher_id: uuid.UUID, **prefs: Unpack[PrefsChange]) -> None:
        current = self.user_prefs.get((user_id, cipher_id), Prefs())
        favorite, archived_at = prefs["favorite"], prefs["archived_at"]
        self.user_prefs[(user_id, cipher_id)] = Prefs(
            prefs["folder_id"],
            current.favorite if favorite is None else favorite,
            current.archived_at if archived_at is None else archived_at,
        )

    async def move_to_folder(
        self, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID], folder_id: uuid.UUID | None
    ) -> None:
        for cid in cipher_ids:
            self.user_prefs[(user_id, cid)] = replace(self.user_prefs.get((user_id, cid), Prefs()), folder_id=folder_id)

    # ---- folders ------------------------------------------------------------------------------------------------
    async def folder(self, user_id: uuid.UUID, folder_id: uuid.UUID) -> Folder | None:
        folder = self.folders.get(folder_id)
        return replace(folder, events=[]) if folder is not None and folder.user_id == user_id else None

    async def folder_ids(self, user_id: uuid.UUID) -> set[uuid.UUID]:
        return {fid for fid, folder in self.folders.items() if folder.user_id == user_id}

    async def add_folder(self, folder: Folder) -> None:
        self.folders[folder.id] = replace(folder, events=[])

    async def save_folder(self, folder: Folder) -> None:
        self.folders[folder.id] = replace(folder, events=[])

    async def delete_folder(self, folder: Folder) -> None:
        del self.folders[folder.id]
        for key, prefs in list(self.user_prefs.items()):
            if prefs.folder_id == folder.id:
                self.user_prefs[key] = replace(prefs, folder_id=None)

    # ---- revisions ----------------------------------------------------------------------------------------------
    async def bump_revisions(self, user_ids: Iterable[uuid.UUID], now: datetime) -> None:
        for user_id in user_ids:
            self.revisions[user_id] = max(now, self.revisions.get(user_id, now))


@dataclass
class FakeAuditLog:
    entries: list[AuditEntry] = field(default_factory=list)

    async def add(self, entry: AuditEntry) -> None:
        assert entry.id not in {known.id for known in self.entries}  # the table keys entries by envelope id
        self.entries.append(entry)


@dataclass
class Member:
    organization_id: uuid.UUID
    user_id: uuid.UUID | None
    membership: Membership
    permissions: dict[str, bool] | None


@dataclass
class FakeReadModels:
    users: dict[uuid.UUID, dict[str, object]] = field(default_factory=dict)
    organizations: dict[uuid.UUID, bool] = field(default_factory=dict)  # id → enabled
    members: dict[uuid.UUID, Member] = field(default_factory=dict)
    collection_access: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)  # collection → users
    collections: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # collection → organization
    deleted_collections: set[uuid.UUID] = field(default_factory=set)  # tombstones
    provider_users: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID | None]] = field(default_factory=dict)
    links: dict[uuid.UUID, tuple[uuid.UUID, bool, datetime]] = field(default_factory=dict)  # org → provider, linked
    provider_access: dict[uuid.UUID, bool] = field(default_factory=dict)  # org → provider access to items
    security_stamps: dict[uuid.UUID, tuple[str, datetime]] = field(default_factory=dict)
    owned: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)  # owner (user or org) → cipher ids
    as_of: dict[uuid.UUID, datetime] = field(default_factory=dict)  # member or collection → its newest event

    async def register_user(self, user_id: uuid.UUID, *, email: str, name: str | None, public_key: str | None) -> None:
        self.users[user_id] = {**self.users.get(user_id, {}), "email": email, "name": name, "public_key": public_key}

    async def save_user(self, user_id: uuid.UUID, *, email: str, name: str | None) -> None:
        self.users[user_id] = {"public_key": None, **self.users.get(user_id, {}), "email": email, "name": name}

    async def set_user_key(self, user_id: uuid.UUID, public_key: str) -> None:
        if user_id in self.users:
            self.users[user_id]["public_key"] = public_key

    async def delete_user(self, user_id: uuid.UUID) -> list[uuid.UUID]:
        self.users.pop(user_id, None)
        return self.owned.pop(user_id, [])

    async def save_organization(self, organization_id: uuid.UUID, *, name: str, enabled: bool) -> bool | None:
        previous = self.organizations.get(organization_id)
        self.organizations[organization_id] = enabled
        return previous

    async def know_organization(self, organization_id: uuid.UUID, name: str) -> None:
        self.organizations.setdefault(organization_id, True)

    async def delete_organization(self, organization_id: uuid.UUID) -> list[uuid.UUID]:
        self.organizations.pop(organization_id, None)
        self.members = {k: m for k, m in self.members.items() if m.organization_id != organization_id}
        return self.owned.pop(organization_id, [])

    async def everyone_in_org(self, organization_id: uuid.UUID) -> set[uuid.UUID]:
        users = {m.user_id for m in self.members.values() if m.organization_id == organization_id and m.user_id}
        for collection_id, org_id in self.collections.items():
            if org_id == organization_id:
                users |= self.collection_access.get(collection_id, set())
        return users

    async def save_member(self, member_id: uuid.UUID, **member: Unpack[MemberFacts]) -> uuid.UUID | None:
        as_of = member["as_of"]
        if self.as_of.get(member_id, as_of) > as_of:
            return None
        self.as_of[member_id] = as_of
        known = self.members.get(member_id)
        user_id = member["user_id"] or (known.user_id if known else None)
        self.members[member_id] = Member(
            member["organization_id"], user_id, member["membership"], member["permissions"]
        )
        return user_id

    async def delete_member(
        self, member_id: uuid.UUID, *, organization_id: uuid.UUID, member_type: int, as_of: datetime
    ) -> uuid.UUID | None:
        known = self.members.get(member_id)
        if self.as_of.get(member_id, as_of) <= as_of:
            self.as_of[member_id] = as_of
            self.members[member_id] = Member(organization_id, None, Membership(member_type, -1), None)
        return known.user_id if known else None

    async def save_collection(self, collection_id: uuid.UUID, organization_id: uuid.UUID) -> None:
        if collection_id not in self.deleted_collections:
            self.collections.setdefault(collection_id, organization_id)

    async def delete_collection(self, collection_id: uuid.UUID, organization_id: uuid.UUID, as_of: datetime) -> None:
        self.collections.pop(collection_id, None)
        self.collection_access.pop(collection_id, None)
        self.deleted_collections.add(collection_id)

    async def replace_collection_access(
        self, collection_id: uuid.UUID, organization_id: uuid.UUID, access: Sequence[MemberAccess], as_of: datetime
    ) -> set[uuid.UUID] | None:
        if self.as_of.get(collection_id, as_of) > as_of or collection_id in self.deleted_collections:
            return None
        self.as_of[collection_id] = as_of
        before = self.collection_access.get(collection_id, set())
        self.collection_access[collection_id] = {entry.user_id for entry in access}
        return before

    async def save_provider_user(
        self, provider_user_id: uuid.UUID, **provider_user: Unpack[ProviderUserFacts]
    ) -> uuid.UUID | None:
        known = self.provider_users.get(provider_user_id)
        user_id = provider_user["user_id"] or (known[1] if known else None)
        self.provider_users[provider_user_id] = (provider_user["provider_id"], user_id)
        return user_id

    async def delete_provider_user(
        self, provider_user_id: uuid.UUID, *, provider_id: uuid.UUID, as_of: datetime
    ) -> uuid.UUID | None:
        removed = self.provider_users.pop(provider_user_id, None)
        return removed[1] if removed else None

    async def link_client(
        self, organization_id: uuid.UUID, provider_id: uuid.UUID, *, linked: bool, as_of: datetime
    ) -> None:
        known = self.links.get(organization_id)
        if known is None or (known[2] <= as_of and (known[0] == provider_id or linked)):
            self.links[organization_id] = (provider_id, linked, as_of)

    async def set_provider_access(self, organization_id: uuid.UUID, provider_id: uuid.UUID, allowed: bool) -> bool:
        link = self.links.get(organization_id)
        if link is None or link[0] != provider_id or self.provider_access.get(organization_id, True) == allowed:
            return False
        self.provider_access[organization_id] = allowed
        return True

    async def provider_accounts(self, provider_id: uuid.UUID) -> Collection[uuid.UUID]:
        return {user for provider, user in self.provider_users.values() if provider == provider_id and user}


@dataclass
class FakeVaultWorld:
    """One `VaultWork` over fakes, and the fakes themselves for assertions."""

    store: FakeVaultStore = field(default_factory=FakeVaultStore)
    read_models: FakeReadModels = field(default_factory=FakeReadModels)
    audit: FakeAuditLog = field(default_factory=FakeAuditLog)
    uow: FakeUnitOfWork = field(default_factory=FakeUnitOfWork)
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))

    def work(self) -> VaultWork:
        return VaultWork(
            uow=self.uow, store=self.store, read_models=self.read_models, audit=self.audit, clock=self.clock
        )

    def member_of(
        self,
        user_id: uuid.UUID,
        organization_id: uuid.UUID,
        kind: int = USER,
        grants: dict[uuid.UUID, CollectionGrant] | None = None,
    ) -> CallerFacts:
        """Make the user a confirmed member (with these collection grants); returns their facts."""
        facts = self.store.facts.get(user_id, CallerFacts(user_id))
        facts = replace(
            facts,
            memberships={**facts.memberships, organization_id: Membership(kind, CONFIRMED)},
            grants={**facts.grants, **(grants or {})},
        )
        self.store.facts[user_id] = facts
        return facts

    def provider_user_of(self, user_id: uuid.UUID, provider_id: uuid.UUID, client_id: uuid.UUID) -> CallerFacts:
        facts = replace(
            self.store.facts.get(user_id, CallerFacts(user_id)),
            providers={provider_id: ProviderMembership(confirmed=True)},
            client_links={client_id: ClientLink(provider_id)},
        )
        self.store.facts[user_id] = facts
        return facts

    def organization(self, *collections: uuid.UUID) -> uuid.UUID:
        organization_id = uuid.uuid4()
        self.store.collections[organization_id] = set(collections)
        return organization_id

    def revised(self) -> set[uuid.UUID]:
        return set(self.store.revisions)
