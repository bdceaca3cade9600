"""The user account: who the user is, how their client derives the master key, and the keys the server keeps for
them (all encrypted client-side; the public key is the only key in clear)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from mspvault.identity.domain.kdf import KdfSettings
from mspvault.shared.encstring import AES_CBC_HMAC, validate_enc_string, validate_public_key
from mspvault.shared.errors import DomainError
from mspvault.shared.text import MESSAGE as CONTROL_MESSAGE
from mspvault.shared.text import has_control_characters, normalize_email

MAX_EMAIL_CHARS = 256
MAX_NAME_CHARS = 50
MAX_HINT_CHARS = 50
MAX_MASTER_PASSWORD_HASH_CHARS = 300
# Deliberately loose (one @, a dot in the domain, no spaces): strict RFC parsing refuses real addresses.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
USER_KEY_ID_PATTERN = re.compile(r"[0-9a-f]{32}")


class InvalidEmail(DomainError):
    pass


class InvalidAccountField(DomainError):
    pass


class EmailAlreadyRegistered(DomainError, message="Registration not allowed or user already exists", field="email"):
    """Worded like Vaultwarden's answer: it says no more than Bitwarden's own register error does."""


class AccountKeysAlreadySet(DomainError, message="Account keys already set.", field="publicKey"): ...


class InvalidMasterPassword(DomainError, message="Invalid password.", field="masterPasswordHash"):
    """The master-password hash that must prove the caller knows the password does not match: 400, Bitwarden's."""


class NoTemporaryPassword(DomainError, message="User does not have a temporary password to update."): ...


class EmailVerificationInvalid(DomainError, message="Invalid token.", field="token"):
    """The link is not ours, expired, for another user, or for an email the account no longer has: one answer."""


class InvalidUserKeyId(
    DomainError, message="userKeyId must be 32 lowercase hexadecimal characters.", field="userKeyId"
): ...


class UserKeyIdAlreadySet(DomainError, message="User key id is already set.", field="userKeyId"): ...


def validate_email(email: str) -> str:
    normalized = normalize_email(email)
    bad = len(normalized) > MAX_EMAIL_CHARS or has_control_characters(normalized)
    if bad or not EMAIL_PATTERN.fullmatch(normalized):
        raise InvalidEmail("The Email field is not a supported e-mail address.", field="email")
    return normalized


def validate_master_password_hash(value: str) -> str:
    if not value or len(value) > MAX_MASTER_PASSWORD_HASH_CHARS:
        message = f"masterPasswordHash is required (at most {MAX_MASTER_PASSWORD_HASH_CHARS} characters)."
        raise InvalidAccountField(message, field="masterPasswordHash")
    return value


def _optional_text(value: str | None, limit: int, field: str) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > limit:
        raise InvalidAccountField(f"{field} must be at most {limit} characters.", field=field)
    if has_control_characters(value):
        raise InvalidAccountField(f"{field} {CONTROL_MESSAGE}.", field=field)
    return value or None


@dataclass(frozen=True)
class KeyPair:
    public_key: str  # base64 SPKI DER
    wrapped_private_key: str  # type-2 EncString of the PKCS#8 DER under the user key

    @classmethod
    def parse(cls, public_key: str, wrapped_private_key: str) -> KeyPair:
        return cls(
            validate_public_key(public_key, field="publicKey"),
            validate_enc_string(wrapped_private_key, field="encryptedPrivateKey", types=(AES_CBC_HMAC,)),
        )


