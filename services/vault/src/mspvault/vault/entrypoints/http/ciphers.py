"""`/api/ciphers`: items, one by one and in bulk. Vaultwarden's POST aliases are kept (`put_or_post`), since clients
of several ages use them; routes without an id come first, so `/create` or `/delete` never reads as an id."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response

from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.http.responses import ListResponse
from mspvault.shared.http.routes import put_or_post
from mspvault.shared.runtime import ReadSession
from mspvault.vault.adapters import queries
from mspvault.vault.entrypoints.http.deps import Work
from mspvault.vault.entrypoints.http.requests import (
    CipherIdsRequest,
    CipherRequest,
    CipherWithCollections,
    CollectionIdsRequest,
    MoveRequest,
    PartialCipherRequest,
)
from mspvault.vault.entrypoints.http.responses import (
    CipherDetailsResponse,
    OptionalCipherDetailsResponse,
    cipher_details,
    cipher_list,
    empty_response,
    json_response,
    optional_cipher_details,
)
from mspvault.vault.service_layer import ciphers, commands

router = APIRouter(prefix="/api/ciphers", tags=["ciphers"], dependencies=[Depends(authenticated)])


@router.post("", summary="Create a personal item", response_model=CipherDetailsResponse)
async def create_cipher(caller: CurrentUser, work: Work, body: CipherRequest) -> Response:
    return json_response(
        cipher_details(await ciphers.create_personal(work, caller, commands.CreateCipher(body.cipher_fields())))
    )


@router.post("/create", summary="Create an item in an organization's collections", response_model=CipherDetailsResponse)
async def create_cipher_in_org(caller: CurrentUser, work: Work, body: CipherWithCollections) -> Response:
    command = commands.CreateOrganizationCipher(body.cipher.cipher_fields(), tuple(body.collection_ids))
    return json_response(cipher_details(await ciphers.create_in_organization(work, caller, command)))


@router.get("", summary="Every item the caller may see", response_model=ListResponse[CipherDetailsResponse])
async def list_ciphers(caller: CurrentUser, session: ReadSession) -> Response:
    return json_response(cipher_list((await queries.vault_of(session, caller.user_id)).ciphers))


@router.put("/delete", summary="Move items to the trash", response_class=Response)
async def soft_delete_many(caller: CurrentUser, work: Work, body: CipherIdsRequest) -> Response:
    await ciphers.trash(work, caller, commands.TrashCiphers(tuple(body.ids)))
    return empty_response()


@router.post("/delete", summary="Delete items permanently (Vaultwarden's POST form)", response_class=Response)
@router.delete("", summary="Delete items permanently", response_class=Response)
async def delete_many(caller: CurrentUser, work: Work, body: CipherIdsRequest) -> Response:
    await ciphers.delete_permanently(work, caller, commands.DeleteCiphers(tuple(body.ids)))
    return empty_response()


@router.put("/restore", summary="Restore items from the trash", response_model=ListResponse[CipherDetailsResponse])
async def restore_many(caller: CurrentUser, work: Work, body: CipherIdsRequest) -> Response:
    return json_response(cipher_list(await ciphers.restore(work, caller, commands.RestoreCiphers(tuple(body.ids)))))


@put_or_post(router, "/move", summary="Put items into one of the caller's folders", response_class=Response)
async def move_many(caller: CurrentUser, work: Work, body: MoveRequest) -> Response:
    await ciphers.move_to_folder(work, caller, commands.MoveCiphers(tuple(body.ids), body.folder_id))
    return empty_response()


# --- one cipher ----------------------------------------------------------------------------------------------------


@router.get("/{cipher_id}", summary="One item", response_model=CipherDetailsResponse)
@router.get("/{cipher_id}/details", include_in_schema=False)
async def get_cipher(caller: CurrentUser, session: ReadSession, cipher_id: uuid.UUID) -> Response:
    return json_response(cipher_details(await queries.cipher_view(session, caller.user_id, cipher_id)))


@put_or_post(router, "/{cipher_id}", summary="Edit an item", response_model=CipherDetailsResponse)
async def update_cipher(caller: CurrentUser, work: Work, cipher_id: uuid.UUID, body: CipherRequest) -> Response:
    view = await ciphers.update(work, caller, commands.UpdateCipher(cipher_id, body.cipher_fields()))
    return json_response(cipher_details(view))


@put_or_post(
    router,
    "/{cipher_id}/partial",
    summary="Set the caller's folder and favorite on an item",
    response_model=CipherDetailsResponse,
)
async def update_cipher_prefs(
    caller: CurrentUser, work: Work, cipher_id: uuid.UUID, body: PartialCipherRequest
) -> Response:
    view = await ciphers.update_prefs(work, caller, commands.SetCipherPrefs(cipher_id, body.folder_id, body.favorite))
    return json_response(cipher_details(view))


@put_or_post(
    router, "/{cipher_id}/collections", summary="Change an item's collections", response_model=CipherDetailsResponse
)
async def update_collections(
    caller: CurrentUser, work: Work, cipher_id: uuid.UUID, body: CollectionIdsRequest
) -> Response:
    command = commands.ChangeCipherCollections(cipher_id, tuple(body.collection_ids))
    view = await ciphers.change_collections(work, caller, command)
    return json_response(cipher_details(view)) if view is not None else empty_response()


@put_or_post(
    router,
    "/{cipher_id}/collections_v2",
    summary="Change an item's collections (newer clients)",
    response_model=OptionalCipherDetailsResponse,
)
async def update_collections_v2(
    caller: CurrentUser, work: Work, cipher_id: uuid.UUID, body: CollectionIdsRequest
) -> Response:
    command = commands.ChangeCipherCollections(cipher_id, tuple(body.collection_ids))
    return json_response(optional_cipher_details(await ciphers.change_collections(work, caller, command)))


@router.put("/{cipher_id}/delete", summary="Move an item to the trash", response_class=Response)
async def soft_delete_one(caller: CurrentUser, work: Work, cipher_id: uuid.UUID) -> Response:
    await ciphers.trash(work, caller, commands.TrashCiphers((cipher_id,)))
    return empty_response()


@router.delete("/{cipher_id}", summary="Delete an item permanently", response_class=Response)
@router.post("/{cipher_id}/delete", include_in_schema=False, response_class=Response)
async def delete_one(caller: CurrentUser, work: Work, cipher_id: uuid.UUID) -> Response:
    await ciphers.delete_permanently(work, caller, commands.DeleteCiphers((cipher_id,)))
    return empty_response()


@router.put("/{cipher_id}/restore", summary="Restore an item from the trash", response_model=CipherDetailsResponse)
async def restore_one(caller: CurrentUser, work: Work, cipher_id: uuid.UUID) -> Response:
    [view] = await ciphers.restore(work, caller, commands.RestoreCiphers((cipher_id,)))
    return json_response(cipher_details(view))


@put_or_post(
    router,
    "/{cipher_id}/share",
    summary="Move a personal item into an organization",
    response_model=CipherDetailsResponse,
)
async def share_cipher(caller: CurrentUser, work: Work, cipher_id: uuid.UUID, body: CipherWithCollections) -> Response:
    command = commands.ShareCipher(cipher_id, body.cipher.cipher_fields(), tuple(body.collection_ids))
    return json_response(cipher_details(await ciphers.share(work, caller, command)))
