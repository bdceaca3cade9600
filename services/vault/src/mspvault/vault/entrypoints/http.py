"""The vault's HTTP edge: Bitwarden's cipher and folder routes, and the internal parts the gateway composes.

Authentication is on every router, so no route can forget it; what the caller may touch is the service layer's
access rule, which answers 404 for anything they may not see. Vaultwarden's POST aliases are kept, since clients
of several ages use them.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Response

from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession, UoW
from mspvault.vault.entrypoints.api_models import (
    CipherIdsRequest,
    CipherRequest,
    CipherWithCollections,
    CollectionIdsRequest,
    FolderRequest,
    MoveRequest,
    PartialCipherRequest,
)
from mspvault.vault.entrypoints.render import (
    cipher_details,
    empty_response,
    folder,
    json_array,
    json_response,
    json_value,
    listing,
)
from mspvault.vault.service_layer import ciphers, folders, views

ciphers_router = APIRouter(prefix="/api/ciphers", tags=["ciphers"], dependencies=[Depends(authenticated)])
folders_router = APIRouter(prefix="/api/folders", tags=["folders"], dependencies=[Depends(authenticated)])
internal_router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])

CipherBody = Annotated[CipherRequest, Body()]
IdsBody = Annotated[CipherIdsRequest, Body()]


# --- ciphers: routes without an id first, so `/create` or `/delete` never reads as an id -----------------------------


@ciphers_router.post("", summary="Create a personal item")
async def create_cipher(caller: CurrentUser, uow: UoW, body: CipherBody) -> Response:
    return json_response(cipher_details(await ciphers.create_personal(uow, caller.user_id, body.draft())))


@ciphers_router.post("/create", summary="Create an item in an organization's collections")
async def create_cipher_in_org(
    caller: CurrentUser, uow: UoW, body: Annotated[CipherWithCollections, Body()]
) -> Response:
    view = await ciphers.create_in_organization(uow, caller.user_id, body.cipher.draft(), body.collection_ids)
    return json_response(cipher_details(view))


@ciphers_router.get("", summary="Every item the caller may see")
async def list_ciphers(caller: CurrentUser, session: ReadSession) -> Response:
    vault = await views.vault_of(session, caller.user_id)
    return json_response(listing(cipher_details(view) for view in vault.ciphers))


@ciphers_router.put("/delete", summary="Move items to the trash")
async def soft_delete_many(caller: CurrentUser, uow: UoW, body: IdsBody) -> Response:
    await ciphers.soft_delete(uow, caller.user_id, body.ids)
    return empty_response()


@ciphers_router.post("/delete", summary="Delete items permanently (Vaultwarden's POST form)")
@ciphers_router.delete("", summary="Delete items permanently")
async def delete_many(caller: CurrentUser, uow: UoW, body: IdsBody) -> Response:
    await ciphers.delete_permanently(uow, caller.user_id, body.ids)
    return empty_response()


@ciphers_router.put("/restore", summary="Restore items from the trash")
async def restore_many(caller: CurrentUser, uow: UoW, body: IdsBody) -> Response:
    restored = await ciphers.restore(uow, caller.user_id, body.ids)
    return json_response(listing(cipher_details(view) for view in restored))


@ciphers_router.put("/move", summary="Put items into one of the caller's folders")
@ciphers_router.post("/move", include_in_schema=False)
async def move_many(caller: CurrentUser, uow: UoW, body: Annotated[MoveRequest, Body()]) -> Response:
    await ciphers.move_to_folder(uow, caller.user_id, body.ids, body.folder_id)
    return empty_response()


# --- one cipher ----------------------------------------------------------------------------------------------------


@ciphers_router.get("/{cipher_id}", summary="One item")
@ciphers_router.get("/{cipher_id}/details", include_in_schema=False)
async def get_cipher(caller: CurrentUser, session: ReadSession, cipher_id: uuid.UUID) -> Response:
    return json_response(cipher_details(await views.cipher_view(session, caller.user_id, cipher_id)))


@ciphers_router.put("/{cipher_id}", summary="Edit an item")
@ciphers_router.post("/{cipher_id}", include_in_schema=False)
async def update_cipher(caller: CurrentUser, uow: UoW, cipher_id: uuid.UUID, body: CipherBody) -> Response:
    return json_response(cipher_details(await ciphers.update(uow, caller.user_id, cipher_id, body.draft())))


@ciphers_router.put("/{cipher_id}/partial", summary="Set the caller's folder and favorite on an item")
@ciphers_router.post("/{cipher_id}/partial", include_in_schema=False)
async def update_cipher_prefs(
    caller: CurrentUser, uow: UoW, cipher_id: uuid.UUID, body: Annotated[PartialCipherRequest, Body()]
) -> Response:
    view = await ciphers.update_prefs(uow, caller.user_id, cipher_id, body.folder_id, body.favorite)
    return json_response(cipher_details(view))


@ciphers_router.put("/{cipher_id}/collections", summary="Change an item's collections")
@ciphers_router.post("/{cipher_id}/collections", include_in_schema=False)
async def update_collections(
    caller: CurrentUser, uow: UoW, cipher_id: uuid.UUID, body: Annotated[CollectionIdsRequest, Body()]
) -> Response:
    view = await ciphers.change_collections(uow, caller.user_id, cipher_id, body.collection_ids)
    return json_response(cipher_details(view)) if view is not None else empty_response()


@ciphers_router.put("/{cipher_id}/collections_v2", summary="Change an item's collections (newer clients)")
@ciphers_router.post("/{cipher_id}/collections_v2", include_in_schema=False)
async def update_collections_v2(
    caller: CurrentUser, uow: UoW, cipher_id: uuid.UUID, body: Annotated[CollectionIdsRequest, Body()]
) -> Response:
    view = await ciphers.change_collections(uow, caller.user_id, cipher_id, body.collection_ids)
    # "unavailable": the caller no longer sees the item once it left their collections.
    cipher = cipher_details(view) if view is not None else "null"
    return json_response(
        f'{{"object":"optionalCipherDetails","unavailable":{json_value(view is None)},"cipher":{cipher}}}'
    )


@ciphers_router.put("/{cipher_id}/delete", summary="Move an item to the trash")
async def soft_delete_one(caller: CurrentUser, uow: UoW, cipher_id: uuid.UUID) -> Response:
    await ciphers.soft_delete(uow, caller.user_id, [cipher_id])
    return empty_response()


@ciphers_router.delete("/{cipher_id}", summary="Delete an item permanently")
@ciphers_router.post("/{cipher_id}/delete", include_in_schema=False)
async def delete_one(caller: CurrentUser, uow: UoW, cipher_id: uuid.UUID) -> Response:
    await ciphers.delete_permanently(uow, caller.user_id, [cipher_id])
    return empty_response()


@ciphers_router.put("/{cipher_id}/restore", summary="Restore an item from the trash")
async def restore_one(caller: CurrentUser, uow: UoW, cipher_id: uuid.UUID) -> Response:
    [view] = await ciphers.restore(uow, caller.user_id, [cipher_id])
    return json_response(cipher_details(view))


@ciphers_router.put("/{cipher_id}/share", summary="Move a personal item into an organization")
@ciphers_router.post("/{cipher_id}/share", include_in_schema=False)
async def share_cipher(
    caller: CurrentUser, uow: UoW, cipher_id: uuid.UUID, body: Annotated[CipherWithCollections, Body()]
) -> Response:
    view = await ciphers.share(uow, caller.user_id, cipher_id, body.cipher.draft(), body.collection_ids)
    return json_response(cipher_details(view))


# --- folders -------------------------------------------------------------------------------------------------------


@folders_router.get("", summary="The caller's folders")
async def list_folders(caller: CurrentUser, session: ReadSession) -> Response:
    return json_response(listing(folder(item) for item in await views.folders_of(session, caller.user_id)))


@folders_router.post("", summary="Create a folder")
async def create_folder(caller: CurrentUser, uow: UoW, body: Annotated[FolderRequest, Body()]) -> Response:
    return json_response(folder(await folders.create_folder(uow, caller.user_id, body.name)))


@folders_router.get("/{folder_id}", summary="One folder")
async def get_folder(caller: CurrentUser, session: ReadSession, folder_id: uuid.UUID) -> Response:
    return json_response(folder(await views.folder_of(session, caller.user_id, folder_id)))


@folders_router.put("/{folder_id}", summary="Rename a folder")
@folders_router.post("/{folder_id}", include_in_schema=False)
async def rename_folder(
    caller: CurrentUser, uow: UoW, folder_id: uuid.UUID, body: Annotated[FolderRequest, Body()]
) -> Response:
    return json_response(folder(await folders.rename_folder(uow, caller.user_id, folder_id, body.name)))


@folders_router.delete("/{folder_id}", summary="Delete a folder (its items stay, without a folder)")
@folders_router.post("/{folder_id}/delete", include_in_schema=False)
async def delete_folder(caller: CurrentUser, uow: UoW, folder_id: uuid.UUID) -> Response:
    await folders.delete_folder(uow, caller.user_id, folder_id)
    return empty_response()


# --- internal: the gateway's parts of /api/sync and /api/accounts/revision-date ---------------------------------------


@internal_router.get("/revision-date", summary="Last change the caller can see here (epoch ms)")
async def revision_date(caller: CurrentUser, session: ReadSession) -> Response:
    return json_response(json_value({"revisionDate": await views.revision_date_ms(session, caller.user_id)}))


@internal_router.get("/sync", summary="The caller's folders and ciphers, for /api/sync")
async def sync_part(caller: CurrentUser, session: ReadSession) -> Response:
    vault = await views.vault_of(session, caller.user_id)
    folders_json = json_array(folder(item) for item in vault.folders)
    ciphers_json = json_array(cipher_details(view) for view in vault.ciphers)
    return json_response(f'{{"folders":{folders_json},"ciphers":{ciphers_json}}}')


ROUTERS = (ciphers_router, folders_router, internal_router)
