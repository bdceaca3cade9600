"""KDF settings a client may register with: Bitwarden's types and the bounds its clients enforce.

The server never runs this KDF (clients do); it stores the settings and hands them back at prelogin, so the
bounds are what keeps an account from being created with a cheap, brute-forceable master key.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import IntEnum

from mspvault.shared.errors import DomainError

PBKDF2_ITERATIONS = range(600_000, 2_000_001)
ARGON2_ITERATIONS = range(2, 11)
ARGON2_MEMORY_MIB = range(16, 1025)
ARGON2_PARALLELISM = range(1, 17)


class KdfType(IntEnum):
    PBKDF2_SHA256 = 0
    ARGON2ID = 1


class InvalidKdf(DomainError):
    """KDF settings outside the accepted range."""


@dataclass(frozen=True)
class KdfSettings:
    kdf_type: KdfType
    iterations: int
    memory: int | None = None  # MiB, Argon2id only
    parallelism: int | None = None  # Argon2id only

    @classmethod
    def parse(cls, kdf_type: int, iterations: int, memory: int | None, parallelism: int | None) -> KdfSettings:
        """Validate what a client sent. PBKDF2 ignores memory and parallelism, as Bitwarden does."""
        try:
            kind = KdfType(kdf_type)
        except ValueError as error:
            raise InvalidKdf("Unknown KDF type.", field="kdf") from error
        if kind is KdfType.PBKDF2_SHA256:
            _require_in(iterations, PBKDF2_ITERATIONS, "PBKDF2 iterations", "kdfIterations")
            return cls(kind, iterations)
        _require_in(iterations, ARGON2_ITERATIONS, "Argon2 iterations", "kdfIterations")
        _require_in(memory, ARGON2_MEMORY_MIB, "Argon2 memory (MiB)", "kdfMemory")
        _require_in(parallelism, ARGON2_PARALLELISM, "Argon2 parallelism", "kdfParallelism")
        return cls(kind, iterations, memory, parallelism)


DEFAULT_KDF = KdfSettings(KdfType.PBKDF2_SHA256, 600_000)


def _require_in(value: int | None, allowed: range, what: str, field: str) -> None:
    if value is None or value not in allowed:
        raise InvalidKdf(f"{what} must be between {allowed.start} and {allowed.stop - 1}.", field=field)


# What prelogin answers for an email without an account (issue 11 #9): settings clients really register with, one
# picked per email by an HMAC under a server secret. Stable (asking twice gives the same answer) and, without the
# secret, not to be told apart from an account that chose the same; the defaults stay the most common answer.
PLAUSIBLE_KDFS: tuple[tuple[KdfSettings, int], ...] = (
    (DEFAULT_KDF, 6),
    (KdfSettings(KdfType.ARGON2ID, 3, 64, 4), 3),  # Bitwarden's Argon2id defaults
    (KdfSettings(KdfType.PBKDF2_SHA256, 1_000_000), 1),
)


def fake_kdf(secret: bytes, email: str) -> KdfSettings:
    """`email` as stored (normalized); `secret` never leaves the server."""
    digest = hmac.new(secret, b"prelogin-kdf\0" + email.encode(), hashlib.sha256).digest()
    pick = int.from_bytes(digest[:8], "big") % sum(weight for _, weight in PLAUSIBLE_KDFS)
    for settings, weight in PLAUSIBLE_KDFS:
        if pick < weight:
            return settings
        pick -= weight
    raise AssertionError("unreachable: pick < total weight")
