"""What the handlers need from the outside world, as protocols; adapters implement them, tests fake them."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypedDict, Unpack

from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.clock import Clock
from mspvault.shared.contracts.envelope import Actor, Envelope, EventData
from mspvault.shared.contracts.organization import MemberAccess
from mspvault.shared.db.users_read_model import UsersReadModel
from mspvault.vault.domain.access import CallerFacts, Membership, OrganizationAudience
from mspvault.vault.domain.cipher import Cipher, Prefs
from mspvault.vault.domain.folder import Folder
from mspvault.vault.domain.imports import ImportBatch


class PrefsChange(TypedDict):
    """A user's own view of an item (`VaultStore.save_prefs`): the folder always (None: no folder), favorite and
    archive date only when not None."""

    folder_id: uuid.UUID | None
    favorite: bool | None
    archived_at: datetime | None


class MemberFacts(TypedDict):
    """What an organization's event says of one of its members (`ReadModels.save_member`)."""

    organization_id: uuid.UUID
    user_id: uuid.UUID | None  # None for an invite: no account yet
    membership: Membership
    permissions: dict[str, bool] | None
    as_of: datetime  # when the organization recorded the event


class ProviderUserFacts(TypedDict):
    """What a provider's event says of one of its users (`ReadModels.save_provider_user`); None: the event does
    not say."""

    provider_id: uuid.UUID
    user_id: uuid.UUID | None
    confirmed: bool | None
    revoked: bool | None
    as_of: datetime  # when the provider recorded the event


class Transaction(Protocol):
    """The unit of work as handlers use it: events go out with the commit (outbox), nothing commits by itself."""

    def publish(self, event: EventData, *, actor: Actor | None = None) -> Envelope: ...

    async def commit(self) -> None: ...

    def moment(self, clock: Clock) -> datetime:
        """The transaction's one moment (`clock()` when first asked)."""
        ...


class VaultStore(Protocol):
    """The vault's own tables (ciphers, folders, per-user prefs, revision dates) and the facts its rules read from
    the read models."""

    # ---- facts from the read models ----------------------------------------------------------------------------
    async def caller_facts(self, user_id: uuid.UUID, organizations: Iterable[uuid.UUID]) -> CallerFacts:
        """What the access rule needs to know of the caller in these organizations (the ones a command touches);
        nothing of any other, so the rules refuse those. No organization: personal items only, nothing to read."""
        ...

    async def organization_audience(
        self, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID] = ()
    ) -> OrganizationAudience: ...

    async def collections_of_org(
        self, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]
    ) -> set[uuid.UUID]:
        """Which of these collections exist in this organization."""
        ...

    # ---- ciphers ---------------------------------------------------------------------------------------------
    async def ciphers(self, ids: Sequence[uuid.UUID], *, lock: bool = False) -> list[Cipher]:
        """The ciphers with these ids (unknown ids are absent), with their collections; `lock` serializes edits of
        one item, so the stale-copy check cannot be raced."""
        ...

    async def add_cipher(self, cipher: Cipher) -> None: ...

    async def save_cipher(self, cipher: Cipher) -> None:
        """Content, owner, dates and collections."""
        ...

    async def save_trash_state(self, ciphers: Sequence[Cipher]) -> None:
        """Only the deletion and revision dates of these ciphers (trash and restore, in bulk)."""
        ...

    async def delete_ciphers(self, ids: Sequence[uuid.UUID]) -> None:
        """Their prefs and collection links go with them."""
        ...

    async def add_import(self, user_id: uuid.UUID, batch: ImportBatch) -> None:
        """An import's items with their collection links, the importer's new folders and their prefs, in bulk."""
        ...

    async def know_collections(self, organization_id: uuid.UUID, collection_ids: Iterable[uuid.UUID]) -> None:
        """Record collections the organization service has just created for an import, ahead of their events
        (a no-op for those already known)."""
        ...

    # ---- per-user prefs ------------------------------------------------------------------------------------
    async def prefs(self, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Prefs]: ...

    async def save_prefs(self, user_id: uuid.UUID, cipher_id: uuid.UUID, **prefs: Unpack[PrefsChange]) -> None:
        """Set the user's folder (None = no folder); favorite and archive date only when given."""
        ...

    async def move_to_folder(
        self, user_id: uuid.UUID, cipher_ids: Sequence[uuid.UUID], folder_id: uuid.UUID | None
    ) -> None: ...

    # ---- folders -------------------------------------------------------------------------------------------
    async def folder(self, user_id: uuid.UUID, folder_id: uuid.UUID) -> Folder | None:
        """The user's folder, or None (also when it is someone else's)."""
        ...

    async def folder_ids(self, user_id: uuid.UUID) -> set[uuid.UUID]: ...

    async def add_folder(self, folder: Folder) -> None: ...

    async def save_folder(self, folder: Folder) -> None: ...

    async def delete_folder(self, folder: Folder) -> None:
        """Items in it lose their folder and stay."""
        ...

    # ---- revision dates ------------------------------------------------------------------------------------
    async def bump_revisions(self, user_ids: Iterable[uuid.UUID], now: datetime) -> None:
        """Record that what these users see changed at `now` (never moving a date backwards)."""
        ...


