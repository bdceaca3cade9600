"""The API shape of a log: Bitwarden's `EventResponseModel` in a `ListResponseModel`."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from mspvault.shared.audit.entries import AuditEntry
from mspvault.shared.audit.paging import Page
from mspvault.shared.dates import BitwardenDate


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class EventResponse(_Camel):
    object: Literal["event"] = "event"
    type: int
    user_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    provider_id: uuid.UUID | None = None
    cipher_id: uuid.UUID | None = None
    collection_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    policy_id: uuid.UUID | None = None
    organization_user_id: uuid.UUID | None = None
    provider_user_id: uuid.UUID | None = None
    provider_organization_id: uuid.UUID | None = None
    acting_user_id: uuid.UUID | None = None
    installation_id: uuid.UUID | None = None
    date: BitwardenDate
    device_type: int | None = None
    ip_address: str | None = None
    system_user: int | None = None
    domain_name: str | None = None
    secret_id: uuid.UUID | None = None
    service_account_id: uuid.UUID | None = None

    @classmethod
    def of(cls, entry: AuditEntry) -> EventResponse:
        return cls(**asdict(entry))


class EventListResponse(_Camel):
    object: Literal["list"] = "list"
    data: list[EventResponse]
    continuation_token: str | None = None

    @classmethod
    def of(cls, page: Page) -> EventListResponse:
        return cls(data=[EventResponse.of(e) for e in page.entries], continuation_token=page.continuation_token)
