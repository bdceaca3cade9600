"""`/api/organizations/{orgId}/collections`: list, details, create, update, delete."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Response

from mspvault.organization.adapters import queries
from mspvault.organization.entrypoints.http import views
from mspvault.organization.entrypoints.http.deps import Work
from mspvault.organization.entrypoints.http.requests import CollectionBody
from mspvault.organization.service_layer import collections
from mspvault.organization.service_layer.commands import DeleteCollection
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

router = APIRouter(
    prefix="/api/organizations/{org_id}/collections", tags=["collections"], dependencies=[Depends(authenticated)]
)


@router.get("")
async def list_collections(org_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> Any:
    found = await queries.list_collections(session, caller.user_id, org_id, details=False)
    return views.listing([views.collection(c) for c in found])


@router.get("/details")
async def list_collection_details(org_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> Any:
    found = await queries.list_collections(session, caller.user_id, org_id, details=True)
    return views.listing([views.collection_access_details(c) for c in found])


@router.post("")
async def create_collection(
    org_id: uuid.UUID, body: CollectionBody, caller: CurrentUser, work: Work, session: ReadSession
) -> Any:
    collection_id = await collections.create_collection(work, caller, body.create_command(org_id))
    return await _details(session, caller.user_id, org_id, collection_id)


async def _details(session: Any, user_id: uuid.UUID, org_id: uuid.UUID, collection_id: uuid.UUID) -> Any:
    found = await queries.list_collections(session, user_id, org_id, details=True, only=collection_id)
    return views.collection_access_details(found[0])


@router.get("/{collection_id}")
async def get_collection(org_id: uuid.UUID, collection_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> Any:
    found = await queries.list_collections(session, caller.user_id, org_id, details=False, only=collection_id)
    return views.collection_details(found[0])


@router.get("/{collection_id}/details")
async def get_collection_details(
    org_id: uuid.UUID, collection_id: uuid.UUID, caller: CurrentUser, session: ReadSession
) -> Any:
    return await _details(session, caller.user_id, org_id, collection_id)


@router.put("/{collection_id}")
@router.post("/{collection_id}")
async def update_collection(
    org_id: uuid.UUID,
    collection_id: uuid.UUID,
    body: CollectionBody,
    caller: CurrentUser,
    work: Work,
    session: ReadSession,
) -> Any:
    await collections.update_collection(work, caller, body.update_command(org_id, collection_id))
    return await _details(session, caller.user_id, org_id, collection_id)


@router.delete("/{collection_id}")
@router.post("/{collection_id}/delete")
async def delete_collection(org_id: uuid.UUID, collection_id: uuid.UUID, caller: CurrentUser, work: Work) -> Response:
    await collections.delete_collection(work, caller, DeleteCollection(org_id, collection_id))
    return Response(status_code=200)


# `GET /api/collections`: every collection the caller is assigned to, across organizations. The official CLI calls
# it for `bw list org-collections` when the caller may not view all of an organization's collections.
assigned_router = APIRouter(prefix="/api/collections", tags=["collections"], dependencies=[Depends(authenticated)])


@assigned_router.get("")
async def list_assigned_collections(caller: CurrentUser, session: ReadSession) -> Any:
    data = await queries.sync(session, caller.user_id)
    return views.listing([views.collection_details(c) for c in data.collections])
