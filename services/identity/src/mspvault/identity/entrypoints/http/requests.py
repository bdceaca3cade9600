"""Request bodies, camelCase as Bitwarden clients send them. Unknown fields are ignored: clients add fields
with every release and must not be refused for it. Field rules live in the domain; these models only type."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class RequestModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)


class KeysRequest(RequestModel):
    public_key: str = Field(max_length=4096)
    encrypted_private_key: str = Field(max_length=100_000)


class RegisterRequest(RequestModel):
    email: str = Field(max_length=256)
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
    email: str = Field(max_length=256)


class UserKeyIdRequest(RequestModel):
    user_key_id: str = Field(max_length=64)
