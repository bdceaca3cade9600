"""Provider (MSP) endpoints: setup, members, and client organizations (bitwarden-provider-model.md §2).

Key flow: the first Provider Admin makes the provider key at setup and keeps it wrapped under their own
RSA key; confirming a member wraps it under theirs; each client org key is stored wrapped by the provider
key, which is how every confirmed provider user reaches every client vault.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from mspvault.client.crypto import SymmetricKey, generate_key_pair, public_key_of, wrap_for_public_key
from mspvault.client.directory import public_key_to_wrap_for
from mspvault.client.session import SessionFn
from mspvault.client.wire import JsonObject, RequestFn, list_data, pick, require_object, segment


class ProviderType(IntEnum):
    MSP = 0
    RESELLER = 1
    BUSINESS_UNIT = 2


class ProviderUserType(IntEnum):
    PROVIDER_ADMIN = 0
    SERVICE_USER = 1


class ClientPlanType(IntEnum):
    """The plan types an MSP may give a client (Bitwarden PlanType values)."""

    TEAMS_MONTHLY = 17
    ENTERPRISE_MONTHLY = 19
    ENTERPRISE_ANNUALLY = 20


@dataclass(frozen=True)
class CreatedClient:
    organization_id: str | None  # None when the server answers 200 without a body, as Bitwarden does
    org_key: SymmetricKey = field(repr=False)
    response: Any = field(repr=False)


class ProvidersApi:
    def __init__(self, request: RequestFn, session: SessionFn) -> None:
        self._request = request
        self._session = session

    async def open(self, *, name: str, owner_email: str, provider_type: ProviderType = ProviderType.MSP) -> JsonObject:
        """Platform operators only (others get 404): create a provider and mail its first admin an invite."""
        body = await self._request(
            "POST",
            "/api/admin/providers",
            json={"name": name, "type": int(provider_type), "ownerEmail": owner_email},
        )
        return require_object(body, "the provider")

    async def get(self, provider_id: str) -> JsonObject:
        return require_object(await self._request("GET", _base(provider_id)), "the provider")

    async def setup(
        self,
        provider_id: str,
        *,
        token: str,
        name: str,
        billing_email: str,
        business_name: str | None = None,
    ) -> JsonObject:
        """Finish a provider the operator created: make the provider key and keep it for ourselves."""
        session = self._session()
        provider_key = SymmetricKey.generate()
        own_copy = wrap_for_public_key(provider_key.to_bytes(), public_key_of(session.private_key))
        body = await self._request(
            "POST",
            f"{_base(provider_id)}/setup",
            json={
                "name": name,
                "businessName": business_name,
                "billingEmail": billing_email,
                "token": token,
                "key": str(own_copy),
            },
        )
        session.provider_keys[provider_id] = provider_key
        return require_object(body, "the provider")

    async def invite_users(self, provider_id: str, emails: Iterable[str], user_type: ProviderUserType) -> Any:
        return await self._request(
            "POST",
            f"{_base(provider_id)}/users/invite",
            json={"emails": list(emails), "type": int(user_type)},
        )

    async def accept_invite(self, provider_id: str, provider_user_id: str, token: str) -> None:
        await self._request(
            "POST", f"{_base(provider_id)}/users/{segment(provider_user_id)}/accept", json={"token": token}
        )

    async def list_users(self, provider_id: str) -> list[JsonObject]:
        return list_data(await self._request("GET", f"{_base(provider_id)}/users"))

    async def get_user(self, provider_id: str, provider_user_id: str) -> JsonObject:
        body = await self._request("GET", f"{_base(provider_id)}/users/{segment(provider_user_id)}")
        return require_object(body, "the provider user")

    async def confirm_user(self, provider_id: str, provider_user_id: str, *, public_key: str | None = None) -> None:
        """Hand the provider key to an accepted member (`public_key`: see `public_key_to_wrap_for`)."""
        provider_key = self._session().provider_key(provider_id)
        public_key = await public_key_to_wrap_for(
            self._request, lambda: self.get_user(provider_id, provider_user_id), public_key
        )
        wrapped = wrap_for_public_key(provider_key.to_bytes(), public_key)
        await self._request(
            "POST",
            f"{_base(provider_id)}/users/{segment(provider_user_id)}/confirm",
            json={"key": str(wrapped)},
        )

    async def revoke_user(self, provider_id: str, provider_user_id: str) -> None:
        """Suspend a provider user (MSPVault's addition): their reach into every client org ends."""
        await self._request("POST", f"{_base(provider_id)}/users/{segment(provider_user_id)}/revoke")

    async def restore_user(self, provider_id: str, provider_user_id: str) -> None:
        await self._request("POST", f"{_base(provider_id)}/users/{segment(provider_user_id)}/restore")

    async def remove_user(self, provider_id: str, provider_user_id: str) -> None:
        await self._request("DELETE", f"{_base(provider_id)}/users/{segment(provider_user_id)}")

    async def create_client(
        self,
        provider_id: str,
        *,
        name: str,
        owner_email: str,
        plan_type: ClientPlanType = ClientPlanType.ENTERPRISE_MONTHLY,
        seats: int = 1,
        collection_name: str = "Default collection",
    ) -> CreatedClient:
        """Create a client org. Its key, key pair and default collection name are all made here."""
        session = self._session()
        org_key = SymmetricKey.generate()
        org_key_pair = generate_key_pair()
        body = await self._request(
            "POST",
            f"{_base(provider_id)}/clients",
            json={
                "name": name,
                "ownerEmail": owner_email,
                "planType": int(plan_type),
                "seats": seats,
                "key": str(session.provider_key(provider_id).encrypt(org_key.to_bytes())),
                "keyPair": {
                    "publicKey": org_key_pair.public_key,
                    "encryptedPrivateKey": str(org_key.encrypt(org_key_pair.private_key)),
                },
                "collectionName": str(org_key.encrypt_str(collection_name)),
            },
        )
        organization_id = None
        if isinstance(body, dict):
            organization_id = pick(body, "organizationId") or pick(body, "id")
        if organization_id:
            session.org_keys[organization_id] = org_key
        return CreatedClient(organization_id, org_key, body)

    async def list_clients(self, provider_id: str) -> list[JsonObject]:
        """The provider's client orgs; also opens their org keys so later calls can encrypt for them."""
        clients = list_data(await self._request("GET", f"{_base(provider_id)}/organizations"))
        session = self._session()
        for link in clients:
            session.remember_client_org_key({"providerId": provider_id, **link})
        return clients


def _base(provider_id: str) -> str:
    return f"/api/providers/{segment(provider_id)}"