class ReadModels(UsersReadModel, Protocol):
    """The vault's copies of other services' data, written only by their events (projections.py)."""

    async def delete_user(self, user_id: uuid.UUID) -> list[uuid.UUID]:
        """The user, their personal items, folders and prefs; returns the ids of the items deleted."""
        ...

    async def save_organization(self, organization_id: uuid.UUID, *, name: str, enabled: bool) -> bool | None:
        """Upsert; returns whether it was enabled before (None when it was not known)."""
        ...

    async def know_organization(self, organization_id: uuid.UUID, name: str) -> None:
        """Record an organization unless it is known already."""
        ...

    async def delete_organization(self, organization_id: uuid.UUID) -> list[uuid.UUID]:
        """The organization, its items, collections and memberships; its client link becomes unlinked. Returns the
        ids of the items deleted."""
        ...

    async def everyone_in_org(self, organization_id: uuid.UUID) -> set[uuid.UUID]:
        """Members (any status), collection users and provider users: everyone an org-wide change touches."""
        ...

    async def save_member(self, member_id: uuid.UUID, **member: Unpack[MemberFacts]) -> uuid.UUID | None:
        """Upsert (an absent user id never erases a known one) unless the row reflects a newer event (issue 11 #5);
        returns the member's user id (None when skipped)."""
        ...

    async def delete_member(
        self, member_id: uuid.UUID, *, organization_id: uuid.UUID, member_type: int, as_of: datetime
    ) -> uuid.UUID | None:
        """Ends the membership for good (older events replayed later do not restore it); returns its user id."""
        ...

    async def save_collection(self, collection_id: uuid.UUID, organization_id: uuid.UUID) -> None: ...

    async def delete_collection(self, collection_id: uuid.UUID, organization_id: uuid.UUID, as_of: datetime) -> None:
        """Its item links and its access list; the items stay in the organization. The collection stays as a
        tombstone: a Created or an access list replayed later changes nothing (issue 11 #5)."""
        ...

    async def replace_collection_access(
        self, collection_id: uuid.UUID, organization_id: uuid.UUID, access: Sequence[MemberAccess], as_of: datetime
    ) -> set[uuid.UUID] | None:
        """Replace the collection's user list; returns the users who were on it before, or None when the list we
        hold is newer than `as_of` or the collection was deleted (nothing changed)."""
        ...

    async def save_provider_user(
        self, provider_user_id: uuid.UUID, **provider_user: Unpack[ProviderUserFacts]
    ) -> uuid.UUID | None:
        """Upsert; `user_id`, `confirmed` and `revoked` change only when given. Returns the user id. `as_of`: when
        the provider recorded the event; a row reflecting a newer one is left as it is (issue 11 #5)."""
        ...

    async def delete_provider_user(
        self, provider_user_id: uuid.UUID, *, provider_id: uuid.UUID, as_of: datetime
    ) -> uuid.UUID | None:
        """Ends the access for good (older events replayed later do not restore it); returns the account it had."""
        ...

    async def link_client(
        self, organization_id: uuid.UUID, provider_id: uuid.UUID, *, linked: bool, as_of: datetime
    ) -> None:
        """Record a provider link (or unlink) unless newer news about this organization was recorded already."""
        ...

    async def set_provider_access(self, organization_id: uuid.UUID, provider_id: uuid.UUID, allowed: bool) -> bool:
        """Set the item-access flag of this provider's link; True if it changed."""
        ...

    async def provider_accounts(self, provider_id: uuid.UUID) -> Collection[uuid.UUID]:
        """The accounts of the provider's users, whatever their status."""
        ...


class VaultAuditLog(Protocol):
    """The item event log's table (Bitwarden events)."""

    async def add(self, entry: AuditEntry) -> None:
        """Insert once (keyed by the envelope id), in the inbox transaction of the event."""
        ...


@dataclass
class VaultWork:
    """Everything one command or one event needs: the transaction, the stores bound to it, the clock."""

    uow: Transaction
    store: VaultStore
    read_models: ReadModels
    audit: VaultAuditLog
    clock: Clock
