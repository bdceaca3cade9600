"""A cipher (an item): who owns it, which collections hold it, and the rules of every change made to it.

The item's text is EncStrings and its type data, fields and password history are opaque JSON: the server keeps
them as JSON text (`*_json`), checked in shape on the way in (`content.py`) and never decoded on the way out.
Each change records its event for the vault's topic; the handler publishes them with the caller as actor.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mspvault.shared.contracts.envelope import EventData
from mspvault.shared.contracts.vault import (
    CipherCreatedV1,
    CipherDeletedV1,
    CipherRestoredV1,
    CipherSharedV1,
    CipherSoftDeletedV1,
    CipherUpdatedV1,
)
from mspvault.vault.domain.access import (
    CallerFacts,
    CipherAccess,
    CipherFacts,
    can_write_collection,
    cipher_access,
    may_use_organization,
    sees_whole_organization,
)
from mspvault.vault.domain.content import CipherContent, CipherInput, parse_client_date
from mspvault.vault.domain.errors import (
    CannotAddToOrganization,
    CipherNotFound,
    CipherNotWritable,
    CollectionNotWritable,
    CollectionsNotChangeable,
    InvalidCollection,
    NotAnOrganizationCipher,
    OrganizationMismatch,
    OrganizationNotFound,
    ShareNeedsOrganization,
    StaleCipher,
)

STALE_AFTER = timedelta(seconds=1)

CipherEvent = (
    type[CipherCreatedV1]
    | type[CipherUpdatedV1]
    | type[CipherSharedV1]
    | type[CipherSoftDeletedV1]
    | type[CipherDeletedV1]
    | type[CipherRestoredV1]
)


@dataclass(slots=True, frozen=True)
class Prefs:
    """One user's own view of an item, not part of it (shared items too): folder, favorite, archive date."""

    folder_id: uuid.UUID | None = None
    favorite: bool = False
    archived_at: datetime | None = None


NO_PREFS = Prefs()


