"""Bitwarden's EncString: the one format every encrypted value travels in (`2.iv|ct|mac`, `4.ct`)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from enum import IntEnum
from typing import Self

IV_SIZE = 16
MAC_SIZE = 32
RSA_CIPHERTEXT_SIZE = 2048 // 8


# --- errors -----------------------------------------------------------------------------------------------


class CryptoError(Exception):
    """Base of every error the client's crypto raises (here and in crypto.py)."""


class MalformedEncString(CryptoError, ValueError):
    """The text is not a well-formed EncString."""


class UnsupportedEncStringType(MalformedEncString):
    """An EncString type this client does not read or write (only types 2 and 4)."""


# --- base64 -----------------------------------------------------------------------------------------------


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str, what: str) -> bytes:
    """Strict standard base64; `what` names the field in the error, never its value."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedEncString(f"{what} is not valid base64") from exc


# --- EncString --------------------------------------------------------------------------------------------


class EncType(IntEnum):
    AES_CBC_256_HMAC_SHA256_B64 = 2
    RSA_2048_OAEP_SHA1_B64 = 4


@dataclass(frozen=True)
class EncString:
    """An encrypted value in Bitwarden's wire format: `2.iv|ct|mac` or `4.ct`.

    Construction validates the shape, so an EncString in hand is always well formed.
    """

    enc_type: EncType
    data: bytes
    iv: bytes | None = None
    mac: bytes | None = None

    def __post_init__(self) -> None:
        if self.enc_type is EncType.AES_CBC_256_HMAC_SHA256_B64:
            if self.iv is None or len(self.iv) != IV_SIZE:
                raise MalformedEncString(f"type 2 needs a {IV_SIZE}-byte IV")
            if self.mac is None or len(self.mac) != MAC_SIZE:
                raise MalformedEncString(f"type 2 needs a {MAC_SIZE}-byte MAC")
            if not self.data or len(self.data) % IV_SIZE:
                raise MalformedEncString("type 2 ciphertext must be a non-empty multiple of the AES block")
        elif self.enc_type is EncType.RSA_2048_OAEP_SHA1_B64:
            if self.iv is not None or self.mac is not None:
                raise MalformedEncString("type 4 carries neither IV nor MAC")
            if len(self.data) != RSA_CIPHERTEXT_SIZE:
                raise MalformedEncString(f"type 4 ciphertext must be {RSA_CIPHERTEXT_SIZE} bytes")
        else:  # pragma: no cover - EncType is closed; guards against casts
            raise UnsupportedEncStringType(f"EncString type {self.enc_type!r}")

    @classmethod
    def parse(cls, text: str) -> Self:
        if not isinstance(text, str):
            raise MalformedEncString("an EncString must be a string")
        header, dot, body = text.partition(".")
        if not dot or not header.isdigit():
            raise MalformedEncString("an EncString starts with '<type>.'")
        try:
            enc_type = EncType(int(header))
        except ValueError as exc:
            raise UnsupportedEncStringType(f"EncString type {header} is not supported") from exc
        parts = body.split("|")
        if enc_type is EncType.AES_CBC_256_HMAC_SHA256_B64:
            if len(parts) != 3:
                raise MalformedEncString("type 2 has three parts: iv|ct|mac")
            iv, data, mac = (b64decode(p, name) for p, name in zip(parts, ("iv", "ct", "mac"), strict=True))
            return cls(enc_type, data, iv, mac)
        if len(parts) != 1:
            raise MalformedEncString("type 4 has one part")
        return cls(enc_type, b64decode(parts[0], "ct"))

    def aes_parts(self) -> tuple[bytes, bytes, bytes]:
        """(iv, ct, mac) of a type-2 EncString."""
        if self.iv is None or self.mac is None:
            raise UnsupportedEncStringType("not a type-2 EncString")
        return self.iv, self.data, self.mac

    def __str__(self) -> str:
        if self.enc_type is EncType.AES_CBC_256_HMAC_SHA256_B64:
            iv, data, mac = self.aes_parts()
            return f"2.{b64encode(iv)}|{b64encode(data)}|{b64encode(mac)}"
        return f"4.{b64encode(self.data)}"


def as_enc_string(value: EncString | str) -> EncString:
    return value if isinstance(value, EncString) else EncString.parse(value)
