"""Bitwarden's response shapes as pydantic models (reference: bw-cli-api.md §3.2–3.6), built from domain objects.

Casing is Bitwarden's: camelCase on /api, snake_case for the OAuth fields of /connect/token and PascalCase for that
endpoint's own fields. Field order is the wire order (clients do not care; our byte-for-byte tests do).
"""

from __future__ import annotations

import uuid
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel, to_pascal

from mspvault.identity.domain.access_tokens import IssuedTokens
from mspvault.identity.domain.account import Account, KeyPair
from mspvault.identity.domain.account_recovery import RecoveryTarget
from mspvault.identity.domain.kdf import KdfSettings
from mspvault.shared.by_name import model_by_name
from mspvault.shared.dates import BitwardenDate, epoch_ms

AccountKeys = TypeVar("AccountKeys", bound=BaseModel)

INVALID_CREDENTIALS = "Username or password is incorrect. Try again"


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


class PascalModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_pascal, populate_by_name=True, serialize_by_alias=True)


# ---- /identity/accounts/register and prelogin -------------------------------------------------------------------
class RegisterResponse(CamelModel):
    object: Literal["register"] = "register"
    captcha_bypass_token: str = ""


class KdfSettingsModel(CamelModel):
    kdf_type: int
    iterations: int
    memory: int | None
    parallelism: int | None

    @classmethod
    def of(cls, kdf: KdfSettings) -> KdfSettingsModel:
        return cls.model_validate(kdf, from_attributes=True)


def kdf_fields(kdf: KdfSettings) -> dict[str, int | None]:
    """The KDF as the flat `kdf`, `kdfIterations`, `kdfMemory`, `kdfParallelism` fields of several answers."""
    return {
        "kdf": int(kdf.kdf_type),
        "kdf_iterations": kdf.iterations,
        "kdf_memory": kdf.memory,
        "kdf_parallelism": kdf.parallelism,
    }


class PreloginResponse(CamelModel):
    kdf: int
    kdf_iterations: int
    kdf_memory: int | None
    kdf_parallelism: int | None
    kdf_settings: KdfSettingsModel
    salt: str

    @classmethod
    def of(cls, kdf: KdfSettings, salt: str) -> PreloginResponse:
        return cls(**kdf_fields(kdf), kdf_settings=KdfSettingsModel.of(kdf), salt=salt)


# ---- /identity/connect/token ------------------------------------------------------------------------------------
class TokenKeyPair(PascalModel):
    wrapped_private_key: str = Field(alias="wrappedPrivateKey")
    public_key: str = Field(alias="publicKey")
    object: Literal["publicKeyEncryptionKeyPair"] = "publicKeyEncryptionKeyPair"


class TokenAccountKeys(PascalModel):
    public_key_encryption_key_pair: TokenKeyPair = Field(alias="publicKeyEncryptionKeyPair")
    object: Literal["privateKeys"] = "privateKeys"


class TokenKdf(PascalModel):
    kdf_type: int
    iterations: int
    memory: int | None
    parallelism: int | None


class TokenMasterPasswordUnlock(PascalModel):
    kdf: TokenKdf
    # The CLI reads the first name, newer clients the second: send both, as Vaultwarden does.
    master_key_encrypted_user_key: str
    master_key_wrapped_user_key: str
    salt: str


class TokenDecryptionOptions(PascalModel):
    has_master_password: bool = True
    master_password_unlock: TokenMasterPasswordUnlock
    object: Literal["userDecryptionOptions"] = "userDecryptionOptions"


class MasterPasswordPolicy(PascalModel):
    object: Literal["masterPasswordPolicy"] = "masterPasswordPolicy"


class RefreshResponse(PascalModel):
    access_token: str = Field(alias="access_token")
    expires_in: int = Field(alias="expires_in")
    token_type: Literal["Bearer"] = Field(default="Bearer", alias="token_type")
    refresh_token: str = Field(alias="refresh_token")
    scope: str = Field(alias="scope")

    @classmethod
    def of(cls, tokens: IssuedTokens) -> RefreshResponse:
        return cls.model_validate(tokens, from_attributes=True)


