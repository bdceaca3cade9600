"""Request bodies, camelCase as Bitwarden clients send them. Unknown fields are ignored: clients add fields
with every release and must not be refused for it. Field rules live in the domain; these models only type."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from mspvault.shared.text import PlainText

# Every email field, looked up or mailed to: control characters refused here (400 naming the field), before a NUL
# reaches PostgreSQL or a line break a mail header. Registration's full check is the domain's (validate_email).
Email = Annotated[str, Field(max_length=256), PlainText]


class RequestModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)


class KeysRequest(RequestModel):
    public_key: str = Field(max_length=4096)
    encrypted_private_key: str = Field(max_length=100_000)


class RegisterRequest(RequestModel):
    email: Email
    name: str | None = Field(default=None, max_length=256)
    master_password_hash: str = Field(min_length=1, max_length=300)
    master_password_hint: str | None = Field(default=None, max_length=256)
    key: str = Field(max_length=100_000)
    keys: KeysRequest | None = None
    kdf: int
    kdf_iterations: int
    kdf_memory: int | None = None
    kdf_parallelism: int | None = None


class PreloginRequest(RequestModel):
    email: Email


class UserKeyIdRequest(RequestModel):
    user_key_id: str = Field(max_length=64)


# ---- two-step login and API keys (Bitwarden's request models, by the same names) -----------------------------------
class SecretVerificationRequest(RequestModel):
    master_password_hash: str = Field(default="", max_length=300)


class UpdateTwoFactorAuthenticatorRequest(SecretVerificationRequest):
    key: str = Field(max_length=128)
    token: str = Field(max_length=16)
    user_verification_token: str | None = Field(default=None, max_length=2048)


class TwoFactorEmailRequest(SecretVerificationRequest):
    email: Email


class UpdateTwoFactorEmailRequest(TwoFactorEmailRequest):
    token: str = Field(max_length=16)


class TwoFactorProviderRequest(SecretVerificationRequest):
    type: int = Field(ge=0, le=255)


class TwoFactorEmailLoginRequest(SecretVerificationRequest):
    email: Email
    device_identifier: str | None = Field(default=None, max_length=128)


class TwoFactorRecoveryRequest(SecretVerificationRequest):
    email: Email
    recovery_code: str = Field(max_length=64)


class PasswordRequest(SecretVerificationRequest):
    new_master_password_hash: str = Field(min_length=1, max_length=300)
    master_password_hint: str | None = Field(default=None, max_length=256)
    key: str = Field(max_length=100_000)


class UpdateTempPasswordRequest(RequestModel):
    """Bitwarden's `UpdateTempPasswordRequestModel`: no current hash (the admin chose that password)."""

    new_master_password_hash: str = Field(min_length=1, max_length=300)
    master_password_hint: str | None = Field(default=None, max_length=256)
    key: str = Field(max_length=100_000)


class KdfRequest(PasswordRequest):
    kdf: int
    kdf_iterations: int
    kdf_memory: int | None = None
    kdf_parallelism: int | None = None


class ResetPasswordRequest(RequestModel):
    """Bitwarden's `OrganizationUserResetPasswordRequestModel`: made on the recovering admin's client."""

    new_master_password_hash: str = Field(min_length=1, max_length=300)
    key: str = Field(max_length=100_000)


class VerifyEmailTokenRequest(RequestModel):
    """Bitwarden's `VerifyEmailRequestModel`: the two parameters of the mailed link."""

    user_id: str = Field(max_length=64)
    token: str = Field(max_length=2048)
