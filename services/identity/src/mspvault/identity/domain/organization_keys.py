"""What identity knows of an organization's API key: the digest of its secret and its stamp (the organization
service owns the key; identity checks the secret at the token endpoint and puts the stamp in the token)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass

from mspvault.identity.domain.api_keys import id_of_client_id

ORGANIZATION_CLIENT_PREFIX = "organization."
ORGANIZATION_SCOPE = ("api.organization",)


def organization_of_client_id(client_id: str) -> uuid.UUID | None:
    return id_of_client_id(client_id, ORGANIZATION_CLIENT_PREFIX)


@dataclass(frozen=True)
class OrganizationKey:
    organization_id: uuid.UUID
    client_secret_digest: str
    key_stamp: str

    def admits(self, secret: str) -> bool:
        return hmac.compare_digest(self.client_secret_digest, hashlib.sha256(secret.encode()).hexdigest())
