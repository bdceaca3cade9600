"""The organization's API key (Bitwarden's `OrganizationApiKey`, type Default): `client_credentials` as
`organization.<id>` with scope `api.organization`, for automation against the organization's own routes. The secret
is shown to Owners on request; rotating makes a new secret and a new stamp, and tokens carrying the old stamp are
refused from that commit on."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from mspvault.shared.api_keys import new_client_secret
from mspvault.shared.contracts.envelope import EventData
from mspvault.shared.contracts.organization import OrganizationApiKeyRotatedV1
from mspvault.shared.errors import DomainError

DEFAULT_KEY_TYPE = 0  # Bitwarden's OrganizationApiKeyType.Default; BillingSync and Scim are not served


class UnsupportedApiKeyType(
    DomainError, message="Only the default organization API key is supported.", field="type"
): ...


@dataclass
class OrganizationApiKey:
    organization_id: uuid.UUID
    client_secret: str
    stamp: str
    revision_date: datetime
    events: list[EventData] = field(default_factory=list, repr=False)

    @classmethod
    def issue(cls, organization_id: uuid.UUID, now: datetime) -> OrganizationApiKey:
        key = cls(organization_id, new_client_secret(), uuid.uuid4().hex, now)
        key._record()
        return key

    def rotate(self, now: datetime) -> None:
        self.client_secret = new_client_secret()
        self.stamp = uuid.uuid4().hex
        self.revision_date = now
        self._record()

    def _record(self) -> None:
        digest = hashlib.sha256(self.client_secret.encode()).hexdigest()
        self.events.append(
            OrganizationApiKeyRotatedV1(
                organization_id=self.organization_id, client_secret_digest=digest, key_stamp=self.stamp
            )
        )