class TokenResponse(RefreshResponse):
    """The password grant's answer: every field the bw CLI needs to unlock (§3.3)."""

    key: str
    private_key: str | None
    kdf: int
    kdf_iterations: int
    kdf_memory: int | None
    kdf_parallelism: int | None
    reset_master_password: bool = False
    force_password_reset: bool = False
    master_password_policy: MasterPasswordPolicy = MasterPasswordPolicy()
    account_keys: TokenAccountKeys | None
    user_decryption_options: TokenDecryptionOptions

    @classmethod
    def of_login(cls, account: Account, tokens: IssuedTokens) -> TokenResponse:
        kdf = account.kdf
        unlock = TokenMasterPasswordUnlock(
            kdf=TokenKdf.model_validate(kdf, from_attributes=True),
            master_key_encrypted_user_key=account.protected_user_key,
            master_key_wrapped_user_key=account.protected_user_key,
            salt=account.email,
        )
        return cls(
            **RefreshResponse.of(tokens).model_dump(),
            key=account.protected_user_key,
            private_key=account.key_pair.wrapped_private_key if account.key_pair else None,
            **kdf_fields(kdf),
            force_password_reset=account.force_password_reset,
            account_keys=account_keys(TokenAccountKeys, account.key_pair),
            user_decryption_options=TokenDecryptionOptions(master_password_unlock=unlock),
        )


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class AccessTokenAnswer(RefreshResponse):
    """The 200 of `/identity/connect/token` for a refresh, or for an organization's API key, which gets no refresh
    token (documentation only: `connect_token` writes it)."""

    refresh_token: str = Field(default="", alias="refresh_token", json_schema_extra=_no_default)


class LoginAnswer(TokenResponse):
    """The 200 of `/identity/connect/token` for a login: no refresh token for a user's API key, and `TwoFactorToken`
    when the second step asked to remember the device (documentation only: `connect_token` writes it)."""

    refresh_token: str = Field(default="", alias="refresh_token", json_schema_extra=_no_default)
    two_factor_token: str = Field(default="", alias="TwoFactorToken", json_schema_extra=_no_default)


class ErrorModel(PascalModel):
    message: str
    object: Literal["error"] = "error"


