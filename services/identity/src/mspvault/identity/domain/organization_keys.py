"""What identity knows of an organization's API key: the digest of its secret and its stamp (the organization
service owns the key; identity checks the secret at the token endpoint and puts the stamp in the token)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass

ORGANIZATION_CLIENT_PREFIX = "organization."
ORGANIZATION_SCOPE = ("api.organization",)


def organization_of_client_id(client_id: str) -> uuid.UUID | None:
    if not client_id.startswith(ORGANIZATION_CLIENT_PREFIX):
        return None
    try:
        return uuid.UUID(client_id[len(ORGANIZATION_CLIENT_PREFIX) :])
    except ValueError:
        return None


@dataclass(frozen=True)
class OrganizationKey:
    organization_id: uuid.UUID
    client_secret_digest: str
    key_stamp: str

    def admits(self, secret: str) -> bool:
        return hmac.compare_digest(self.client_secret_digest, hashlib.sha256(secret.encode()).hexdigest())
