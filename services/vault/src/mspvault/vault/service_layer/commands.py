"""What a caller asks the vault to do, one frozen dataclass per write use case; the entrypoints build them from
requests, the handlers take them. (Item content is the domain's `CipherInput`, checked by the domain.)"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mspvault.vault.domain.content import CipherInput
from mspvault.vault.domain.imports import FolderEntry, ImportEntry


@dataclass(frozen=True)
class CipherFields:
    """A cipher as a client sends it for create, update or share: the item itself and the caller's own view of it."""

    content: CipherInput
    folder_id: uuid.UUID | None = None
    favorite: bool | None = None
    organization_id: uuid.UUID | None = None
    last_known_revision_date: str | None = None
    archived_date: str | None = None


@dataclass(frozen=True)
class CreateCipher:
    """`POST /api/ciphers`: a personal item (with an organization id, see `CreateOrganizationCipher`)."""

    cipher: CipherFields


@dataclass(frozen=True)
class CreateOrganizationCipher:
    """`POST /api/ciphers/create`: straight into an organization's collections (personal, when no organization)."""

    cipher: CipherFields
    collection_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class UpdateCipher:
    cipher_id: uuid.UUID
    cipher: CipherFields


@dataclass(frozen=True)
class SetCipherPrefs:
    """`PUT /api/ciphers/{id}/partial`: the caller's own folder and favorite."""

    cipher_id: uuid.UUID
    folder_id: uuid.UUID | None
    favorite: bool


@dataclass(frozen=True)
class ChangeCipherCollections:
    cipher_id: uuid.UUID
    collection_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class ShareCipher:
    cipher_id: uuid.UUID
    cipher: CipherFields
    collection_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class SomeCiphers:
    """Items by id: the bulk routes' list, or the one item of a single-item route."""

    cipher_ids: tuple[uuid.UUID, ...]


class TrashCiphers(SomeCiphers):
    """Into the trash, whence they can be restored."""


class RestoreCiphers(SomeCiphers):
    """Out of the trash."""


class DeleteCiphers(SomeCiphers):
    """Permanently."""


@dataclass(frozen=True)
class MoveCiphers(SomeCiphers):
    folder_id: uuid.UUID | None


@dataclass(frozen=True)
class CreateFolder:
    name: str


@dataclass(frozen=True)
class RenameFolder:
    folder_id: uuid.UUID
    name: str


@dataclass(frozen=True)
class DeleteFolder:
    folder_id: uuid.UUID


@dataclass(frozen=True)
class ImportCiphers:
    """`POST /api/ciphers/import`: items into the caller's own vault, with their folders."""

    ciphers: tuple[ImportEntry, ...]
    folders: tuple[FolderEntry, ...] = ()
    folder_relationships: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ImportOrganizationCiphers:
    """`POST /api/ciphers/import-organization`: items into an organization's collections.

    `collection_ids[i]` is the request's collection i (None: a new one). `confirmed`: the organization service has
    just created or confirmed these for this import (the gateway asked it first), so they count as the
    organization's even before its events reach our read model. `check_only`: validate and authorize, write nothing
    (new collections stand in as placeholders)."""

    organization_id: uuid.UUID
    ciphers: tuple[ImportEntry, ...]
    collection_ids: tuple[uuid.UUID | None, ...] = ()
    collection_relationships: tuple[tuple[int, int], ...] = ()
    folders: tuple[FolderEntry, ...] = ()
    folder_relationships: tuple[tuple[int, int], ...] = ()
    confirmed: frozenset[uuid.UUID] = frozenset()
    check_only: bool = False
