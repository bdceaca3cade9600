"""One small typed client per service, all sharing the gateway's pooled HTTP client."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from mspvault.gateway.clients.base import ServiceClient, ServiceHealth, UpstreamError
from mspvault.gateway.clients.identity import IdentityClient
from mspvault.gateway.clients.organization import OrganizationClient
from mspvault.gateway.clients.provider import ProviderClient
from mspvault.gateway.clients.vault import VaultClient
from mspvault.gateway.routing import Service
from mspvault.shared.settings import GatewaySettings


@dataclass(frozen=True)
class ServiceClients:
    identity: IdentityClient
    provider: ProviderClient
    organization: OrganizationClient
    vault: VaultClient

    @classmethod
    def build(cls, settings: GatewaySettings, http: httpx.AsyncClient) -> ServiceClients:
        return cls(
            identity=IdentityClient(Service.IDENTITY, settings.identity_url.rstrip("/"), http),
            provider=ProviderClient(Service.PROVIDER, settings.provider_url.rstrip("/"), http),
            organization=OrganizationClient(Service.ORGANIZATION, settings.organization_url.rstrip("/"), http),
            vault=VaultClient(Service.VAULT, settings.vault_url.rstrip("/"), http),
        )

    def all(self) -> tuple[ServiceClient, ...]:
        return (self.identity, self.provider, self.organization, self.vault)

    def of(self, service: Service) -> ServiceClient:
        client: ServiceClient = getattr(self, service.value)  # the fields are named after the services
        return client


__all__ = ["ServiceClient", "ServiceClients", "ServiceHealth", "UpstreamError"]
