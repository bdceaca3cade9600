"""Organization endpoints: members (invite, accept, confirm) and collections (bw-cli-api.md §3.9–3.10)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from mspvault.client.crypto import wrap_for_public_key
from mspvault.client.directory import fetch_user_public_key
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

    async def accept_invite(self, organization_id: str, organization_user_id: str, token: str) -> None:
        await self._request(
            "POST",
            f"{_base(organization_id)}/users/{segment(organization_user_id)}/accept",
            json={"token": token},
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
        """Hand the org key to an accepted member, the three calls `bw confirm org-member` makes.

        Without `public_key` the server's copy of the member's key is trusted, as `bw confirm` does; pass
        a key whose fingerprint was verified out of band so a hostile server cannot substitute its own.
        """
        org_key = self._session().org_key(organization_id)
        if public_key is None:
            member = await self.get_member(organization_id, organization_user_id)
            public_key = await fetch_user_public_key(self._request, str(require(member, "userId")))
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
