"""Async client for the MSPVault gateway's Bitwarden-compatible API (bw-cli-api.md §3).

Zero knowledge: the password never leaves this process; only the master-password hash and EncStrings do.
Endpoint groups beyond identity and account live in providers.py, organizations.py and vault.py; each
talks to the server only through `MSPVaultClient._request`.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import os
import re
import ssl
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self, Unpack

import httpx

from mspvault.client.account import AccountApi
from mspvault.client.crypto import (
    AccountKeys,
    KdfConfig,
    b64decode,
    derive_master_key,
    make_account_keys,
    master_password_hash,
    normalize_email,
    rewrap_user_key,
    unlock_private_key,
    unlock_user_key,
)
from mspvault.client.directory import fetch_user_public_key
from mspvault.client.organizations import OrganizationsApi
from mspvault.client.providers import ProvidersApi
from mspvault.client.session import Session
from mspvault.client.vault import VaultApi
from mspvault.client.wire import JsonObject, RequestOptions, UnexpectedResponse, pick, require, require_object

# The client speaks the bw CLI's dialect (device type 25 = LinuxCLI) at the API level it was probed with.
DEVICE_TYPE = "25"
CLIENT_NAME = "mspvault"
CLIENT_VERSION = "2026.9.0"
USER_KEY_ID = re.compile(r"[0-9a-f]{32}")


class ApiError(Exception):
    """A non-2xx answer. `body` is the parsed JSON (or text); the server never puts secrets in it."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body
        super().__init__(f"HTTP {status}: {self.message}")

    @property
    def message(self) -> str:
        if isinstance(self.body, Mapping):
            model = pick(self.body, "ErrorModel")
            for candidate in (
                pick(model, "Message") if isinstance(model, Mapping) else None,
                pick(self.body, "message"),
                pick(self.body, "error_description"),
                pick(self.body, "error"),
                pick(self.body, "detail"),
            ):
                if isinstance(candidate, str) and candidate:
                    return candidate
        return self.body if isinstance(self.body, str) and self.body else "request failed"


class NotLoggedIn(Exception):
    """An authenticated call was made before login()."""


