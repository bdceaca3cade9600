"""An import: many items (and the importer's folders, or an organization's collections) created at once.

The rules are those of creating one item, applied to each entry, plus the batch's own: a bounded size (Bitwarden's
limits), relationships that point at entries of the same request, and who may import into an organization. A bad
entry refuses the whole import with a 400 that names it (`Ciphers[12].name`, the key the official clients turn into
"[13] [Login] "name": …"). Nothing is half-imported. One `CiphersImportedV1` records the batch; the items record no
event of their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from mspvault.shared.contracts.envelope import EventData
from mspvault.shared.contracts.vault import CiphersImportedV1
from mspvault.shared.errors import DomainError
from mspvault.vault.domain.access import CallerFacts, can_write_collection, may_import_into, may_use_organization
from mspvault.vault.domain.cipher import Cipher
from mspvault.vault.domain.content import CipherInput
from mspvault.vault.domain.errors import OrganizationNotFound
from mspvault.vault.domain.folder import Folder


@dataclass(frozen=True)
class ImportLimits:
    ciphers: int
    containers: int  # folders, or collections
    relationships: int


# Bitwarden's cloud limits (ImportCiphersController: 7,000 items and 2,000 folders for a personal vault; the
# organization defaults of `ImportCiphersLimitation`: 40,000 items, 2,000 collections, 80,000 relationships).
PERSONAL_LIMITS = ImportLimits(ciphers=7_000, containers=2_000, relationships=7_000)
ORGANIZATION_LIMITS = ImportLimits(ciphers=40_000, containers=2_000, relationships=80_000)


class ImportTooLarge(DomainError):
    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"You cannot import this much data at once (at most {limit:,} {what}).")


class NothingToImport(DomainError, message="There is nothing to import."): ...


class InvalidImportEntry(DomainError):
    """One entry of the request is malformed: the message and the field both name it."""

    def __init__(self, kind: str, index: int, problem: DomainError | str, field: str | None = None) -> None:
        message = problem.message if isinstance(problem, DomainError) else problem
        inner = field or (problem.field if isinstance(problem, DomainError) else None)
        key = f"{kind}[{index}]" + (f".{inner}" if inner else "")
        super().__init__(f"{key}: {message}", field=key)


class InvalidRelationship(DomainError):
    """A relationship points outside the request. No field: the clients then print the message as it is."""

    def __init__(self, kind: str, index: int, reason: str) -> None:
        super().__init__(f"{kind}[{index}] {reason}.")


@dataclass(frozen=True)
class ImportEntry:
    """One item of an import as the client sent it: its content and the importer's favorite flag."""

    content: CipherInput
    favorite: bool = False


@dataclass(frozen=True)
class FolderEntry:
    """A folder of the import file: an EncString name, and the id of one of the importer's folders to reuse."""

    name: str
    id: uuid.UUID | None = None


@dataclass
class ImportBatch:
    """What an import creates: items, the importer's new folders and their own view of each item."""

    ciphers: list[Cipher]
    folders: list[Folder]
    folder_of: dict[uuid.UUID, uuid.UUID]  # cipher id → the importer's folder
    favorites: set[uuid.UUID]
    events: list[EventData] = field(default_factory=list)


def check_size(limits: ImportLimits, *, ciphers: int, containers: int, relationships: int, container_kind: str) -> None:
    if ciphers > limits.ciphers:
        raise ImportTooLarge("items", limits.ciphers)
    if containers > limits.containers:
        raise ImportTooLarge(container_kind, limits.containers)
    if relationships > limits.relationships:
        raise ImportTooLarge("relationships", limits.relationships)
    if ciphers == 0 and containers == 0:
        raise NothingToImport()


def checked_relationships(
    kind: str, relationships: Sequence[tuple[int, int]], ciphers: int, containers: int
) -> list[tuple[int, int]]:
    """(item index, folder or collection index) pairs, each within the request."""
    for index, (cipher_index, container_index) in enumerate(relationships):
        if not 0 <= cipher_index < ciphers:
            raise InvalidRelationship(kind, index, f"names item {cipher_index}, which is not in the request")
        if not 0 <= container_index < containers:
            raise InvalidRelationship(kind, index, f"names entry {container_index}, which is not in the request")
    return list(relationships)


def _items(
    entries: Sequence[ImportEntry],
    importer: uuid.UUID,
    *,
    owner_user: uuid.UUID | None,
    organization_id: uuid.UUID | None,
    now: datetime,
) -> list[Cipher]:
    ciphers = []
    for index, entry in enumerate(entries):
        try:
            content = entry.content.validated(importer)
        except DomainError as problem:
            raise InvalidImportEntry("Ciphers", index, problem) from problem
        ciphers.append(Cipher.new(content, user_id=owner_user, organization_id=organization_id, now=now))
    return ciphers


