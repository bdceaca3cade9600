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


class TwoFactorEnabledV1(EventData):
    """The user turned a two-step login provider on. The organization service keeps whether each user has two-step
    login (the Require two-step login policy reads it); audited as Bitwarden's User_Updated2fa (1002)."""

    event_type = "TwoFactorEnabled"
    version = 1
    aggregate_field = "user_id"

    user_id: uuid.UUID
    provider: int = Field(description="Bitwarden's TwoFactorProviderType: 0 authenticator, 1 email.", examples=[0])
    providers: list[int] = Field(description="Every provider on after this change.", examples=[[0]])


class TwoFactorDisabledV1(EventData):
    """The user turned a provider off; `providers` empty means no two-step login is left (User_Disabled2fa, 1003)."""

    event_type = "TwoFactorDisabled"
    version = 1
    aggregate_field = "user_id"

    user_id: uuid.UUID
    provider: int = Field(description="Bitwarden's TwoFactorProviderType of the provider turned off.", examples=[0])
    providers: list[int] = Field(description="Every provider still on after this change.", examples=[[]])


class TwoFactorRecoveredV1(EventData):
    """The user's recovery code turned every provider off (User_Recovered2fa, 1004): no two-step login is left."""

    event_type = "TwoFactorRecovered"
    version = 1
    aggregate_field = "user_id"

    user_id: uuid.UUID
