"""Bitwarden's fingerprint phrase: five words a person reads aloud to check a public key out of band.

Before handing an org or provider key to someone, the confirming admin compares this phrase with the one the
invitee sees on their own screen; a server that swapped the public key cannot make the phrases agree.

Algorithm (Bitwarden clients' `getFingerprint`/`hashPhrase`, sdk-internal `fingerprint.rs`):
f = HKDF-Expand-SHA256(PRK = SHA-256(SPKI DER), info = material, 32 bytes); read f as a big-endian integer and
take five base-7,776 digits, least significant first, as indices into the EFF long word list. The material is
the account's user id (the org id for an org fingerprint).
"""

from __future__ import annotations

import hashlib
import math
from functools import cache
from importlib import resources

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

from mspvault.client.encstring import b64decode

WORDLIST_FILE = "eff_large_wordlist.txt"
MINIMUM_ENTROPY_BITS = 64


@cache
def eff_long_word_list() -> tuple[str, ...]:
    """The EFF long word list (7,776 words, CC BY 3.0), in dice order."""
    text = resources.files("mspvault.client").joinpath(WORDLIST_FILE).read_text(encoding="utf-8")
    words = tuple(line for line in text.splitlines() if line)
    if len(words) != 6**5:  # pragma: no cover - guards a damaged package
        raise RuntimeError(f"{WORDLIST_FILE} has {len(words)} words, expected 7776")
    return words


def fingerprint_phrase(material: str, public_key: str) -> str:
    """The phrase for `public_key` (base64 SPKI DER, as the server stores it) and `material` (a user id)."""
    spki = b64decode(public_key, "public key")
    digest = HKDFExpand(hashes.SHA256(), 32, material.encode("utf-8")).derive(hashlib.sha256(spki).digest())
    return hash_phrase(digest)


def hash_phrase(digest: bytes) -> str:
    words = eff_long_word_list()
    count = math.ceil(MINIMUM_ENTROPY_BITS / math.log2(len(words)))
    if count * math.log2(len(words)) > len(digest) * 4:  # Bitwarden's guard, counting 4 bits a byte
        raise ValueError("digest too short for a fingerprint phrase")
    number = int.from_bytes(digest, "big")
    phrase = []
    for _ in range(count):
        number, index = divmod(number, len(words))
        phrase.append(words[index])
    return "-".join(phrase)
