"""Events published by the vault service on `vault.events`, keyed by the cipher's owner (organization or user)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from mspvault.shared.contracts.envelope import AggregateId, EventData


class _CipherEvent(EventData):
    owner_id: AggregateId
    cipher_id: uuid.UUID
    organization_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    collection_ids: list[uuid.UUID] = Field(
        default_factory=list, description="The organization collections the cipher is in after the change."
    )
    revision_date: datetime | None = Field(default=None, description="The cipher's revision date after the change.")


class CipherCreatedV1(_CipherEvent):
    event_type = "CipherCreated"


class CipherUpdatedV1(_CipherEvent):
    event_type = "CipherUpdated"


class CipherSoftDeletedV1(_CipherEvent):
    event_type = "CipherSoftDeleted"


class CipherDeletedV1(_CipherEvent):
    event_type = "CipherDeleted"


class CipherRestoredV1(_CipherEvent):
    event_type = "CipherRestored"


class CipherSharedV1(_CipherEvent):
    event_type = "CipherShared"


class _FolderEvent(EventData):
    user_id: AggregateId
    folder_id: uuid.UUID


class FolderCreatedV1(_FolderEvent):
    event_type = "FolderCreated"


class FolderUpdatedV1(_FolderEvent):
    event_type = "FolderUpdated"


class FolderDeletedV1(_FolderEvent):
    event_type = "FolderDeleted"


class CiphersImportedV1(EventData):
    """One import (`POST /api/ciphers/import` or `…/import-organization`): one event for the whole batch, however many
    items it held, instead of one `CipherCreated` per item (a 10,000-item import would otherwise write 10,000 outbox
    rows and audit entries)."""

    event_type = "CiphersImported"
    owner_id: AggregateId = Field(description="The organization imported into, or the user for a personal import.")
    organization_id: uuid.UUID | None = None
    user_id: uuid.UUID = Field(description="Who imported.")
    cipher_count: int = Field(ge=0, description="How many items were created.")
    folder_count: int = Field(default=0, ge=0, description="How many of the importer's folders were created.")
    collection_ids: list[uuid.UUID] = Field(
        default_factory=list, description="The organization collections the imported items were put in."
    )
    revision_date: datetime = Field(description="The imported items' creation and revision date.")
