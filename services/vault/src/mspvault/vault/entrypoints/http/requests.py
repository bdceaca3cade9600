"""Request bodies as the official clients send them (camelCase). Unknown fields are ignored, never refused:
every client release adds some (bw-cli-api.md §7)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel

from mspvault.shared.by_name import dataclass_by_name
from mspvault.vault.domain.content import CipherInput
from mspvault.vault.domain.imports import FolderEntry, ImportEntry, InvalidImportEntry
from mspvault.vault.service_layer.commands import CipherFields, ImportCiphers, ImportOrganizationCiphers

M = TypeVar("M", bound=BaseModel)

# Bitwarden's bound on a bulk request's ids (its CipherBulk… models refuse more than 500), for every id list here.
MAX_IDS = 500


class ClientModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


def _blank_is_none(value: Any) -> Any:
    # Some clients send "" for "no folder".
    return None if value == "" else value


class CipherRequest(ClientModel):
    type: int
    name: str
    notes: str | None = None
    key: str | None = None
    folder_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = Field(
        default=None, validation_alias=AliasChoices("organizationId", "organizationID", "organization_id")
    )
    favorite: bool | None = None
    reprompt: int | None = None
    login: dict[str, Any] | None = None
    secure_note: dict[str, Any] | None = None
    card: dict[str, Any] | None = None
    identity: dict[str, Any] | None = None
    ssh_key: dict[str, Any] | None = None
    fields: list[Any] | None = None
    password_history: list[Any] | None = None
    last_known_revision_date: str | None = None
    archived_date: str | None = None
    encrypted_for: uuid.UUID | None = None

    _blank_ids = field_validator("folder_id", "organization_id", "encrypted_for", mode="before")(_blank_is_none)

    def cipher_fields(self) -> CipherFields:
        type_data = {
            "login": self.login,
            "secureNote": self.secure_note,
            "card": self.card,
            "identity": self.identity,
            "sshKey": self.ssh_key,
        }
        content = dataclass_by_name(CipherInput, self, type_data=type_data)
        return dataclass_by_name(CipherFields, self, content=content)


class CipherWithCollections(ClientModel):
    """`POST /api/ciphers/create` and `PUT /api/ciphers/{id}/share`."""

    cipher: CipherRequest = Field(validation_alias=AliasChoices("cipher", "Cipher"))
    collection_ids: list[uuid.UUID] = Field(
        validation_alias=AliasChoices("collectionIds", "CollectionIds"), max_length=MAX_IDS
    )


class CollectionIdsRequest(ClientModel):
    collection_ids: list[uuid.UUID] = Field(
        validation_alias=AliasChoices("collectionIds", "CollectionIds"), max_length=MAX_IDS
    )


class CipherIdsRequest(ClientModel):
    ids: list[uuid.UUID] = Field(max_length=MAX_IDS)


class MoveRequest(ClientModel):
    ids: list[uuid.UUID] = Field(max_length=MAX_IDS)
    folder_id: uuid.UUID | None = None

    _blank_folder = field_validator("folder_id", mode="before")(_blank_is_none)


class PartialCipherRequest(ClientModel):
    folder_id: uuid.UUID | None = None
    favorite: bool = False

    _blank_folder = field_validator("folder_id", mode="before")(_blank_is_none)


class FolderRequest(ClientModel):
    name: str


# --- imports ---------------------------------------------------------------------------------------------------------
# Entries are taken as plain objects and checked one by one, so a bad one is refused with its index
# (`Ciphers[12].type`), the key the official clients turn into a line naming the item.


def _entry_problem(kind: str, index: int, error: ValidationError) -> InvalidImportEntry:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem.get("loc", ()))
    return InvalidImportEntry(kind, index, str(problem.get("msg")), field=where or None)


def _each_valid(kind: str, model: type[M], raw: list[Any]) -> Iterator[M]:
    """Each entry of `raw` as `model`, checked when reached; the first bad one is refused with its index."""
    for index, item in enumerate(raw):
        try:
            valid = model.model_validate(item)
        except ValidationError as error:
            raise _entry_problem(kind, index, error) from error
        yield valid


def _import_entries(raw: list[Any]) -> tuple[ImportEntry, ...]:
    return tuple(
        ImportEntry(cipher.cipher_fields().content, favorite=bool(cipher.favorite))
        for cipher in _each_valid("Ciphers", CipherRequest, raw)
    )


class _IdAndName(ClientModel):
    id: uuid.UUID | None = None
    name: str | None = None

    _blank_id = field_validator("id", mode="before")(_blank_is_none)


def _folder_entries(raw: list[Any]) -> tuple[FolderEntry, ...]:
    return tuple(FolderEntry(folder.name or "", folder.id) for folder in _each_valid("Folders", _IdAndName, raw))


def _collection_ids(raw: list[Any]) -> tuple[uuid.UUID | None, ...]:
    return tuple(collection.id for collection in _each_valid("Collections", _IdAndName, raw))


class KeyValue(BaseModel):
    """.NET's `KeyValuePair<int, int>` as the clients send it: item index → folder or collection index."""

    model_config = ConfigDict(extra="ignore")

    key: int = Field(validation_alias=AliasChoices("key", "Key"))
    value: int = Field(validation_alias=AliasChoices("value", "Value"))


def _pairs(relationships: list[KeyValue]) -> tuple[tuple[int, int], ...]:
    return tuple((pair.key, pair.value) for pair in relationships)


class ImportCiphersRequest(ClientModel):
    """Bitwarden's `ImportCiphersRequestModel`."""

    ciphers: list[Any] = Field(default_factory=list)
    folders: list[Any] = Field(default_factory=list)
    folder_relationships: list[KeyValue] = Field(default_factory=list)

    def command(self) -> ImportCiphers:
        return ImportCiphers(
            ciphers=_import_entries(self.ciphers),
            folders=_folder_entries(self.folders),
            folder_relationships=_pairs(self.folder_relationships),
        )


class ImportOrganizationCiphersRequest(ClientModel):
    """Bitwarden's `ImportOrganizationCiphersRequestModel` (collections by id, or new ones by name); newer clients
    also send the importer's folders."""

    ciphers: list[Any] = Field(default_factory=list)
    collections: list[Any] = Field(default_factory=list)
    collection_relationships: list[KeyValue] = Field(default_factory=list)
    folders: list[Any] = Field(default_factory=list)
    folder_relationships: list[KeyValue] = Field(default_factory=list)

    def command(
        self, organization_id: uuid.UUID, *, confirmed: bool = False, check_only: bool = False
    ) -> ImportOrganizationCiphers:
        collection_ids = _collection_ids(self.collections)
        return ImportOrganizationCiphers(
            organization_id=organization_id,
            ciphers=_import_entries(self.ciphers),
            collection_ids=collection_ids,
            collection_relationships=_pairs(self.collection_relationships),
            folders=_folder_entries(self.folders),
            folder_relationships=_pairs(self.folder_relationships),
            confirmed=frozenset(cid for cid in collection_ids if cid is not None) if confirmed else frozenset(),
            check_only=check_only,
        )
