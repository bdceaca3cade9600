"""What callers ask of identity: one frozen dataclass per write use case (handlers take `(work, [caller,] command)`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mspvault.identity.domain.devices import DeviceInfo


@dataclass(frozen=True)
class RegisterAccount:
    email: str
    name: str | None
    master_password_hash: str
    master_password_hint: str | None
    key: str
    public_key: str | None
    encrypted_private_key: str | None
    kdf: int
    kdf_iterations: int
    kdf_memory: int | None
    kdf_parallelism: int | None


@dataclass(frozen=True)
class SetKeyPair:
    public_key: str
    encrypted_private_key: str


@dataclass(frozen=True)
class SetUserKeyId:
    user_key_id: str


@dataclass(frozen=True)
class AddOperator:
    """Make an existing account, whose email is verified, a platform operator."""

    email: str


@dataclass(frozen=True)
class TwoFactorAttempt:
    """The second step sent with a password grant: `twoFactorProvider`, `twoFactorToken`, `twoFactorRemember`."""

    provider: int
    token: str
    remember: bool = False


@dataclass(frozen=True)
class RemoveOperator:
    email: str


@dataclass(frozen=True)
class VerifyEmail:
    """The user id and token of a verification link (Bitwarden's `POST /accounts/verify-email-token`)."""

    user_id: str
    token: str


@dataclass(frozen=True)
class PasswordGrant:
    """Log in: start a refresh-token family for the device."""

    username: str
    password: str  # the client's master-password hash, never the master password
    client_id: str
    device: DeviceInfo
    two_factor: TwoFactorAttempt | None = None


@dataclass(frozen=True)
class ClientCredentialsGrant:
    """Log in with a personal API key (`user.<id>` and its secret): an access token, no refresh token."""

    client_id: str
    client_secret: str
    device: DeviceInfo


@dataclass(frozen=True)
class VerifySecret:
    """Bitwarden's `SecretVerificationRequestModel`: the master-password hash that guards account settings. The
    commands that change those settings extend it, as Bitwarden's request models do."""

    master_password_hash: str


@dataclass(frozen=True)
class EnableAuthenticator(VerifySecret):
    key: str
    token: str


@dataclass(frozen=True)
class SendEmailSetup(VerifySecret):
    email: str


@dataclass(frozen=True)
class EnableEmail(VerifySecret):
    email: str
    token: str


@dataclass(frozen=True)
class DisableTwoFactor(VerifySecret):
    provider: int


@dataclass(frozen=True)
class SendEmailLogin:
    """Anonymous: the login page asks for a code by mail, proving the password again."""

    email: str
    master_password_hash: str


@dataclass(frozen=True)
class RecoverTwoFactor:
    """Anonymous: the recovery code turns every provider off."""

    email: str
    master_password_hash: str
    recovery_code: str


@dataclass(frozen=True)
class RefreshGrant:
    """Rotate a refresh token; a spent one revokes its whole family."""

    refresh_token: str
    client_id: str


@dataclass(frozen=True)
class ChangeMasterPassword(VerifySecret):
    new_master_password_hash: str
    key: str  # the user key under the new master key
    master_password_hint: str | None


@dataclass(frozen=True)
class UpdateTempPassword:
    """After an account recovery: the user's own master password replaces the admin's."""

    new_master_password_hash: str
    key: str  # the user key under the new master key
    master_password_hint: str | None


@dataclass(frozen=True)
class ChangeKdf(VerifySecret):
    new_master_password_hash: str
    key: str
    kdf: int
    kdf_iterations: int
    kdf_memory: int | None
    kdf_parallelism: int | None


class LogOutEverywhere(VerifySecret):
    """Every access and refresh token of the account ends."""


@dataclass(frozen=True)
class DeleteAccount(VerifySecret):
    bearer: str = ""  # the caller's token: the organization and provider services are asked as the caller


@dataclass(frozen=True)
class RecoverAccount:
    """An admin sets a member's new master password, made on the admin's client (`PUT …/reset-password`)."""

    org_id: uuid.UUID
    member_id: uuid.UUID
    new_master_password_hash: str
    key: str  # the member's user key under the new master key