class GrantErrorResponse(BaseModel):
    """OAuth's error body, with Bitwarden's `ErrorModel` (the clients show its message)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    error: str
    error_description: str
    error_model: ErrorModel = Field(alias="ErrorModel")

    @classmethod
    def of(cls, error: str, description: str, message: str) -> GrantErrorResponse:
        return cls(error=error, error_description=description, error_model=ErrorModel(message=message))


class TwoFactorRequiredResponse(BaseModel):
    """The password was right and a second step is due (Bitwarden's shape): the clients read the providers from
    `TwoFactorProviders2` (number → provider data, the email redacted), older ones from `TwoFactorProviders`."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    error: Literal["invalid_grant"] = "invalid_grant"
    error_description: Literal["Two factor required."] = "Two factor required."
    two_factor_providers: list[str] = Field(alias="TwoFactorProviders")
    two_factor_providers2: dict[str, dict[str, str] | None] = Field(alias="TwoFactorProviders2")
    master_password_policy: MasterPasswordPolicy = Field(default=MasterPasswordPolicy(), alias="MasterPasswordPolicy")
    sso_email2fa_session_token: str | None = Field(default=None, alias="SsoEmail2faSessionToken")

    @classmethod
    def of(cls, providers: dict[int, dict[str, str] | None]) -> TwoFactorRequiredResponse:
        return cls(
            two_factor_providers=[str(number) for number in providers],
            two_factor_providers2={str(number): data for number, data in providers.items()},
        )


# ---- /api/accounts ----------------------------------------------------------------------------------------------
class ProfileKeyPair(CamelModel):
    wrapped_private_key: str
    public_key: str
    signed_public_key: str | None = None
    object: Literal["publicKeyEncryptionKeyPair"] = "publicKeyEncryptionKeyPair"


class ProfileAccountKeys(CamelModel):
    public_key_encryption_key_pair: ProfileKeyPair
    security_state: None = None
    signature_key_pair: None = None
    object: Literal["privateKeys"] = "privateKeys"


def account_keys(kind: type[AccountKeys], pair: KeyPair | None) -> AccountKeys | None:
    """The account's key pair in `kind`'s shape (the token's or the profile's), or None without one."""
    if pair is None:
        return None
    return kind.model_validate({"public_key_encryption_key_pair": pair}, from_attributes=True)


class SyncProfile(CamelModel):
    """Vaultwarden's `User::to_json` without memberships (they belong to other services): /internal/sync's part."""

    status: int = Field(default=0, alias="_status")
    id: str
    name: str | None
    email: str
    email_verified: bool
    premium: bool = True
    premium_from_organization: bool = False
    culture: str = "en-US"
    two_factor_enabled: bool = False
    key: str
    private_key: str | None
    account_keys: ProfileAccountKeys | None
    security_stamp: str
    force_password_reset: bool = False
    avatar_color: str | None = None
    uses_key_connector: bool = False
    creation_date: BitwardenDate
    object: Literal["profile"] = "profile"

    @classmethod
    def of(cls, account: Account, *, two_factor_enabled: bool = False) -> SyncProfile:
        return cls(**_profile_fields(account), two_factor_enabled=two_factor_enabled)


class ProfileResponse(SyncProfile):
    """The whole profile, memberships empty: the gateway merges the other services' parts in."""

    organizations: list[object] = Field(default_factory=list)
    providers: list[object] = Field(default_factory=list)
    provider_organizations: list[object] = Field(default_factory=list)

    @classmethod
    def of(cls, account: Account, *, two_factor_enabled: bool = False) -> ProfileResponse:
        return cls(**_profile_fields(account), two_factor_enabled=two_factor_enabled)


def _profile_fields(account: Account) -> dict[str, object]:
    return {
        "id": str(account.id),
        "name": account.name,
        "email": account.email,
        "email_verified": account.email_verified,
        "key": account.protected_user_key,
        "private_key": account.key_pair.wrapped_private_key if account.key_pair else None,
        "account_keys": account_keys(ProfileAccountKeys, account.key_pair),
        "security_stamp": account.security_stamp,
        "force_password_reset": account.force_password_reset,
        "creation_date": account.created_at,
    }


class KeysResponse(CamelModel):
    private_key: str | None
    public_key: str | None
    object: Literal["keys"] = "keys"

    @classmethod
    def of(cls, account: Account) -> KeysResponse:
        pair = account.key_pair
        return cls(private_key=pair.wrapped_private_key if pair else None, public_key=pair.public_key if pair else None)


class UserKeyResponse(CamelModel):
    user_id: str
    public_key: str
    object: Literal["userKey"] = "userKey"


# ---- /internal ------------------------------------------------------------------------------------------------
class MasterPasswordUnlock(CamelModel):
    kdf: KdfSettingsModel
    master_key_encrypted_user_key: str
    master_key_wrapped_user_key: str
    salt: str


class UserDecryption(CamelModel):
    master_password_unlock: MasterPasswordUnlock
    user_key_id: str | None

    @classmethod
    def of(cls, account: Account) -> UserDecryption:
        unlock = MasterPasswordUnlock(
            kdf=KdfSettingsModel.of(account.kdf),
            master_key_encrypted_user_key=account.protected_user_key,
            master_key_wrapped_user_key=account.protected_user_key,
            salt=account.email,
        )
        return cls(master_password_unlock=unlock, user_key_id=account.user_key_id)


class InternalSyncResponse(CamelModel):
    profile: SyncProfile
    user_decryption: UserDecryption

    @classmethod
    def of(cls, account: Account, *, two_factor_enabled: bool = False) -> InternalSyncResponse:
        profile = SyncProfile.of(account, two_factor_enabled=two_factor_enabled)
        return cls(profile=profile, user_decryption=UserDecryption.of(account))


class OperatorStatusResponse(CamelModel):
    operator: bool


class RevisionDateResponse(CamelModel):
    revision_date: int

    @classmethod
    def of(cls, account: Account) -> RevisionDateResponse:
        return cls(revision_date=epoch_ms(account.revision_date))


# ---- /api/two-factor and API keys ------------------------------------------------------------------------------
class TwoFactorProviderResponse(CamelModel):
    enabled: bool
    type: int
    object: Literal["twoFactorProvider"] = "twoFactorProvider"


class TwoFactorProviderListResponse(CamelModel):
    data: list[TwoFactorProviderResponse]
    continuation_token: str | None = None
    object: Literal["list"] = "list"


class TwoFactorAuthenticatorResponse(CamelModel):
    enabled: bool
    key: str
    user_verification_token: str | None = None
    object: Literal["twoFactorAuthenticator"] = "twoFactorAuthenticator"


class TwoFactorEmailResponse(CamelModel):
    enabled: bool
    email: str
    object: Literal["twoFactorEmail"] = "twoFactorEmail"


class TwoFactorRecoverResponse(CamelModel):
    code: str
    object: Literal["twoFactorRecover"] = "twoFactorRecover"


class ResetPasswordDetailsResponse(CamelModel):
    """Bitwarden's `OrganizationUserResetPasswordDetailsResponseModel`: the member's KDF (the admin's client derives
    the new master key with it), their user key under the org public key, the org private key under the org key."""

    organization_user_id: uuid.UUID
    kdf: int
    kdf_iterations: int
    kdf_memory: int | None
    kdf_parallelism: int | None
    reset_password_key: str
    encrypted_private_key: str
    object: Literal["organizationUserResetPasswordDetails"] = "organizationUserResetPasswordDetails"

    @classmethod
    def of(cls, target: RecoveryTarget, account: Account) -> ResetPasswordDetailsResponse:
        return model_by_name(cls, target, **kdf_fields(account.kdf))
