"""Events published by the identity service on `identity.events`, keyed by user id."""

from __future__ import annotations

import uuid

from pydantic import Field

from mspvault.shared.contracts.envelope import EventData


class UserRegisteredV1(EventData):
    """A user account was created. Other services keep their read model of users from it."""

    event_type = "UserRegistered"
    version = 1
    aggregate_field = "user_id"

    user_id: uuid.UUID
    email: str = Field(description="Lower-cased email.", examples=["alice@acme.test"])
    name: str | None = None
    public_key: str | None = Field(default=None, description="Base64 SPKI DER of the user's RSA public key.")


class UserKeysSetV1(EventData):
    """The user's key pair was set or replaced; only the public half travels."""

    event_type = "UserKeysSet"
    version = 1
    aggregate_field = "user_id"

    user_id: uuid.UUID
    public_key: str


class UserProfileUpdatedV1(EventData):
    event_type = "UserProfileUpdated"
    version = 1
    aggregate_field = "user_id"

    user_id: uuid.UUID
    email: str
    name: str | None = None


class UserDeletedV1(EventData):
    event_type = "UserDeleted"
    version = 1
    aggregate_field = "user_id"

    user_id: uuid.UUID
