"""Events published by the identity service on `identity.events`, keyed by user id."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from mspvault.shared.contracts.envelope import AggregateId, EventData


class _UserEvent(EventData):
    user_id: AggregateId


class UserRegisteredV1(_UserEvent):
    """A user account was created. Other services keep their read model of users from it."""

    event_type = "UserRegistered"

    email: str = Field(description="Lower-cased email.", examples=["alice@acme.test"])
    name: str | None = None
    public_key: str | None = Field(default=None, description="Base64 SPKI DER of the user's RSA public key.")


class UserKeysSetV1(_UserEvent):
    """The user's key pair was set or replaced; only the public half travels."""

    event_type = "UserKeysSet"

    public_key: str


class UserProfileUpdatedV1(_UserEvent):
    event_type = "UserProfileUpdated"

    email: str
    name: str | None = None


class UserDeletedV1(_UserEvent):
    event_type = "UserDeleted"


class TwoFactorEnabledV1(_UserEvent):
    """The user turned a two-step login provider on. The organization service keeps whether each user has two-step
    login (the Require two-step login policy reads it); audited as Bitwarden's User_Updated2fa (1002)."""

    event_type = "TwoFactorEnabled"

    provider: int = Field(description="Bitwarden's TwoFactorProviderType: 0 authenticator, 1 email.", examples=[0])
    providers: list[int] = Field(description="Every provider on after this change.", examples=[[0]])


class TwoFactorDisabledV1(_UserEvent):
    """The user turned a provider off; `providers` empty means no two-step login is left (User_Disabled2fa, 1003)."""

    event_type = "TwoFactorDisabled"

    provider: int = Field(description="Bitwarden's TwoFactorProviderType of the provider turned off.", examples=[0])
    providers: list[int] = Field(description="Every provider still on after this change.", examples=[[]])


class TwoFactorRecoveredV1(_UserEvent):
    """The user's recovery code turned every provider off (User_Recovered2fa, 1004): no two-step login is left."""

    event_type = "TwoFactorRecovered"


class SecurityStampRotatedV1(_UserEvent):
    """The account's security stamp changed: every session it had ends. Services record the stamp and refuse any
    token that carries another (`mspvault.shared.auth.stamps`); identity has revoked the refresh tokens already."""

    event_type = "SecurityStampRotated"

    security_stamp: str = Field(
        description="The new stamp (tokens carry it as `sstamp`; it lets no one mint or refresh a token).",
        examples=["0b9e8a4c-3f1e-4c8e-9a55-2d8c1f7e6b10"],
    )
    rotated_at: datetime = Field(description="When identity rotated it; an older rotation never replaces a newer.")
    reason: str = Field(
        description="password | kdf | logout | account_recovery | deleted",
        examples=["password"],
    )


class UserLoggedInV1(_UserEvent):
    """The user logged in with their password (and second step) or their personal API key (User_LoggedIn, 1000).
    Refreshing a token is not a login."""

    event_type = "UserLoggedIn"


class UserLoginFailedV1(_UserEvent):
    """A login to this existing account gave a wrong master password (User_FailedLogIn, 1005). An unknown email
    records nothing: there is no account to log it for."""

    event_type = "UserLoginFailed"


class UserTwoStepLoginFailedV1(_UserEvent):
    """The password was right but the two-step login code was not (User_FailedLogIn2fa, 1006)."""

    event_type = "UserTwoStepLoginFailed"


class MasterPasswordChangedV1(_UserEvent):
    """The user changed their own master password (User_ChangedPassword, 1001)."""

    event_type = "MasterPasswordChanged"


class TempPasswordUpdatedV1(_UserEvent):
    """After an account recovery, the user replaced the password the admin set (User_UpdatedTempPassword, 1008)."""

    event_type = "TempPasswordUpdated"


class AccountRecoveredV1(_UserEvent):
    """An admin of `organization_id` recovered the member's account: a new master password, which the user must
    replace at the next login (OrganizationUser_AdminResetPassword, 1508, in that organization's log)."""

    event_type = "AccountRecovered"

    organization_id: uuid.UUID
    organization_user_id: uuid.UUID
