"""Secrets the client makes up for people: passwords and SSH keys. Made here, never by the server."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

# No look-alikes (0/O, 1/l/I), so a password read off a terminal can be typed back.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(groups: int = 4, group_size: int = 5) -> str:
    """E.g. `k7PzQ-4mXqa-Rt2vb-9HcNe`: about 117 bits with the defaults."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(group_size)) for _ in range(groups))


@dataclass(frozen=True)
class SshKeyPair:
    private_key: str = field(repr=False)  # OpenSSH PEM
    public_key: str  # `ssh-ed25519 AAAA…`
    fingerprint: str  # `SHA256:…`, as ssh-keygen -l prints it


def generate_ssh_key(comment: str = "") -> SshKeyPair:
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    ).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    blob = base64.b64decode(public.split()[1])
    fingerprint = "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return SshKeyPair(private, f"{public} {comment}".strip(), fingerprint)
