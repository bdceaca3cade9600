"""Organization endpoints: members (invite, accept, confirm) and collections (bw-cli-api.md §3.9–3.10)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from mspvault.client.crypto import (
    KdfConfig,
    SymmetricKey,
    rewrap_user_key,
    unwrap_with_private_key,
    wrap_for_public_key,
)
from mspvault.client.directory import public_key_to_wrap_for
from mspvault.client.session import SessionFn
from mspvault.client.wire import JsonObject, RequestFn, list_data, pick, require, require_object, segment


class OrganizationUserType(IntEnum):
    OWNER = 0
    ADMIN = 1
    USER = 2
    CUSTOM = 4  # 3 (Manager) was retired by Bitwarden


class OrganizationUserStatus(IntEnum):
    REVOKED = -1
    INVITED = 0
    ACCEPTED = 1
    CONFIRMED = 2


@dataclass(frozen=True)
class CollectionAccess:
    """One member's (or group's) access to a collection."""

    id: str
    read_only: bool = False
    hide_passwords: bool = False
    manage: bool = False

    def to_wire(self) -> JsonObject:
        return {
            "id": self.id,
            "readOnly": self.read_only,
            "hidePasswords": self.hide_passwords,
            "manage": self.manage,
        }


@dataclass(frozen=True)
class Collection:
    id: str
    organization_id: str
    name: str  # decrypted with the org key
    external_id: str | None = None


class OrganizationsApi:
    def __init__(self, request: RequestFn, session: SessionFn) -> None:
        self._request = request
        self._session = session

    # --- members ----------------------------------------------------------------------------------------

    async def invite_members(
        self,
        organization_id: str,
        emails: Iterable[str],
        member_type: OrganizationUserType = OrganizationUserType.USER,
        *,
        collections: Iterable[CollectionAccess] = (),
        groups: Iterable[str] = (),
        permissions: JsonObject | None = None,
    ) -> Any:
        return await self._request(
            "POST",
            f"{_base(organization_id)}/users/invite",
            json={
                "emails": list(emails),
                "type": int(member_type),
                "accessSecretsManager": False,
                "permissions": permissions,
                "collections": [access.to_wire() for access in collections],
                "groups": list(groups),
            },
        )

    async def accept_invite(
        self, organization_id: str, organization_user_id: str, token: str, *, enroll_in_account_recovery: bool = False
    ) -> None:
        """Accept; with `enroll_in_account_recovery` (required when the org's Account Recovery policy enrols
        automatically) the user key goes along, wrapped to the organization's public key."""
        body: JsonObject = {"token": token}
        if enroll_in_account_recovery:
            body["resetPasswordKey"] = await self._recovery_key(organization_id)
        await self._request("POST", f"{_base(organization_id)}/users/{segment(organization_user_id)}/accept", json=body)

    # --- account recovery -------------------------------------------------------------------------------

    async def public_key(self, organization_id: str) -> str:
        body = await self._request("GET", f"{_base(organization_id)}/public-key")
        return str(require(body, "publicKey"))

    async def _recovery_key(self, organization_id: str) -> str:
        user_key = self._session().user_key
        return str(wrap_for_public_key(user_key.to_bytes(), await self.public_key(organization_id)))

    async def enroll_in_account_recovery(self, organization_id: str, *, withdraw: bool = False) -> None:
        """`PUT …/users/{ownUserId}/reset-password-enrollment`: the user key wrapped to the org's public key, or
        none (withdraw)."""
        key = None if withdraw else await self._recovery_key(organization_id)
        user_id = segment(self._session().user_id)
        await self._request(
            "PUT",
            f"{_base(organization_id)}/users/{user_id}/reset-password-enrollment",
            json={"resetPasswordKey": key, "masterPasswordHash": None},
        )

    async def recover_account(
        self, organization_id: str, organization_user_id: str, email: str, new_password: str
    ) -> None:
        """An admin sets an enrolled member's new master password. Everything is made here: the org private key
        (under the org key) opens the member's user key, which goes under a master key from the new password and
        the member's own KDF settings and email (salt). The server sees only the new hash and wrapped key."""
        member = f"{_base(organization_id)}/users/{segment(organization_user_id)}"
        details = require_object(await self._request("GET", f"{member}/reset-password-details"), "the details")
        org_private_key = self._session().org_key(organization_id).decrypt(str(require(details, "encryptedPrivateKey")))
        user_key = SymmetricKey.from_bytes(
            unwrap_with_private_key(str(require(details, "resetPasswordKey")), org_private_key)
        )
        kdf = KdfConfig.from_wire(
            require(details, "kdf"),
            require(details, "kdfIterations"),
            pick(details, "kdfMemory"),
            pick(details, "kdfParallelism"),
        )
        new = await asyncio.to_thread(rewrap_user_key, email, new_password, kdf, user_key)
        await self._request(
            "PUT",
            f"{member}/reset-password",
            json={"newMasterPasswordHash": new.master_password_hash, "key": str(new.protected_user_key)},
        )

    async def list_members(self, organization_id: str) -> list[JsonObject]:
        return list_data(await self._request("GET", f"{_base(organization_id)}/users"))

    async def get_member(self, organization_id: str, organization_user_id: str) -> JsonObject:
        body = await self._request("GET", f"{_base(organization_id)}/users/{segment(organization_user_id)}")
        return require_object(body, "the member")

    async def confirm_member(
        self,
        organization_id: str,
        organization_user_id: str,
        *,
        public_key: str | None = None,
        default_collection_name: str | None = None,
    ) -> None:
        """Hand the org key to an accepted member, the three calls `bw confirm org-member` makes (`public_key`:
        see `public_key_to_wrap_for`)."""
        org_key = self._session().org_key(organization_id)
        public_key = await public_key_to_wrap_for(
            self._request, lambda: self.get_member(organization_id, organization_user_id), public_key
        )
        body: JsonObject = {"key": str(wrap_for_public_key(org_key.to_bytes(), public_key))}
        if default_collection_name is not None:
            body["defaultUserCollectionName"] = str(org_key.encrypt_str(default_collection_name))
        await self._request(
            "POST", f"{_base(organization_id)}/users/{segment(organization_user_id)}/confirm", json=body
        )

    async def revoke_member(self, organization_id: str, organization_user_id: str) -> None:
        await self._request("PUT", f"{_base(organization_id)}/users/{segment(organization_user_id)}/revoke")

    async def restore_member(self, organization_id: str, organization_user_id: str) -> None:
        await self._request("PUT", f"{_base(organization_id)}/users/{segment(organization_user_id)}/restore")

    # --- collections ------------------------------------------------------------------------------------

    async def list_collections(self, organization_id: str) -> list[Collection]:
        body = await self._request("GET", f"{_base(organization_id)}/collections")
        return [self._decrypt_collection(organization_id, item) for item in list_data(body)]

    async def create_collection(
        self,
        organization_id: str,
        name: str,
        *,
        users: Iterable[CollectionAccess] = (),
        groups: Iterable[CollectionAccess] = (),
        external_id: str | None = None,
    ) -> Collection:
        org_key = self._session().org_key(organization_id)
        body = await self._request(
            "POST",
            f"{_base(organization_id)}/collections",
            json={
                "name": str(org_key.encrypt_str(name)),
                "externalId": external_id,
                "users": [access.to_wire() for access in users],
                "groups": [access.to_wire() for access in groups],
            },
        )
        return self._decrypt_collection(organization_id, require_object(body, "the collection"))

    def _decrypt_collection(self, organization_id: str, item: JsonObject) -> Collection:
        org_key = self._session().org_key(organization_id)
        return Collection(
            id=str(require(item, "id")),
            organization_id=organization_id,
            name=org_key.decrypt_str(require(item, "name")),
            external_id=pick(item, "externalId"),
        )


def _base(organization_id: str) -> str:
    return f"/api/organizations/{segment(organization_id)}"
