"""`/api/organizations/{orgId}/collections`: list, details, create, update, delete."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Response

from mspvault.organization.entrypoints.http import views
from mspvault.organization.entrypoints.http.api_models import CollectionBody
from mspvault.organization.service_layer import collections, queries
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession, UoW

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
    org_id: uuid.UUID, body: CollectionBody, caller: CurrentUser, uow: UoW, session: ReadSession
) -> Any:
    collection_id = await collections.create(
        uow,
        caller,
        org_id,
        name=body.name,
        external_id=body.external_id,
        users=[s.grant() for s in body.users or []],
        groups=[s.grant() for s in body.groups or []],
    )
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
    uow: UoW,
    session: ReadSession,
) -> Any:
    await collections.update_collection(
        uow,
        caller,
        org_id,
        collection_id,
        name=body.name,
        external_id=body.external_id,
        users=[s.grant() for s in body.users] if body.users is not None else None,
        groups=[s.grant() for s in body.groups] if body.groups is not None else None,
    )
    return await _details(session, caller.user_id, org_id, collection_id)


@router.delete("/{collection_id}")
@router.post("/{collection_id}/delete")
async def delete_collection(org_id: uuid.UUID, collection_id: uuid.UUID, caller: CurrentUser, uow: UoW) -> Response:
    await collections.delete_collection(uow, caller, org_id, collection_id)
    return Response(status_code=200)


# `GET /api/collections`: every collection the caller is assigned to, across organizations. The official CLI calls
# it for `bw list org-collections` when the caller may not view all of an organization's collections.
assigned_router = APIRouter(prefix="/api/collections", tags=["collections"], dependencies=[Depends(authenticated)])


@assigned_router.get("")
async def list_assigned_collections(caller: CurrentUser, session: ReadSession) -> Any:
    data = await queries.sync(session, caller.user_id)
    return views.listing([views.collection_details(c) for c in data.collections])
