"""`/api/organizations/{orgId}/groups`: CRUD with collection grants and members."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Response

from mspvault.organization.adapters import queries
from mspvault.organization.entrypoints.http import views
from mspvault.organization.entrypoints.http.deps import Work
from mspvault.organization.entrypoints.http.requests import GroupBody
from mspvault.organization.service_layer import groups
from mspvault.organization.service_layer.commands import DeleteGroup, SetGroupMembers
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/api/organizations/{org_id}/groups", tags=["groups"], dependencies=[Depends(authenticated)])


@router.get("")
async def list_groups(org_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> Any:
    return views.listing(
        [views.group(g) for g in await queries.list_groups(session, caller.user_id, org_id, details=False)]
    )


@router.get("/details")
async def list_group_details(org_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> Any:
    found = await queries.list_groups(session, caller.user_id, org_id, details=True)
    return views.listing([views.group_details(g) for g in found])


async def _details(session: Any, user_id: uuid.UUID, org_id: uuid.UUID, group_id: uuid.UUID) -> Any:
    found = await queries.list_groups(session, user_id, org_id, details=True, only=group_id)
    return views.group_details(found[0])


@router.post("")
async def create_group(
    org_id: uuid.UUID, body: GroupBody, caller: CurrentUser, work: Work, session: ReadSession
) -> Any:
    group_id = await groups.create_group(work, caller, body.create_command(org_id))
    return await _details(session, caller.user_id, org_id, group_id)


@router.get("/{group_id}")
async def get_group(org_id: uuid.UUID, group_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> Any:
    found = await queries.list_groups(session, caller.user_id, org_id, details=False, only=group_id)
    return views.group(found[0])


@router.get("/{group_id}/details")
async def get_group_details(org_id: uuid.UUID, group_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> Any:
    return await _details(session, caller.user_id, org_id, group_id)


@router.get("/{group_id}/users")
async def get_group_users(org_id: uuid.UUID, group_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> Any:
    found = await queries.list_groups(session, caller.user_id, org_id, details=True, only=group_id)
    return [str(m) for m in found[0].member_ids]


@router.put("/{group_id}")
@router.post("/{group_id}")
async def update_group(
    org_id: uuid.UUID, group_id: uuid.UUID, body: GroupBody, caller: CurrentUser, work: Work, session: ReadSession
) -> Any:
    await groups.update_group(work, caller, body.update_command(org_id, group_id))
    return await _details(session, caller.user_id, org_id, group_id)


@router.put("/{group_id}/users")
async def set_group_users(
    org_id: uuid.UUID, group_id: uuid.UUID, body: list[uuid.UUID], caller: CurrentUser, work: Work
) -> Response:
    await groups.set_group_members(work, caller, SetGroupMembers(org_id, group_id, tuple(body)))
    return Response(status_code=200)


@router.delete("/{group_id}")
@router.post("/{group_id}/delete")
async def delete_group(org_id: uuid.UUID, group_id: uuid.UUID, caller: CurrentUser, work: Work) -> Response:
    await groups.delete_group(work, caller, DeleteGroup(org_id, group_id))
    return Response(status_code=200)