def _folders(
    importer: uuid.UUID, entries: Sequence[FolderEntry], own_folders: Collection[uuid.UUID], now: datetime
) -> tuple[list[uuid.UUID], list[Folder]]:
    """The folder id of every entry (one of the importer's own when its id names one, else a new folder)."""
    ids, created = [], []
    for index, entry in enumerate(entries):
        if entry.id is not None and entry.id in own_folders:
            ids.append(entry.id)
            continue
        try:
            folder = Folder.create(importer, entry.name, now)
        except DomainError as problem:
            raise InvalidImportEntry("Folders", index, problem) from problem
        folder.events.clear()  # the import's one event stands for them
        created.append(folder)
        ids.append(folder.id)
    return ids, created


def import_personal(
    importer: uuid.UUID,
    entries: Sequence[ImportEntry],
    folders: Sequence[FolderEntry],
    folder_relationships: Sequence[tuple[int, int]],
    own_folders: Collection[uuid.UUID],
    now: datetime,
) -> ImportBatch:
    """Items into the importer's own vault, filed in the file's folders."""
    check_size(
        PERSONAL_LIMITS,
        ciphers=len(entries),
        containers=len(folders),
        relationships=len(folder_relationships),
        container_kind="folders",
    )
    relationships = checked_relationships("FolderRelationships", folder_relationships, len(entries), len(folders))
    ciphers = _items(entries, importer, owner_user=importer, organization_id=None, now=now)
    batch = _batch(importer, entries, ciphers, folders, relationships, own_folders, now)
    batch.events.append(
        CiphersImportedV1(
            owner_id=importer,
            user_id=importer,
            cipher_count=len(ciphers),
            folder_count=len(batch.folders),
            revision_date=now,
        )
    )
    return batch


def import_into_organization(
    caller: CallerFacts,
    organization_id: uuid.UUID,
    entries: Sequence[ImportEntry],
    collection_ids: Sequence[uuid.UUID],
    collection_relationships: Sequence[tuple[int, int]],
    known: Collection[uuid.UUID],
    *,
    folders: Sequence[FolderEntry] = (),
    folder_relationships: Sequence[tuple[int, int]] = (),
    own_folders: Collection[uuid.UUID] = (),
    now: datetime,
) -> ImportBatch:
    """Items into an organization's collections (`collection_ids[i]` is the request's collection i; `known`: those
    the organization has). Who may import anything anywhere: `may_import_into`. Other members may import only
    into collections they can write, and every item must go into one (Bitwarden's rule for a member without the
    import permission). Anyone else gets 404."""
    if not may_use_organization(caller, organization_id):
        raise OrganizationNotFound()
    check_size(
        ORGANIZATION_LIMITS,
        ciphers=len(entries),
        containers=len(collection_ids),
        relationships=len(collection_relationships),
        container_kind="collections",
    )
    relationships = checked_relationships(
        "CollectionRelationships", collection_relationships, len(entries), len(collection_ids)
    )
    for index, collection_id in enumerate(collection_ids):
        if collection_id not in known:
            raise InvalidImportEntry("Collections", index, "This collection does not belong to this organization.")
    if not may_import_into(caller, organization_id):
        writable = all(can_write_collection(caller, organization_id, cid) for cid in collection_ids)
        assigned = {cipher_index for cipher_index, _ in relationships}
        if not writable or len(assigned) < len(entries):
            raise OrganizationNotFound()
    ciphers = _items(entries, caller.user_id, owner_user=None, organization_id=organization_id, now=now)
    for cipher_index, collection_index in relationships:
        linked = ciphers[cipher_index].collection_ids
        if collection_ids[collection_index] not in linked:
            linked.append(collection_ids[collection_index])
    checked_folders = checked_relationships("FolderRelationships", folder_relationships, len(entries), len(folders))
    batch = _batch(caller.user_id, entries, ciphers, folders, checked_folders, own_folders, now)
    batch.events.append(
        CiphersImportedV1(
            owner_id=organization_id,
            organization_id=organization_id,
            user_id=caller.user_id,
            cipher_count=len(ciphers),
            folder_count=len(batch.folders),
            collection_ids=sorted(set(collection_ids)),
            revision_date=now,
        )
    )
    return batch


def _batch(
    importer: uuid.UUID,
    entries: Sequence[ImportEntry],
    ciphers: list[Cipher],
    folders: Sequence[FolderEntry],
    relationships: Sequence[tuple[int, int]],
    own_folders: Collection[uuid.UUID],
    now: datetime,
) -> ImportBatch:
    folder_ids, created = _folders(importer, folders, own_folders, now)
    folder_of = {ciphers[cipher_index].id: folder_ids[folder_index] for cipher_index, folder_index in relationships}
    favorites = {cipher.id for cipher, entry in zip(ciphers, entries, strict=True) if entry.favorite}
    return ImportBatch(ciphers, created, folder_of, favorites)
