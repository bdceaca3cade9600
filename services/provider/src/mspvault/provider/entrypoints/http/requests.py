"""Request bodies, in Bitwarden's camelCase. Bad input becomes a 400 naming the field (shared error handlers)."""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints
from pydantic.alias_generators import to_camel

from mspvault.provider.domain.enums import ProviderType, ProviderUserType
from mspvault.shared.text import PlainText, normalize_email

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    value = normalize_email(value)
    if not _EMAIL.fullmatch(value):
        raise ValueError("is not a valid email address")
    return value


Email = Annotated[str, StringConstraints(max_length=256), PlainText, AfterValidator(_email)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50), PlainText]
OptionalName = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=50), PlainText]
EncString = Annotated[str, StringConstraints(min_length=3, max_length=20_000)]
Ids = Annotated[list[uuid.UUID], Field(min_length=1, max_length=500)]  # Bitwarden's bound on a bulk request


class ApiRequest(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class CreateProviderRequest(ApiRequest):
    name: Name
    type: ProviderType = ProviderType.MSP
    owner_email: Email
    teams_seat_minimum: int = Field(default=0, ge=0)
    enterprise_seat_minimum: int = Field(default=0, ge=0)


class ProviderUpdateRequest(ApiRequest):
    name: Name
    business_name: OptionalName = None
    billing_email: Email


class ProviderSetupRequest(ApiRequest):
    name: Name
    business_name: OptionalName = None
    billing_email: Email
    key: EncString
    token: str | None = Field(default=None, max_length=2000)


class InviteRequest(ApiRequest):
    emails: Annotated[list[Email], Field(min_length=1, max_length=20)]
    type: ProviderUserType


class IdsRequest(ApiRequest):
    ids: Ids


class AcceptRequest(ApiRequest):
    token: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class ConfirmRequest(ApiRequest):
    key: EncString


class KeyedId(ApiRequest):
    id: uuid.UUID
    key: EncString


class BulkConfirmRequest(ApiRequest):
    keys: Annotated[list[KeyedId], Field(min_length=1, max_length=500)]


class UserUpdateRequest(ApiRequest):
    type: ProviderUserType


class KeyPair(ApiRequest):
    public_key: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    encrypted_private_key: EncString


class CreateClientRequest(ApiRequest):
    name: Name
    owner_email: Email
    plan_type: int = Field(ge=0)
    seats: int = Field(ge=1, le=1_000_000)
    key: EncString
    key_pair: KeyPair
    collection_name: EncString | None = None


class UpdateClientRequest(ApiRequest):
    assigned_seats: int = Field(ge=0, le=1_000_000)
    name: OptionalName = None
    # Ours, not Bitwarden's: absent leaves the setting as it is.
    provider_access_to_items: StrictBool | None = None


class AddExistingClientRequest(ApiRequest):
    organization_id: uuid.UUID
    key: EncString