@dataclass(slots=True)
class Cipher:
    id: uuid.UUID
    type: int
    # Exactly one owner: a user (personal item) or an organization.
    user_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    name: str
    notes: str | None
    key: str | None
    reprompt: int
    # The opaque JSON parts stay text on the way out: decoding and re-encoding 15,000 of them would dominate a sync.
    data_json: str
    fields_json: str | None
    password_history_json: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    collection_ids: list[uuid.UUID] = field(default_factory=list)
    events: list[EventData] = field(default_factory=list, compare=False, repr=False)

    # --- creation ----------------------------------------------------------------------------------------------------

    @classmethod
    def create_personal(cls, user_id: uuid.UUID, submitted: CipherInput, now: datetime) -> Cipher:
        cipher = cls._new(submitted.validated(user_id), user_id=user_id, organization_id=None, now=now)
        cipher._record(CipherCreatedV1, now)
        return cipher

    @classmethod
    def create_in_organization(
        cls,
        caller: CallerFacts,
        organization_id: uuid.UUID,
        submitted: CipherInput,
        collection_ids: Sequence[uuid.UUID],
        existing: Collection[uuid.UUID],
        now: datetime,
    ) -> Cipher:
        """Straight into collections the caller may write (`existing`: which of them the organization has); with none,
        only for those who see the whole organization (as Vaultwarden)."""
        content = submitted.validated(caller.user_id)
        if not may_use_organization(caller, organization_id):
            raise OrganizationNotFound()
        wanted = checked_collections(caller, organization_id, collection_ids, existing)
        if not wanted and not sees_whole_organization(caller, organization_id):
            raise CannotAddToOrganization()
        cipher = cls._new(content, user_id=None, organization_id=organization_id, now=now)
        cipher.collection_ids = wanted
        cipher._record(CipherCreatedV1, now)
        return cipher

    @classmethod
    def new(
        cls, content: CipherContent, *, user_id: uuid.UUID | None, organization_id: uuid.UUID | None, now: datetime
    ) -> Cipher:
        """An item made by an import, its content already validated: no event of its own (the import records one
        for the whole batch, `domain/imports.py`)."""
        return cls._new(content, user_id=user_id, organization_id=organization_id, now=now)

    @classmethod
    def _new(
        cls, content: CipherContent, *, user_id: uuid.UUID | None, organization_id: uuid.UUID | None, now: datetime
    ) -> Cipher:
        cipher = cls(
            id=uuid.uuid4(),
            type=int(content.type),
            user_id=user_id,
            organization_id=organization_id,
            name=content.name,
            notes=content.notes,
            key=content.key,
            reprompt=content.reprompt,
            data_json="{}",
            fields_json=None,
            password_history_json=None,
            created_at=now,
            updated_at=now,
            deleted_at=None,
        )
        cipher._set_content(content)
        return cipher

    # --- what a caller may do ----------------------------------------------------------------------------------------

    @property
    def owner_id(self) -> uuid.UUID:
        owner = self.organization_id or self.user_id
        if owner is None:  # the table's check constraint makes this impossible
            raise RuntimeError(f"cipher {self.id} has no owner")
        return owner

    @property
    def facts(self) -> CipherFacts:
        return CipherFacts(self.user_id, self.organization_id, tuple(self.collection_ids))

    def access_of(self, caller: CallerFacts) -> CipherAccess | None:
        """The caller's access, or None when they may not even know the item exists."""
        return cipher_access(caller, self.facts)

    def visible_to(self, caller: CallerFacts) -> CipherAccess:
        """The caller's access; 404 whether the item does not exist for them or is not theirs to see."""
        access = self.access_of(caller)
        if access is None:
            raise CipherNotFound()
        return access

    def writable_by(self, caller: CallerFacts) -> CipherAccess:
        """404 for an item the caller may not see, 400 for one they may only read."""
        access = self.visible_to(caller)
        if not access.can_write:
            raise CipherNotWritable()
        return access

    # --- changes -----------------------------------------------------------------------------------------------------

    def edit(
        self,
        caller: CallerFacts,
        submitted: CipherInput,
        *,
        organization_id: uuid.UUID | None,
        last_known_revision_date: str | None,
        now: datetime,
    ) -> None:
        """New content, refused on a stale copy. A personal item may move into an organization here only for those
        who see the whole organization (as Vaultwarden); an organization item never leaves its organization."""
        self.writable_by(caller)
        check_not_stale(self.updated_at, last_known_revision_date)
        target = self.organization_id
        if self.organization_id is not None and organization_id != self.organization_id:
            raise OrganizationMismatch()
        if self.organization_id is None and organization_id is not None:
            if not sees_whole_organization(caller, organization_id):
                raise CannotAddToOrganization()
            target = organization_id
        content = submitted.validated(caller.user_id)
        moved_in = self.organization_id is None and target is not None
        self._set_content(content)
        if moved_in:
            self.user_id, self.organization_id = None, target
        self.updated_at = now
        self._record(CipherSharedV1 if moved_in else CipherUpdatedV1, now)

    def share(
        self,
        caller: CallerFacts,
        submitted: CipherInput,
        *,
        organization_id: uuid.UUID | None,
        collection_ids: Sequence[uuid.UUID],
        existing: Collection[uuid.UUID],
        last_known_revision_date: str | None,
        now: datetime,
    ) -> None:
        """Move the caller's personal item (re-encrypted with the org key) into collections of an organization that
        the caller may write; never into a different organization."""
        self.writable_by(caller)
        if organization_id is None:
            raise ShareNeedsOrganization()
        if self.organization_id is not None and self.organization_id != organization_id:
            raise OrganizationMismatch()
        if not may_use_organization(caller, organization_id):
            raise OrganizationNotFound()
        check_not_stale(self.updated_at, last_known_revision_date)
        wanted = checked_collections(caller, organization_id, collection_ids, existing)
        if not wanted and not sees_whole_organization(caller, organization_id):
            raise CannotAddToOrganization()
        content = submitted.validated(caller.user_id)
        was_personal = self.organization_id is None
        self._set_content(content)
        self.user_id, self.organization_id = None, organization_id
        self.collection_ids = list(dict.fromkeys([*self.collection_ids, *wanted]))
        self.updated_at = now
        self._record(CipherSharedV1 if was_personal else CipherUpdatedV1, now)

    def change_collections(
        self,
        caller: CallerFacts,
        collection_ids: Collection[uuid.UUID],
        existing: Collection[uuid.UUID],
        now: datetime,
    ) -> None:
        """Add and remove the collections the caller can write; the others stay (Vaultwarden's rule)."""
        access = self.visible_to(caller)
        if not access.can_change_collections:
            raise CollectionsNotChangeable()
        organization_id = self.organization_id
        if organization_id is None:
            raise NotAnOrganizationCipher()
        posted = set(collection_ids)
        current = {cid for cid in access.collection_ids if can_write_collection(caller, organization_id, cid)}
        checked_collections(caller, organization_id, sorted(posted ^ current), existing)
        removed = current - posted
        kept = [cid for cid in self.collection_ids if cid not in removed]
        self.collection_ids = kept + sorted(cid for cid in posted - current if cid not in kept)
        self.updated_at = now
        self._record(CipherUpdatedV1, now)

    def trash(self, now: datetime) -> None:
        self.deleted_at = self.updated_at = now
        self._record(CipherSoftDeletedV1, now)

    def restore(self, now: datetime) -> None:
        self.deleted_at, self.updated_at = None, now
        self._record(CipherRestoredV1, now)

    def delete(self, now: datetime) -> None:
        self._record(CipherDeletedV1, now)

    # --- helpers -----------------------------------------------------------------------------------------------------

    def _set_content(self, content: CipherContent) -> None:
        self.type = int(content.type)
        self.name, self.notes, self.key, self.reprompt = content.name, content.notes, content.key, content.reprompt
        self.data_json = json.dumps(content.data)
        self.fields_json = None if content.fields is None else json.dumps(content.fields)
        self.password_history_json = None if content.password_history is None else json.dumps(content.password_history)

    def _record(self, event: CipherEvent, now: datetime) -> None:
        self.events.append(
            event(
                owner_id=self.owner_id,
                cipher_id=self.id,
                organization_id=self.organization_id,
                user_id=self.user_id,
                collection_ids=sorted(self.collection_ids),
                revision_date=now,
            )
        )


