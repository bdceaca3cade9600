"""Bitwarden-compatible client-side cryptography. Pure: no I/O, no logging.

The server only ever sees what this module produces: a master-password hash, public keys and EncStrings.
Recipe and test vectors: shared/reference/bw-cli-api.md §4.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Self

from argon2.low_level import Type as Argon2Type
from argon2.low_level import hash_secret_raw
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand
from cryptography.hazmat.primitives.padding import PKCS7

from mspvault.client.encstring import (
    IV_SIZE,
    CryptoError,
    EncString,
    EncType,
    MalformedEncString,
    UnsupportedEncStringType,
    as_enc_string,
    b64decode,
    b64encode,
)

__all__ = [
    "AccountKeys",
    "CryptoError",
    "DecryptionFailed",
    "EncString",
    "EncType",
    "InvalidKdfConfig",
    "InvalidKey",
    "KdfConfig",
    "KdfType",
    "MacMismatch",
    "MalformedEncString",
    "MasterKey",
    "RsaKeyPair",
    "SymmetricKey",
    "UnsupportedEncStringType",
    "b64decode",
    "b64encode",
    "derive_master_key",
    "generate_key_pair",
    "make_account_keys",
    "master_password_hash",
    "normalize_email",
    "public_key_of",
    "stretch_master_key",
    "unlock_private_key",
    "unlock_user_key",
    "unwrap_symmetric_key",
    "unwrap_with_private_key",
    "wrap_for_public_key",
]

KEY_SIZE = 32
RSA_BITS = 2048


# --- errors -----------------------------------------------------------------------------------------------


class DecryptionFailed(CryptoError):
    """Wrong key, or data not produced by this key. Deliberately says nothing about the plaintext."""


class MacMismatch(DecryptionFailed):
    """The HMAC over iv||ct does not verify: tampered data or the wrong key."""


class InvalidKdfConfig(CryptoError, ValueError):
    """KDF parameters outside Bitwarden's accepted range (also guards against a pre-login downgrade)."""


class InvalidKey(CryptoError, ValueError):
    """Key material of the wrong size, kind or encoding."""


