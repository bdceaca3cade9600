"""`/api/organizations/{orgId}/groups`: CRUD with collection grants and members."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.organization.adapters import queries
from mspvault.organization.entrypoints.http.deps import Work
from mspvault.organization.entrypoints.http.requests import GroupBody
from mspvault.organization.entrypoints.http.responses import GroupDetailsResponse, GroupResponse
from mspvault.organization.service_layer import groups
from mspvault.organization.service_layer.commands import DeleteGroup, SetGroupMembers
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.http.responses import ListResponse
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/api/organizations/{org_id}/groups", tags=["groups"], dependencies=[Depends(authenticated)])


@router.get("", summary="The organization's groups")
async def list_groups(org_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> ListResponse[GroupResponse]:
    found = await queries.list_groups(session, caller.user_id, org_id, details=False)
    return ListResponse(data=[GroupResponse.of(g) for g in found])


@router.get("/details", summary="The groups with their collections and members (group and user managers)")
async def list_group_details(
    org_id: uuid.UUID, caller: CurrentUser, session: ReadSession
) -> ListResponse[GroupDetailsResponse]:
    found = await queries.list_groups(session, caller.user_id, org_id, details=True)
    return ListResponse(data=[GroupDetailsResponse.of(g) for g in found])


async def _details(
    session: AsyncSession, user_id: uuid.UUID, org_id: uuid.UUID, group_id: uuid.UUID
) -> GroupDetailsResponse:
    found = await queries.list_groups(session, user_id, org_id, details=True, only=group_id)
    return GroupDetailsResponse.of(found[0])


@router.post("", summary="Create a group with its collection grants and members")
async def create_group(
    org_id: uuid.UUID, body: GroupBody, caller: CurrentUser, work: Work, session: ReadSession
) -> GroupDetailsResponse:
    group_id = await groups.create_group(work, caller, body.create_command(org_id))
    return await _details(session, caller.user_id, org_id, group_id)


@router.get("/{group_id}", summary="One group")
async def get_group(org_id: uuid.UUID, group_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> GroupResponse:
    found = await queries.list_groups(session, caller.user_id, org_id, details=False, only=group_id)
    return GroupResponse.of(found[0])


@router.get("/{group_id}/details", summary="One group with its collections and members")
async def get_group_details(
    org_id: uuid.UUID, group_id: uuid.UUID, caller: CurrentUser, session: ReadSession
) -> GroupDetailsResponse:
    return await _details(session, caller.user_id, org_id, group_id)


@router.get("/{group_id}/users", summary="The member ids of one group")
async def get_group_users(
    org_id: uuid.UUID, group_id: uuid.UUID, caller: CurrentUser, session: ReadSession
) -> list[uuid.UUID]:
    found = await queries.list_groups(session, caller.user_id, org_id, details=True, only=group_id)
    return found[0].member_ids


@router.put("/{group_id}", summary="Rename a group; replace its collections or members when given")
@router.post("/{group_id}", summary="Rename a group; replace its collections or members when given")
async def update_group(
    org_id: uuid.UUID, group_id: uuid.UUID, body: GroupBody, caller: CurrentUser, work: Work, session: ReadSession
) -> GroupDetailsResponse:
    await groups.update_group(work, caller, body.update_command(org_id, group_id))
    return await _details(session, caller.user_id, org_id, group_id)


@router.put("/{group_id}/users", summary="Replace a group's members", response_class=Response)
async def set_group_users(
    org_id: uuid.UUID, group_id: uuid.UUID, body: list[uuid.UUID], caller: CurrentUser, work: Work
) -> Response:
    await groups.set_group_members(work, caller, SetGroupMembers(org_id, group_id, tuple(body)))
    return Response(status_code=200)


@router.delete("/{group_id}", summary="Delete a group", response_class=Response)
@router.post("/{group_id}/delete", summary="Delete a group", response_class=Response)
async def delete_group(org_id: uuid.UUID, group_id: uuid.UUID, caller: CurrentUser, work: Work) -> Response:
    await groups.delete_group(work, caller, DeleteGroup(org_id, group_id))
    return Response(status_code=200)