@dataclass(slots=True, frozen=True)
class CipherView:
    """One cipher as one caller sees it: the stored item, their access, their own folder/favorite."""

    cipher: Cipher
    access: CipherAccess
    prefs: Prefs


def organizations_of(ciphers: Iterable[Cipher], *also: uuid.UUID | None) -> set[uuid.UUID]:
    """The organizations of these ciphers and `also` (where a command moves them): the only ones whose facts the
    access rule reads for them (none for personal items)."""
    return {org for org in (*(cipher.organization_id for cipher in ciphers), *also) if org is not None}


def checked_collections(
    caller: CallerFacts,
    organization_id: uuid.UUID,
    collection_ids: Sequence[uuid.UUID],
    existing: Collection[uuid.UUID],
) -> list[uuid.UUID]:
    """The requested collections, each one the organization has (`existing`) and the caller may write."""
    wanted = list(dict.fromkeys(collection_ids))
    if any(cid not in existing for cid in wanted):
        raise InvalidCollection()
    if not all(can_write_collection(caller, organization_id, cid) for cid in wanted):
        raise CollectionNotWritable()
    return wanted


def check_not_stale(stored_revision: datetime, last_known_revision: str | None) -> None:
    """Refuse an edit made on a copy older than the stored one by more than a second (a lost update otherwise).

    No date, or one that does not parse, is not an error: older clients and some operations send none.
    """
    last_known = parse_client_date(last_known_revision)
    if last_known is not None and stored_revision - last_known > STALE_AFTER:
        raise StaleCipher()