@dataclass
class Account:
    id: uuid.UUID
    email: str
    name: str | None
    master_password_hint: str | None
    kdf: KdfSettings
    protected_user_key: str  # the user key under the stretched master key: `Key` / `key` on the wire
    password_hash: str = field(repr=False)  # the server's own slow hash of the client's master-password hash
    security_stamp: str
    created_at: datetime
    revision_date: datetime
    key_pair: KeyPair | None = None
    user_key_id: str | None = None
    # When the user proved they read this address (the verification link); None until then. Operator rights and
    # the `email_verified` claim depend on it (issue 11 #2).
    email_verified_at: datetime | None = None
    # An admin recovered the account: the client makes the user choose their own password (Bitwarden's flag).
    force_password_reset: bool = False

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @classmethod
    def register(
        cls,
        *,
        email: str,
        name: str | None,
        master_password_hint: str | None,
        kdf: KdfSettings,
        protected_user_key: str,
        key_pair: KeyPair | None,
        now: datetime,
    ) -> Account:
        """A new account, all fields checked. Its password hash is set next (`set_password_hash`): the slow hash
        runs only for a registration that is otherwise valid."""
        return cls(
            id=uuid.uuid4(),
            email=validate_email(email),
            name=_optional_text(name, MAX_NAME_CHARS, "name"),
            master_password_hint=_optional_text(master_password_hint, MAX_HINT_CHARS, "masterPasswordHint"),
            kdf=kdf,
            protected_user_key=validate_enc_string(protected_user_key, field="key", types=(AES_CBC_HMAC,)),
            password_hash="",
            security_stamp=str(uuid.uuid4()),
            created_at=now,
            revision_date=now,
            key_pair=key_pair,
        )

    def set_password_hash(self, password_hash: str) -> None:
        if not password_hash:
            raise ValueError("empty password hash")
        self.password_hash = password_hash

    def set_key_pair(self, key_pair: KeyPair, now: datetime) -> bool:
        """Set the key pair once; returns False for an identical retry. Replacing it would orphan every org and
        provider key already wrapped to the old public key, so a different pair is refused."""
        if self.key_pair is not None:
            if self.key_pair == key_pair:
                return False
            raise AccountKeysAlreadySet()
        self.key_pair = key_pair
        self.revision_date = now
        return True

    def verify_email(self, email: str, now: datetime) -> bool:
        """Mark the address verified by a link mailed to `email`; False when it already was. A link for another
        address (the account's email changed since) proves nothing."""
        if normalize_email(email) != self.email:
            raise EmailVerificationInvalid()
        if self.email_verified_at is not None:
            return False
        self.email_verified_at = now
        self.revision_date = now
        return True

    def set_user_key_id(self, user_key_id: str, now: datetime) -> None:
        if not USER_KEY_ID_PATTERN.fullmatch(user_key_id):
            raise InvalidUserKeyId()
        if self.user_key_id is not None:
            raise UserKeyIdAlreadySet()
        self.user_key_id = user_key_id
        self.revision_date = now

    def change_master_password(
        self, *, password_hash: str, protected_user_key: str, master_password_hint: str | None, now: datetime
    ) -> None:
        """A new master password: the server's hash of the client's new hash, and the same user key under the new
        master key (so nothing else needs re-encrypting). Every session ends (`rotate_security_stamp`)."""
        self.protected_user_key = validate_enc_string(protected_user_key, field="key", types=(AES_CBC_HMAC,))
        self.master_password_hint = _optional_text(master_password_hint, MAX_HINT_CHARS, "masterPasswordHint")
        self.set_password_hash(password_hash)
        self.rotate_security_stamp(now)

    def recover(self, *, password_hash: str, protected_user_key: str, now: datetime) -> None:
        """An admin's account recovery: a new master password the admin's client made from the user key it opened
        with the organization's private key. The hint no longer fits it, so it goes; every session ends."""
        self.protected_user_key = validate_enc_string(protected_user_key, field="key", types=(AES_CBC_HMAC,))
        self.master_password_hint = None
        self.set_password_hash(password_hash)
        self.force_password_reset = True
        self.rotate_security_stamp(now)

    def update_temp_password(
        self, *, password_hash: str, protected_user_key: str, master_password_hint: str | None, now: datetime
    ) -> None:
        """After a recovery, the user's own new master password replaces the one the admin chose (which they were
        told, so it proves nothing more: no current hash is asked, as in Bitwarden). Every session ends."""
        if not self.force_password_reset:
            raise NoTemporaryPassword()
        self.change_master_password(
            password_hash=password_hash,
            protected_user_key=protected_user_key,
            master_password_hint=master_password_hint,
            now=now,
        )
        self.force_password_reset = False

    def change_kdf(self, *, kdf: KdfSettings, password_hash: str, protected_user_key: str, now: datetime) -> None:
        """New KDF settings change the master key, hence the password hash and the user key's wrapping."""
        self.protected_user_key = validate_enc_string(protected_user_key, field="key", types=(AES_CBC_HMAC,))
        self.kdf = kdf
        self.set_password_hash(password_hash)
        self.rotate_security_stamp(now)

    def rotate_security_stamp(self, now: datetime) -> None:
        """Tokens carry the stamp: a new one means every access token issued before no longer authenticates."""
        self.security_stamp = str(uuid.uuid4())
        self.revision_date = now
