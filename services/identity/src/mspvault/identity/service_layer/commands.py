"""What callers ask of identity: one frozen dataclass per write use case (handlers take `(work, [caller,] command)`)."""

from __future__ import annotations

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
    email: str


@dataclass(frozen=True)
class PasswordGrant:
    """Log in: start a refresh-token family for the device."""

    username: str
    password: str  # the client's master-password hash, never the master password
    client_id: str
    device: DeviceInfo


@dataclass(frozen=True)
class RefreshGrant:
    """Rotate a refresh token; a spent one revokes its whole family."""

    refresh_token: str
    client_id: str
