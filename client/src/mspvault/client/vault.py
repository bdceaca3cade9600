"""Vault endpoints: sync, ciphers and folders (bw-cli-api.md §3.4, §3.7, §3.8).

Items are encrypted here with the user key (personal) or the org key (org items); the server stores
the EncStrings as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from mspvault.client.ciphers import PlainCipher, decrypt_cipher, encrypt_cipher
from mspvault.client.session import SessionFn
from mspvault.client.wire import JsonObject, RequestFn, pick, require, require_object, segment


@dataclass(frozen=True)
class Folder:
    id: str
    name: str  # decrypted with the user key


class VaultApi:
    def __init__(self, request: RequestFn, session: SessionFn) -> None:
        self._request = request
        self._session = session

    async def sync(self, *, exclude_domains: bool = True) -> JsonObject:
        """The whole vault, encrypted. Also opens the org and provider keys the profile carries, so the
        items in it (and later calls) can be decrypted and encrypted."""
        body = require_object(
            await self._request("GET", "/api/sync", params={"excludeDomains": str(exclude_domains).lower()}),
            "the sync",
        )
        self._session().remember_profile_keys(require_object(require(body, "profile"), "the profile"))
        return body

    def decrypt(self, cipher: JsonObject) -> PlainCipher:
        return decrypt_cipher(cipher, self._session().key_for(cipher.get("organizationId")))

    def decrypt_all(self, sync: JsonObject) -> list[PlainCipher]:
        """The items of a sync in plaintext, trashed ones included (check `deleted_date`)."""
        return [self.decrypt(cipher) for cipher in pick(sync, "ciphers") or []]

    # --- ciphers ----------------------------------------------------------------------------------------

    async def create_cipher(self, plain: PlainCipher) -> PlainCipher:
        """A personal item, or an org item when `plain.organization_id` is set (then it needs at least one
        of `plain.collection_ids`, as in Bitwarden)."""
        _require_collections(plain)
        body = self._encrypt(plain)
        if plain.organization_id is None:
            created = await self._request("POST", "/api/ciphers", json=body)
        else:
            created = await self._request(
                "POST", "/api/ciphers/create", json={"cipher": body, "collectionIds": plain.collection_ids}
            )
        return self.decrypt(require_object(created, "the cipher"))

    async def get_cipher(self, cipher_id: str) -> PlainCipher:
        return self.decrypt(require_object(await self._request("GET", _path(cipher_id)), "the cipher"))

    async def update_cipher(self, plain: PlainCipher) -> PlainCipher:
        """Save an edited item. `plain.revision_date` travels as lastKnownRevisionDate, so a stale copy
        is refused rather than overwriting someone else's change."""
        if plain.id is None:
            raise ValueError("only a cipher that exists (has an id) can be updated")
        updated = await self._request("PUT", _path(plain.id), json=self._encrypt(plain))
        return self.decrypt(require_object(updated, "the cipher"))

    async def share_cipher(
        self, plain: PlainCipher, organization_id: str, collection_ids: Iterable[str]
    ) -> PlainCipher:
        """Move a personal item into an org (`bw move`): every field re-encrypted with the org key."""
        if plain.id is None:
            raise ValueError("only a cipher that exists (has an id) can be shared")
        moved = dataclasses.replace(plain, organization_id=organization_id, collection_ids=list(collection_ids))
        _require_collections(moved)
        shared = await self._request(
            "PUT",
            f"{_path(plain.id)}/share",
            json={"cipher": self._encrypt(moved), "collectionIds": moved.collection_ids},
        )
        return self.decrypt(require_object(shared, "the cipher"))

    async def delete_cipher(self, cipher_id: str, *, permanent: bool = False) -> None:
        """Soft delete (to the trash) unless `permanent`."""
        if permanent:
            await self._request("DELETE", _path(cipher_id))
        else:
            await self._request("PUT", f"{_path(cipher_id)}/delete")

    async def restore_cipher(self, cipher_id: str) -> PlainCipher:
        restored = await self._request("PUT", f"{_path(cipher_id)}/restore")
        return self.decrypt(require_object(restored, "the cipher"))

    # --- folders ----------------------------------------------------------------------------------------

    async def create_folder(self, name: str) -> Folder:
        user_key = self._session().user_key
        body = await self._request("POST", "/api/folders", json={"name": str(user_key.encrypt_str(name))})
        folder = require_object(body, "the folder")
        return Folder(id=str(require(folder, "id")), name=user_key.decrypt_str(require(folder, "name")))

    def _encrypt(self, plain: PlainCipher) -> JsonObject:
        session = self._session()
        return encrypt_cipher(plain, session.key_for(plain.organization_id), encrypted_for=session.user_id)


def _path(cipher_id: str) -> str:
    return f"/api/ciphers/{segment(cipher_id)}"


def _require_collections(plain: PlainCipher) -> None:
    if plain.organization_id is not None and not plain.collection_ids:
        raise ValueError("an org item needs at least one collection")
