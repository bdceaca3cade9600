"""The account's own security settings: two-step login providers and the personal API key. Each change sends the
master-password hash, made here from the password (Bitwarden's `SecretVerificationRequestModel`)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from mspvault.client.crypto import derive_master_key, master_password_hash
from mspvault.client.session import SessionFn
from mspvault.client.wire import RequestFn, list_data, require


@dataclass(frozen=True)
class ApiKey:
    client_id: str
    client_secret: str = field(repr=False)


class AccountApi:
    def __init__(self, request: RequestFn, session: SessionFn) -> None:
        self._request = request
        self._session = session

    async def _secret(self, password: str) -> dict[str, str]:
        session = self._session()
        master_key = await asyncio.to_thread(derive_master_key, password, session.email, session.kdf)
        return {"masterPasswordHash": master_password_hash(master_key, password)}

    async def two_factor_providers(self) -> list[int]:
        """The provider numbers turned on (0 authenticator, 1 email)."""
        return [int(require(p, "type")) for p in list_data(await self._request("GET", "/api/two-factor"))]

    async def new_authenticator_key(self, password: str) -> str:
        """A base32 key to put in an authenticator app (or the one in use)."""
        body = await self._request("POST", "/api/two-factor/get-authenticator", json=await self._secret(password))
        return str(require(body, "key"))

    async def enable_authenticator(self, password: str, key: str, code: str) -> None:
        body = await self._secret(password) | {"key": key, "token": code}
        await self._request("PUT", "/api/two-factor/authenticator", json=body)

    async def send_email_setup_code(self, password: str, email: str) -> None:
        """Mail a code to `email`, to prove it before it becomes a two-step login provider."""
        await self._request("POST", "/api/two-factor/send-email", json=await self._secret(password) | {"email": email})

    async def enable_email(self, password: str, email: str, code: str) -> None:
        body = await self._secret(password) | {"email": email, "token": code}
        await self._request("PUT", "/api/two-factor/email", json=body)

    async def request_login_code(self, password: str) -> None:
        """What a login page's "send the code again" does: mail a login code to the two-step login address."""
        body = await self._secret(password) | {"email": self._session().email}
        await self._request("POST", "/api/two-factor/send-email-login", json=body)

    async def disable_two_factor(self, password: str, provider: int) -> None:
        body: dict[str, Any] = await self._secret(password) | {"type": provider}
        await self._request("PUT", "/api/two-factor/disable", json=body)

    async def recovery_code(self, password: str) -> str:
        body = await self._request("POST", "/api/two-factor/get-recover", json=await self._secret(password))
        return str(require(body, "code"))

    async def api_key(self, password: str, *, rotate: bool = False) -> ApiKey:
        """The personal API key (`bw login --apikey`); `rotate` makes a new secret and ends the old one."""
        path = "/api/accounts/rotate-api-key" if rotate else "/api/accounts/api-key"
        body = await self._request("POST", path, json=await self._secret(password))
        return ApiKey(client_id=f"user.{self._session().user_id}", client_secret=str(require(body, "apiKey")))
