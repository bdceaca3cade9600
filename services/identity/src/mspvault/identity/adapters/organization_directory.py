"""Identity's calls to other services, over their `/internal` API and as the caller (their own bearer token): account
recovery asks the organization service whether the caller may recover a member; deleting an account asks it and the
provider service whether the caller is the only Owner of something. Identity acts only on those answers, from the
URLs in its own settings; the services check the token themselves, as always."""

from __future__ import annotations

import uuid

import httpx

from mspvault.identity.domain.account_recovery import RecoveryRefused, RecoveryTarget
from mspvault.shared.observability.correlation import correlation_id

TIMEOUT_SECONDS = 10.0


class OrganizationUnavailable(Exception):
    """The organization service did not answer: the recovery cannot be judged (503)."""


class HttpOrganizationDirectory:
    def __init__(self, base_url: str, provider_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.provider_url = provider_url.rstrip("/")

    async def sole_ownership(self, bearer: str) -> tuple[int, int]:
        """(organizations, providers) the caller is the only Owner / Provider Admin of."""
        organizations = await self._count(self.base_url, bearer, "organizations")
        providers = await self._count(self.provider_url, bearer, "providers")
        return organizations, providers

    async def _count(self, base_url: str, bearer: str, field: str) -> int:
        try:
            async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT_SECONDS, trust_env=False) as http:
                response = await http.get("/internal/sole-ownership", headers=_headers(bearer))
        except httpx.HTTPError as error:
            raise OrganizationUnavailable(str(error)) from error
        if response.status_code != 200:
            raise OrganizationUnavailable(f"{base_url} answered {response.status_code}")
        return int(response.json().get(field, 0))

    async def recovery_target(self, bearer: str, org_id: uuid.UUID, member_id: uuid.UUID) -> RecoveryTarget | None:
        path = f"/internal/organizations/{org_id}/users/{member_id}/account-recovery"
        headers = _headers(bearer)
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=TIMEOUT_SECONDS, trust_env=False) as http:
                response = await http.get(path, headers=headers)
        except httpx.HTTPError as error:
            raise OrganizationUnavailable(str(error)) from error
        if response.status_code in (401, 404):
            return None
        if response.status_code == 400:  # a rule refused it (not enrolled, policy off): say so to the caller
            raise RecoveryRefused(_message(response))
        if response.status_code != 200:
            raise OrganizationUnavailable(f"organization answered {response.status_code}")
        body = response.json()
        return RecoveryTarget(
            organization_user_id=uuid.UUID(body["organizationUserId"]),
            user_id=uuid.UUID(body["userId"]),
            email=body["email"],
            reset_password_key=body["resetPasswordKey"],
            encrypted_private_key=body["encryptedPrivateKey"],
        )


def _message(response: httpx.Response) -> str:
    try:
        message = response.json().get("message")
    except ValueError:
        message = None
    return message if isinstance(message, str) and message else "The member cannot be recovered."


def _headers(bearer: str) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {bearer}"}
    if (correlation := correlation_id.get()) is not None:
        headers["X-Correlation-Id"] = correlation
    return headers