# --- symmetric keys ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SymmetricKey:
    """64 bytes: AES-256 key then HMAC-SHA256 key. Used for user, org and provider keys, and the stretched
    master key. The bytes are kept out of repr so a key never ends up in a log line."""

    enc_key: bytes = field(repr=False)
    mac_key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.enc_key) != KEY_SIZE or len(self.mac_key) != KEY_SIZE:
            raise InvalidKey(f"a symmetric key is two {KEY_SIZE}-byte halves")

    @classmethod
    def generate(cls) -> Self:
        return cls.from_bytes(os.urandom(2 * KEY_SIZE))

    @classmethod
    def from_bytes(cls, raw: bytes) -> Self:
        if len(raw) != 2 * KEY_SIZE:
            # 32-byte keys without a MAC half are Bitwarden's legacy type 0; we refuse them.
            raise InvalidKey(f"a symmetric key is {2 * KEY_SIZE} bytes, got {len(raw)}")
        return cls(raw[:KEY_SIZE], raw[KEY_SIZE:])

    def to_bytes(self) -> bytes:
        return self.enc_key + self.mac_key

    def encrypt(self, plaintext: bytes) -> EncString:
        iv = os.urandom(IV_SIZE)
        padder = PKCS7(algorithms.AES.block_size).padder()
        padded = padder.update(plaintext) + padder.finalize()
        encryptor = Cipher(algorithms.AES(self.enc_key), modes.CBC(iv)).encryptor()
        ciphertext = encryptor.update(padded) + encryptor.finalize()
        return EncString(EncType.AES_CBC_256_HMAC_SHA256_B64, ciphertext, iv, self._mac(iv, ciphertext))

    def decrypt(self, value: EncString | str) -> bytes:
        enc = as_enc_string(value)
        if enc.enc_type is not EncType.AES_CBC_256_HMAC_SHA256_B64:
            raise UnsupportedEncStringType("a symmetric key opens type 2 only; type 4 needs a private key")
        iv, ciphertext, mac = enc.aes_parts()
        # Verify before decrypting, in constant time: never feed unauthenticated bytes to CBC unpadding.
        if not hmac.compare_digest(self._mac(iv, ciphertext), mac):
            raise MacMismatch("MAC check failed")
        decryptor = Cipher(algorithms.AES(self.enc_key), modes.CBC(iv)).decryptor()
        padded = decryptor.update(ciphertext) + decryptor.finalize()
        unpadder = PKCS7(algorithms.AES.block_size).unpadder()
        try:
            return unpadder.update(padded) + unpadder.finalize()
        except ValueError as exc:
            raise DecryptionFailed("bad padding") from exc

    def encrypt_str(self, text: str) -> EncString:
        return self.encrypt(text.encode("utf-8"))

    def decrypt_str(self, value: EncString | str) -> str:
        try:
            return self.decrypt(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecryptionFailed("plaintext is not UTF-8") from exc

    def _mac(self, iv: bytes, ciphertext: bytes) -> bytes:
        return hmac.new(self.mac_key, iv + ciphertext, hashlib.sha256).digest()


# --- KDF and master key -----------------------------------------------------------------------------------


class KdfType(IntEnum):
    PBKDF2_SHA256 = 0
    ARGON2ID = 1


# Bitwarden's accepted ranges (server KdfConstants). The PBKDF2 floor is the CLI's pre-login downgrade
# guard: a hostile server must not be able to talk us into a cheap KDF.
PBKDF2_ITERATIONS = range(5_000, 2_000_001)
ARGON2_ITERATIONS = range(2, 11)
ARGON2_MEMORY_MIB = range(15, 1025)
ARGON2_PARALLELISM = range(1, 17)


@dataclass(frozen=True)
class KdfConfig:
    kdf_type: KdfType
    iterations: int
    memory: int | None = None  # MiB, Argon2id only
    parallelism: int | None = None  # Argon2id only

    def __post_init__(self) -> None:
        if self.kdf_type is KdfType.PBKDF2_SHA256:
            if self.iterations not in PBKDF2_ITERATIONS:
                raise InvalidKdfConfig("PBKDF2 iterations out of range")
            if self.memory is not None or self.parallelism is not None:
                raise InvalidKdfConfig("PBKDF2 takes no memory or parallelism")
        elif self.kdf_type is KdfType.ARGON2ID:
            if self.iterations not in ARGON2_ITERATIONS:
                raise InvalidKdfConfig("Argon2id iterations out of range")
            if self.memory not in ARGON2_MEMORY_MIB:
                raise InvalidKdfConfig("Argon2id memory (MiB) out of range")
            if self.parallelism not in ARGON2_PARALLELISM:
                raise InvalidKdfConfig("Argon2id parallelism out of range")
        else:  # pragma: no cover
            raise InvalidKdfConfig(f"unknown KDF type {self.kdf_type!r}")

    @classmethod
    def pbkdf2(cls, iterations: int = 600_000) -> Self:
        return cls(KdfType.PBKDF2_SHA256, iterations)

    @classmethod
    def argon2id(cls, iterations: int = 3, memory: int = 64, parallelism: int = 4) -> Self:
        return cls(KdfType.ARGON2ID, iterations, memory, parallelism)

    @classmethod
    def from_wire(cls, kdf_type: object, iterations: object, memory: object, parallelism: object) -> Self:
        """Build from untrusted JSON numbers (prelogin); anything odd is an InvalidKdfConfig."""
        try:
            kind = KdfType(_as_int(kdf_type))
        except ValueError as exc:
            raise InvalidKdfConfig("unknown KDF type") from exc
        if kind is KdfType.PBKDF2_SHA256:
            return cls(kind, _as_int(iterations))
        return cls(kind, _as_int(iterations), _as_int(memory), _as_int(parallelism))


def _as_int(value: object) -> int:
    # bool is an int subclass; a JSON `true` is never a valid KDF parameter.
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidKdfConfig("KDF parameters must be integers")
    return value


@dataclass(frozen=True)
class MasterKey:
    """32 bytes derived from the master password. Never leaves the client."""

    key: bytes = field(repr=False)


def normalize_email(email: str) -> str:
    """The KDF salt, and the form the server stores: trimmed and lower-cased."""
    return email.strip().lower()


def derive_master_key(password: str, email: str, kdf: KdfConfig) -> MasterKey:
    secret = password.encode("utf-8")
    salt = normalize_email(email).encode("utf-8")
    if kdf.kdf_type is KdfType.PBKDF2_SHA256:
        return MasterKey(hashlib.pbkdf2_hmac("sha256", secret, salt, kdf.iterations, KEY_SIZE))
    if kdf.memory is None or kdf.parallelism is None:  # pragma: no cover - KdfConfig validated them
        raise InvalidKdfConfig("Argon2id needs memory and parallelism")
    derived = hash_secret_raw(
        secret,
        hashlib.sha256(salt).digest(),  # Bitwarden hashes the salt: Argon2 wants a fixed-size salt
        time_cost=kdf.iterations,
        memory_cost=kdf.memory * 1024,  # MiB -> KiB
        parallelism=kdf.parallelism,
        hash_len=KEY_SIZE,
        type=Argon2Type.ID,
    )
    return MasterKey(derived)


def master_password_hash(master_key: MasterKey, password: str) -> str:
    """What the client sends instead of the password: PBKDF2(masterKey, salt=password, 1 iteration)."""
    return b64encode(hashlib.pbkdf2_hmac("sha256", master_key.key, password.encode("utf-8"), 1, KEY_SIZE))


def stretch_master_key(master_key: MasterKey) -> SymmetricKey:
    """HKDF-Expand only (the master key is already uniformly random), info "enc" and "mac"."""

    def expand(info: bytes) -> bytes:
        return HKDFExpand(hashes.SHA256(), KEY_SIZE, info).derive(master_key.key)

    return SymmetricKey(expand(b"enc"), expand(b"mac"))


# --- RSA --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RsaKeyPair:
    public_key: str  # base64 SubjectPublicKeyInfo DER, as the server stores it
    private_key: bytes = field(repr=False)  # PKCS#8 DER


def generate_key_pair() -> RsaKeyPair:
    private = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return RsaKeyPair(public_key_of(der), der)


def public_key_of(private_key: bytes) -> str:
    spki = (
        _load_private_key(private_key)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return b64encode(spki)


# Type 4 is defined as RSA-OAEP with SHA-1 (MGF1 and label hash). SHA-1's collision weakness does not
# touch OAEP's security; the choice is Bitwarden's wire format, not ours to change.
_OAEP_SHA1 = rsa_padding.OAEP(
    mgf=rsa_padding.MGF1(hashes.SHA1()),  # noqa: S303
    algorithm=hashes.SHA1(),  # noqa: S303
    label=None,
)


def wrap_for_public_key(key_bytes: bytes, public_key: str) -> EncString:
    """Hand a key (org or provider key) to a member: a type-4 EncString only their private key opens."""
    try:
        loaded = serialization.load_der_public_key(b64decode(public_key, "public key"))
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InvalidKey("not a DER SubjectPublicKeyInfo") from exc
    except MalformedEncString as exc:
        raise InvalidKey("public key is not valid base64") from exc
    if not isinstance(loaded, rsa.RSAPublicKey) or loaded.key_size != RSA_BITS:
        raise InvalidKey(f"type 4 needs an RSA-{RSA_BITS} public key")
    return EncString(EncType.RSA_2048_OAEP_SHA1_B64, loaded.encrypt(key_bytes, _OAEP_SHA1))


def unwrap_with_private_key(value: EncString | str, private_key: bytes) -> bytes:
    enc = as_enc_string(value)
    if enc.enc_type is not EncType.RSA_2048_OAEP_SHA1_B64:
        raise UnsupportedEncStringType("a private key opens type 4 only")
    try:
        return _load_private_key(private_key).decrypt(enc.data, _OAEP_SHA1)
    except ValueError as exc:
        raise DecryptionFailed("RSA-OAEP decryption failed") from exc


def _load_private_key(der: bytes) -> rsa.RSAPrivateKey:
    try:
        loaded = serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise InvalidKey("not an unencrypted PKCS#8 DER private key") from exc
    if not isinstance(loaded, rsa.RSAPrivateKey) or loaded.key_size != RSA_BITS:
        raise InvalidKey(f"expected an RSA-{RSA_BITS} private key")
    return loaded


# --- account keys -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountKeys:
    """Everything registration sends, plus the in-memory keys the new account unlocks to."""

    email: str
    kdf: KdfConfig
    master_password_hash: str = field(repr=False)
    protected_user_key: EncString  # user key under the stretched master key ("key" on the wire)
    public_key: str
    encrypted_private_key: EncString  # PKCS#8 DER under the user key
    user_key: SymmetricKey = field(repr=False)
    private_key: bytes = field(repr=False)


def make_account_keys(email: str, password: str, kdf: KdfConfig) -> AccountKeys:
    master_key = derive_master_key(password, email, kdf)
    user_key = SymmetricKey.generate()
    key_pair = generate_key_pair()
    return AccountKeys(
        email=normalize_email(email),
        kdf=kdf,
        master_password_hash=master_password_hash(master_key, password),
        protected_user_key=stretch_master_key(master_key).encrypt(user_key.to_bytes()),
        public_key=key_pair.public_key,
        encrypted_private_key=user_key.encrypt(key_pair.private_key),
        user_key=user_key,
        private_key=key_pair.private_key,
    )


@dataclass(frozen=True)
class NewMasterPassword:
    """What a master-password change sends: the new hash, and the same user key under the new master key."""

    master_password_hash: str = field(repr=False)
    protected_user_key: EncString


def rewrap_user_key(email: str, password: str, kdf: KdfConfig, user_key: SymmetricKey) -> NewMasterPassword:
    """The user key protected by a new master password (and/or new KDF settings); nothing else changes."""
    master_key = derive_master_key(password, email, kdf)
    return NewMasterPassword(
        master_password_hash=master_password_hash(master_key, password),
        protected_user_key=stretch_master_key(master_key).encrypt(user_key.to_bytes()),
    )


def unlock_user_key(master_key: MasterKey, protected_user_key: EncString | str) -> SymmetricKey:
    """A wrong password shows up here, as MacMismatch."""
    return SymmetricKey.from_bytes(stretch_master_key(master_key).decrypt(protected_user_key))


def unlock_private_key(user_key: SymmetricKey, encrypted_private_key: EncString | str) -> bytes:
    der = user_key.decrypt(encrypted_private_key)
    _load_private_key(der)  # fail now, not at the first unwrap, if the bytes are not a key
    return der


def unwrap_symmetric_key(
    value: EncString | str, *, private_key: bytes | None = None, wrapping_key: SymmetricKey | None = None
) -> SymmetricKey:
    """Open a shared (org or provider) key: type 4 with our private key, type 2 with a symmetric key."""
    enc = as_enc_string(value)
    if enc.enc_type is EncType.RSA_2048_OAEP_SHA1_B64:
        if private_key is None:
            raise InvalidKey("a type-4 key needs the private key")
        return SymmetricKey.from_bytes(unwrap_with_private_key(enc, private_key))
    if wrapping_key is None:
        raise InvalidKey("a type-2 key needs the wrapping symmetric key")
    return SymmetricKey.from_bytes(wrapping_key.decrypt(enc))