class MSPVaultClient:
    """One user's connection to the gateway. Use as `async with MSPVaultClient(url, verify=ca) as c:`."""

    def __init__(
        self,
        base_url: str,
        *,
        verify: bool | str | os.PathLike[str] | ssl.SSLContext = True,
        timeout: float = 30.0,
        device_identifier: str | None = None,
        device_name: str = "mspvault",
        transport: httpx.AsyncBaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        base_url = base_url.rstrip("/")
        if not base_url.startswith("https://") and not allow_insecure_http:
            # Like the bw CLI: a master-password hash and tokens never travel in clear.
            raise ValueError("the gateway URL must use https://")
        if isinstance(verify, str | os.PathLike):
            verify = ssl.create_default_context(cafile=os.fspath(verify))
        self._http = httpx.AsyncClient(
            base_url=base_url,
            verify=verify,
            timeout=timeout,
            transport=transport,
            headers={
                "Accept": "application/json",
                "Device-Type": DEVICE_TYPE,
                "Bitwarden-Client-Name": CLIENT_NAME,
                "Bitwarden-Client-Version": CLIENT_VERSION,
            },
        )
        self.device_identifier = device_identifier or str(uuid.uuid4())
        self.device_name = device_name
        self._session: Session | None = None
        self._refresh_lock = asyncio.Lock()
        self.account = AccountApi(self._request, lambda: self.session)
        self.providers = ProvidersApi(self._request, lambda: self.session)
        self.organizations = OrganizationsApi(self._request, lambda: self.session)
        self.vault = VaultApi(self._request, lambda: self.session)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def session(self) -> Session:
        if self._session is None:
            raise NotLoggedIn("log in first")
        return self._session

    def logout(self) -> None:
        """Forget tokens and keys. Like `bw logout`, this sends nothing to the server."""
        self._session = None

    # --- identity ---------------------------------------------------------------------------------------

    async def register(
        self,
        email: str,
        password: str,
        *,
        name: str | None = None,
        password_hint: str | None = None,
        kdf: KdfConfig | None = None,
    ) -> AccountKeys:
        """Create an account. All keys are made here; the server gets only the hash and wrapped keys."""
        kdf = kdf or KdfConfig.pbkdf2()
        keys = await asyncio.to_thread(make_account_keys, email, password, kdf)  # KDF + RSA: seconds of CPU
        await self._request(
            "POST",
            "/identity/accounts/register",
            json={
                "email": keys.email,
                "name": name,
                "masterPasswordHash": keys.master_password_hash,
                "masterPasswordHint": password_hint,
                "key": str(keys.protected_user_key),
                "keys": {
                    "publicKey": keys.public_key,
                    "encryptedPrivateKey": str(keys.encrypted_private_key),
                },
                "kdf": int(kdf.kdf_type),
                "kdfIterations": kdf.iterations,
                "kdfMemory": kdf.memory,
                "kdfParallelism": kdf.parallelism,
            },
            authenticated=False,
        )
        return keys

    async def prelogin(self, email: str) -> KdfConfig:
        body = await self._request(
            "POST",
            "/identity/accounts/prelogin/password",
            json={"email": normalize_email(email)},
            authenticated=False,
        )
        settings = pick(body, "kdfSettings") if isinstance(body, Mapping) else None
        if isinstance(settings, Mapping):
            return KdfConfig.from_wire(
                pick(settings, "kdfType"),
                pick(settings, "iterations"),
                pick(settings, "memory"),
                pick(settings, "parallelism"),
            )
        # Older servers answer only with the flat fields.
        return KdfConfig.from_wire(
            require(body, "kdf"),
            require(body, "kdfIterations"),
            pick(body, "kdfMemory"),
            pick(body, "kdfParallelism"),
        )

    async def login(
        self, email: str, password: str, *, two_factor_code: str | None = None, two_factor_provider: int = 0
    ) -> Session:
        """Password grant, then unlock: the session holds the user key and private key in memory. An account with
        two-step login needs `two_factor_code` (of `two_factor_provider`: 0 authenticator, 1 email)."""
        kdf = await self.prelogin(email)
        master_key = await asyncio.to_thread(derive_master_key, password, email, kdf)
        form = {  # field names and order exactly as the bw CLI sends them
            "scope": "api offline_access",
            "client_id": "cli",
            "deviceType": DEVICE_TYPE,
            "deviceIdentifier": self.device_identifier,
            "deviceName": self.device_name,
            "grant_type": "password",
            "username": normalize_email(email),
            "password": master_password_hash(master_key, password),
        }
        if two_factor_code is not None:
            form |= {
                "twoFactorToken": two_factor_code,
                "twoFactorProvider": str(two_factor_provider),
                "twoFactorRemember": "0",
            }
        body = await self._request("POST", "/identity/connect/token", form=form, authenticated=False)
        body = require_object(body, "the token response")
        user_key = unlock_user_key(master_key, _protected_user_key(body))
        private_key = unlock_private_key(user_key, _wrapped_private_key(body))
        access_token = require(body, "access_token")
        self._session = Session(
            user_id=str(require(_jwt_claims(access_token), "sub")),
            email=normalize_email(email),
            kdf=kdf,
            access_token=access_token,
            refresh_token=pick(body, "refresh_token"),
            access_expires_at=_expiry(body),
            user_key=user_key,
            private_key=private_key,
            force_password_reset=pick(body, "ForcePasswordReset") is True,
        )
        return self._session

    async def _refresh_if_due(self) -> None:
        # One refresh at a time: concurrent refreshes would replay the same refresh token, which a
        # server with reuse detection treats as theft.
        async with self._refresh_lock:
            if self.session.needs_refresh() and self.session.refresh_token:
                await self.refresh()

    async def refresh(self) -> Session:
        session = self.session
        if not session.refresh_token:
            raise NotLoggedIn("no refresh token: log in again")
        body = await self._request(
            "POST",
            "/identity/connect/token",
            form={"grant_type": "refresh_token", "client_id": "cli", "refresh_token": session.refresh_token},
            authenticated=False,
        )
        session.access_token = require(body, "access_token")
        session.refresh_token = pick(body, "refresh_token") or session.refresh_token  # servers may rotate
        session.access_expires_at = _expiry(body)
        return session

    # --- account ----------------------------------------------------------------------------------------

    async def profile(self) -> JsonObject:
        return require_object(await self._request("GET", "/api/accounts/profile"), "the profile")

    async def revision_date(self) -> datetime:
        """When anything this user can see last changed (the server sends epoch milliseconds)."""
        millis = await self._request("GET", "/api/accounts/revision-date")
        if not isinstance(millis, int | float) or isinstance(millis, bool):
            raise UnexpectedResponse("revision date is not a number")
        return datetime.fromtimestamp(millis / 1000, UTC)

    async def request_email_verification(self) -> None:
        """Ask the server to mail this account a verification link (400 when the email is verified already)."""
        await self._request("POST", "/api/accounts/verify-email")

    async def verify_email(self, user_id: str, token: str) -> None:
        """Open a verification link: its `userId` and `token`. Needs no login (the link is the proof)."""
        body = {"userId": user_id, "token": token}
        await self._request("POST", "/api/accounts/verify-email-token", json=body, authenticated=False)

    async def user_public_key(self, user_id: str) -> str:
        return await fetch_user_public_key(self._request, user_id)

    async def set_user_key_id(self, user_key_id: str | None = None) -> str:
        """The key-id backfill bw 2026.9 performs after its first sync. Returns the id sent."""
        user_key_id = user_key_id or uuid.uuid4().hex
        if not USER_KEY_ID.fullmatch(user_key_id):
            raise ValueError("a user key id is 32 lowercase hex characters")
        await self._request("POST", "/api/accounts/key-management/user-key-id", json={"userKeyId": user_key_id})
        return user_key_id

    # --- session control: each needs the master password and ends every session of the account ---------

    async def _current_hash(self, password: str) -> str:
        master_key = await asyncio.to_thread(derive_master_key, password, self.session.email, self.session.kdf)
        return master_password_hash(master_key, password)

    async def change_master_password(
        self, password: str, new_password: str, *, hint: str | None = None, kdf: KdfConfig | None = None
    ) -> None:
        """`POST /api/accounts/password` (or `/api/accounts/kdf` with new KDF settings): the same user key under
        the new master key. Every session ends, this one too: log in again with the new password."""
        session = self.session
        current = await self._current_hash(password)
        target_kdf = kdf or session.kdf
        new = await asyncio.to_thread(rewrap_user_key, session.email, new_password, target_kdf, session.user_key)
        body: dict[str, object] = {
            "masterPasswordHash": current,
            "newMasterPasswordHash": new.master_password_hash,
            "key": str(new.protected_user_key),
        }
        if kdf is None:
            await self._request("POST", "/api/accounts/password", json=body | {"masterPasswordHint": hint})
        else:
            kdf_fields = {
                "kdf": int(kdf.kdf_type),
                "kdfIterations": kdf.iterations,
                "kdfMemory": kdf.memory,
                "kdfParallelism": kdf.parallelism,
            }
            await self._request("POST", "/api/accounts/kdf", json=body | kdf_fields)

    async def update_temp_password(self, new_password: str, *, hint: str | None = None) -> None:
        """`PUT /api/accounts/update-temp-password`, after an admin recovered the account: the user's own password
        replaces the admin's (no current hash asked). Every session ends: log in again with the new password."""
        session = self.session
        new = await asyncio.to_thread(rewrap_user_key, session.email, new_password, session.kdf, session.user_key)
        body = {
            "newMasterPasswordHash": new.master_password_hash,
            "key": str(new.protected_user_key),
            "masterPasswordHint": hint,
        }
        await self._request("PUT", "/api/accounts/update-temp-password", json=body)

    async def log_out_everywhere(self, password: str) -> None:
        """`POST /api/accounts/security-stamp`: every access and refresh token of the account stops working."""
        await self._request(
            "POST", "/api/accounts/security-stamp", json={"masterPasswordHash": await self._current_hash(password)}
        )

    async def delete_account(self, password: str) -> None:
        """`DELETE /api/accounts`: the account, its personal items and its memberships go."""
        await self._request("DELETE", "/api/accounts", json={"masterPasswordHash": await self._current_hash(password)})
        self._session = None

    # --- transport --------------------------------------------------------------------------------------

    async def _request(self, method: str, path: str, **options: Unpack[RequestOptions]) -> Any:
        """Send one request; return the parsed JSON body (None when empty); raise ApiError on non-2xx."""
        headers: dict[str, str] = {}
        if options.get("authenticated", True):
            await self._refresh_if_due()
            headers["Authorization"] = f"Bearer {self.session.access_token}"
        form, params = options.get("form"), options.get("params")
        response = await self._http.request(
            method,
            path,
            json=options.get("json"),
            data=dict(form) if form is not None else None,
            params=dict(params) if params is not None else None,
            headers=headers,
        )
        body = _parse_body(response)
        if not response.is_success:
            raise ApiError(response.status_code, body)
        return body


def _parse_body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _protected_user_key(token: JsonObject) -> str:
    key = pick(token, "Key")
    if key:
        return str(key)
    unlock = pick(pick(token, "UserDecryptionOptions") or {}, "MasterPasswordUnlock") or {}
    return str(require(unlock, "MasterKeyEncryptedUserKey"))


def _wrapped_private_key(token: JsonObject) -> str:
    pair = pick(pick(token, "AccountKeys") or {}, "publicKeyEncryptionKeyPair") or {}
    wrapped = pick(pair, "wrappedPrivateKey") or pick(token, "PrivateKey")
    if not wrapped:
        raise UnexpectedResponse("token response carries no wrapped private key")
    return str(wrapped)


def _expiry(token: Any) -> datetime:
    seconds = pick(token, "expires_in") if isinstance(token, Mapping) else None
    lifetime = seconds if isinstance(seconds, int) and seconds > 0 else 3600
    return datetime.now(UTC) + timedelta(seconds=lifetime)


def _jwt_claims(token: str) -> JsonObject:
    """Read the JWT payload without verifying it: we only learn who the server says we are (the user id
    for `encryptedFor`); trust in the server comes from TLS, and the server verifies its own tokens."""
    parts = token.split(".")
    if len(parts) != 3:
        raise UnexpectedResponse("access token is not a JWT")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = jsonlib.loads(b64decode(payload.replace("-", "+").replace("_", "/"), "JWT payload"))
    except ValueError as exc:
        raise UnexpectedResponse("access token payload is not JSON") from exc
    return require_object(claims, "the JWT payload")
