"""`/api/folders`: the caller's own folders."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response

from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.http.responses import ListResponse
from mspvault.shared.http.routes import put_or_post
from mspvault.shared.runtime import ReadSession
from mspvault.vault.adapters import queries
from mspvault.vault.entrypoints.http.deps import Work
from mspvault.vault.entrypoints.http.requests import FolderRequest
from mspvault.vault.entrypoints.http.responses import FolderResponse, empty_response
from mspvault.vault.service_layer import folders
from mspvault.vault.service_layer.commands import CreateFolder, DeleteFolder, RenameFolder

router = APIRouter(prefix="/api/folders", tags=["folders"], dependencies=[Depends(authenticated)])


@router.get("", summary="The caller's folders")
async def list_folders(caller: CurrentUser, session: ReadSession) -> ListResponse[FolderResponse]:
    return ListResponse(data=[FolderResponse.of(item) for item in await queries.folders_of(session, caller.user_id)])


@router.post("", summary="Create a folder")
async def create_folder(caller: CurrentUser, work: Work, body: FolderRequest) -> FolderResponse:
    return FolderResponse.of(await folders.create_folder(work, caller, CreateFolder(body.name)))


@router.get("/{folder_id}", summary="One folder")
async def get_folder(caller: CurrentUser, session: ReadSession, folder_id: uuid.UUID) -> FolderResponse:
    return FolderResponse.of(await queries.folder_of(session, caller.user_id, folder_id))


@put_or_post(router, "/{folder_id}", summary="Rename a folder")
async def rename_folder(caller: CurrentUser, work: Work, folder_id: uuid.UUID, body: FolderRequest) -> FolderResponse:
    return FolderResponse.of(await folders.rename_folder(work, caller, RenameFolder(folder_id, body.name)))


@router.delete("/{folder_id}", summary="Delete a folder (its items stay, without a folder)", response_class=Response)
@router.post("/{folder_id}/delete", include_in_schema=False, response_class=Response)
async def delete_folder(caller: CurrentUser, work: Work, folder_id: uuid.UUID) -> Response:
    await folders.delete_folder(work, caller, DeleteFolder(folder_id))
    return empty_response()
