"""Identity's one projection: the organizations' API keys, so the token endpoint can check an organization's
secret without asking the organization service. Runs in the inbox transaction; never commits."""

from __future__ import annotations

from mspvault.identity.domain.organization_keys import OrganizationKey
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.organization import OrganizationApiKeyRotatedV1


async def organization_api_key_rotated(
    work: IdentityWork, event: OrganizationApiKeyRotatedV1, envelope: Envelope
) -> None:
    key = OrganizationKey(event.organization_id, event.client_secret_digest, event.key_stamp)
    await work.organization_keys.save(key, envelope.occurred_at)
