"""Request bodies as the official clients send them (camelCase). Unknown fields are ignored, never refused:
every client release adds some (bw-cli-api.md §7)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from mspvault.vault.domain.content import CipherInput
from mspvault.vault.service_layer.commands import CipherFields


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
        content = CipherInput(
            type=self.type,
            name=self.name,
            notes=self.notes,
            key=self.key,
            reprompt=self.reprompt,
            type_data={
                "login": self.login,
                "secureNote": self.secure_note,
                "card": self.card,
                "identity": self.identity,
                "sshKey": self.ssh_key,
            },
            fields=self.fields,
            password_history=self.password_history,
            encrypted_for=self.encrypted_for,
        )
        return CipherFields(
            content=content,
            folder_id=self.folder_id,
            favorite=self.favorite,
            organization_id=self.organization_id,
            last_known_revision_date=self.last_known_revision_date,
            archived_date=self.archived_date,
        )


class CipherWithCollections(ClientModel):
    """`POST /api/ciphers/create` and `PUT /api/ciphers/{id}/share`."""

    cipher: CipherRequest = Field(validation_alias=AliasChoices("cipher", "Cipher"))
    collection_ids: list[uuid.UUID] = Field(validation_alias=AliasChoices("collectionIds", "CollectionIds"))


class CollectionIdsRequest(ClientModel):
    collection_ids: list[uuid.UUID] = Field(validation_alias=AliasChoices("collectionIds", "CollectionIds"))


class CipherIdsRequest(ClientModel):
    ids: list[uuid.UUID]


class MoveRequest(ClientModel):
    ids: list[uuid.UUID]
    folder_id: uuid.UUID | None = None

    _blank_folder = field_validator("folder_id", mode="before")(_blank_is_none)


class PartialCipherRequest(ClientModel):
    folder_id: uuid.UUID | None = None
    favorite: bool = False

    _blank_folder = field_validator("folder_id", mode="before")(_blank_is_none)


class FolderRequest(ClientModel):
    name: str
