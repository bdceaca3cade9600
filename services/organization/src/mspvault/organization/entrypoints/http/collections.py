"""`/api/organizations/{orgId}/collections`: list, details, create, update, delete; and `/api/collections`."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters import queries
from mspvault.organization.entrypoints.http.deps import Work
from mspvault.organization.entrypoints.http.requests import CollectionBody
from mspvault.organization.entrypoints.http.responses import (
    CollectionAccessDetailsResponse,
    CollectionDetailsResponse,
    CollectionResponse,
)
from mspvault.organization.service_layer import collections
from mspvault.organization.service_layer.commands import DeleteCollection
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.http.responses import ListResponse, as_json
from mspvault.shared.runtime import ReadSession

router = APIRouter(
    prefix="/api/organizations/{org_id}/collections", tags=["collections"], dependencies=[Depends(authenticated)]
)


@router.get("", summary="The collections the caller sees")
async def list_collections(
    org_id: uuid.UUID, caller: CurrentUser, session: ReadSession
) -> ListResponse[CollectionResponse]:
    found = await queries.list_collections(session, caller.user_id, org_id, details=False)
    return ListResponse(data=[CollectionResponse.of(c) for c in found])


@router.get("/details", summary="The collections the caller sees, with access lists for those who may change them")
async def list_collection_details(
    org_id: uuid.UUID, caller: CurrentUser, session: ReadSession
) -> ListResponse[CollectionAccessDetailsResponse]:
    found = await queries.list_collections(session, caller.user_id, org_id, details=True)
    return ListResponse(data=[CollectionAccessDetailsResponse.of(c) for c in found])


async def _details(
    session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID, collection_id: uuid.UUID
) -> CollectionAccessDetailsResponse:
    found = await queries.list_collections(session, user_id, org_id, details=True, only=collection_id)
    return CollectionAccessDetailsResponse.of(found[0])


@router.post("", summary="Create a collection with its access lists")
async def create_collection(
    org_id: uuid.UUID, body: CollectionBody, caller: CurrentUser, work: Work, session: ReadSession
) -> CollectionAccessDetailsResponse:
    collection_id = await collections.create_collection(work, caller, body.create_command(org_id))
    return await _details(session, caller.user_id, org_id, collection_id)


@router.get("/{collection_id}", summary="One collection, with the caller's rights on it")
async def get_collection(
    org_id: uuid.UUID, collection_id: uuid.UUID, caller: CurrentUser, session: ReadSession
) -> CollectionDetailsResponse:
    found = await queries.list_collections(session, caller.user_id, org_id, details=False, only=collection_id)
    return CollectionDetailsResponse.of(found[0])


@router.get("/{collection_id}/details", summary="One collection with its access lists")
async def get_collection_details(
    org_id: uuid.UUID, collection_id: uuid.UUID, caller: CurrentUser, session: ReadSession
) -> CollectionAccessDetailsResponse:
    return await _details(session, caller.user_id, org_id, collection_id)


@router.put("/{collection_id}", summary="Rename a collection and replace its access lists")
@router.post("/{collection_id}", summary="Rename a collection and replace its access lists")
async def update_collection(
    org_id: uuid.UUID,
    collection_id: uuid.UUID,
    body: CollectionBody,
    caller: CurrentUser,
    work: Work,
    session: ReadSession,
) -> CollectionAccessDetailsResponse:
    await collections.update_collection(work, caller, body.update_command(org_id, collection_id))
    return await _details(session, caller.user_id, org_id, collection_id)


@router.delete("/{collection_id}", summary="Delete a collection", response_class=Response)
@router.post("/{collection_id}/delete", summary="Delete a collection", response_class=Response)
async def delete_collection(org_id: uuid.UUID, collection_id: uuid.UUID, caller: CurrentUser, work: Work) -> Response:
    await collections.delete_collection(work, caller, DeleteCollection(org_id, collection_id))
    return Response(status_code=200)


# `GET /api/collections`: every collection the caller is assigned to, across organizations. The official CLI calls
# it for `bw list org-collections` when the caller may not view all of an organization's collections.
assigned_router = APIRouter(prefix="/api/collections", tags=["collections"], dependencies=[Depends(authenticated)])


@assigned_router.get(
    "", response_model=ListResponse[CollectionDetailsResponse], summary="Every collection the caller reaches"
)
async def list_assigned_collections(caller: CurrentUser, session: ReadSession) -> Response:
    data = await queries.sync(session, caller.user_id)
    return as_json(ListResponse(data=[CollectionDetailsResponse.of(c) for c in data.collections]))
