"""`/api/organizations/{orgId}/users`: the member lifecycle, as Bitwarden's web vault and CLI call it.

Fixed paths (`invite`, `confirm`, `revoke`, …) are declared before `{memberId}` ones so they are never read as ids.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Response

from mspvault.organization.entrypoints.http import views
from mspvault.organization.entrypoints.http.deps import Mailer, Now, Tokens
from mspvault.organization.entrypoints.http.requests import Accept, BulkConfirm, Confirm, Ids, Invite, UpdateMember
from mspvault.organization.service_layer import members, queries
from mspvault.organization.service_layer.members import Assignment
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession, UoW

router = APIRouter(prefix="/api/organizations/{org_id}/users", tags=["members"], dependencies=[Depends(authenticated)])


def _assignment(body: Invite | UpdateMember) -> Assignment:
    return Assignment(
        type=body.type,
        permissions=body.permissions,
        collections=[s.grant() for s in body.collections] if body.collections is not None else None,
        groups=body.groups,
        access_secrets_manager=body.access_secrets_manager,
    )


@router.get("")
async def list_members(
    org_id: uuid.UUID,
    caller: CurrentUser,
    session: ReadSession,
    includeCollections: bool = False,  # Bitwarden's query names
    includeGroups: bool = False,
) -> Any:
    found = await queries.list_members(
        session, caller.user_id, org_id, with_collections=includeCollections, with_groups=includeGroups
    )
    return views.listing([views.member_details(m) for m in found])


@router.post("/invite")
async def invite(org_id: uuid.UUID, body: Invite, caller: CurrentUser, uow: UoW, mailer: Mailer, now: Now) -> Response:
    await members.invite(uow, caller, org_id, body.emails, _assignment(body), mailer, now=now)
    return Response(status_code=200)


@router.post("/reinvite")
async def bulk_reinvite(org_id: uuid.UUID, body: Ids, caller: CurrentUser, uow: UoW, mailer: Mailer, now: Now) -> Any:
    return views.bulk(await members.bulk_reinvite(uow, caller, org_id, body.ids, mailer, now=now))


@router.post("/public-keys")
async def public_keys(org_id: uuid.UUID, body: Ids, caller: CurrentUser, uow: UoW) -> Any:
    found = await members.public_keys(uow, caller, org_id, body.ids)
    return views.listing(
        [
            {
                "id": str(k["id"]),
                "userId": str(k["user_id"]),
                "key": k["key"],
                "object": "organizationUserPublicKeyResponseModel",
            }
            for k in found
        ]
    )


@router.post("/confirm")
async def bulk_confirm(org_id: uuid.UUID, body: BulkConfirm, caller: CurrentUser, uow: UoW) -> Any:
    return views.bulk(await members.bulk_confirm(uow, caller, org_id, [(k.id, k.key) for k in body.keys]))


@router.put("/revoke")
async def bulk_revoke(org_id: uuid.UUID, body: Ids, caller: CurrentUser, uow: UoW) -> Any:
    return views.bulk(await members.bulk_change(uow, caller, org_id, body.ids, "revoke"))


@router.put("/restore")
async def bulk_restore(org_id: uuid.UUID, body: Ids, caller: CurrentUser, uow: UoW) -> Any:
    return views.bulk(await members.bulk_change(uow, caller, org_id, body.ids, "restore"))


@router.delete("")
@router.post("/remove")
@router.post("/delete")
async def bulk_remove(org_id: uuid.UUID, body: Ids, caller: CurrentUser, uow: UoW) -> Any:
    return views.bulk(await members.bulk_change(uow, caller, org_id, body.ids, "remove"))


@router.get("/{member_id}")
async def get_member(
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    caller: CurrentUser,
    session: ReadSession,
    includeGroups: bool = False,
) -> Any:
    return views.member_details(
        await queries.member(session, caller.user_id, org_id, member_id, with_groups=includeGroups)
    )


@router.put("/{member_id}")
@router.post("/{member_id}")
async def update_member(
    org_id: uuid.UUID, member_id: uuid.UUID, body: UpdateMember, caller: CurrentUser, uow: UoW
) -> Response:
    await members.update(uow, caller, org_id, member_id, _assignment(body))
    return Response(status_code=200)


@router.post("/{member_id}/reinvite")
async def reinvite(
    org_id: uuid.UUID, member_id: uuid.UUID, caller: CurrentUser, uow: UoW, mailer: Mailer, now: Now
) -> Response:
    await members.reinvite(uow, caller, org_id, member_id, mailer, now=now)
    return Response(status_code=200)


@router.post("/{member_id}/accept")
async def accept(
    org_id: uuid.UUID, member_id: uuid.UUID, body: Accept, caller: CurrentUser, uow: UoW, tokens: Tokens, now: Now
) -> Response:
    await members.accept(uow, caller, org_id, member_id, body.token, tokens, now=now)
    return Response(status_code=200)


@router.post("/{member_id}/confirm")
async def confirm(org_id: uuid.UUID, member_id: uuid.UUID, body: Confirm, caller: CurrentUser, uow: UoW) -> Response:
    await members.confirm(uow, caller, org_id, member_id, body.key)
    return Response(status_code=200)


@router.put("/{member_id}/revoke")
@router.post("/{member_id}/revoke")
async def revoke(org_id: uuid.UUID, member_id: uuid.UUID, caller: CurrentUser, uow: UoW) -> Response:
    await members.change(uow, caller, org_id, member_id, "revoke")
    return Response(status_code=200)


@router.put("/{member_id}/restore")
@router.post("/{member_id}/restore")
async def restore(org_id: uuid.UUID, member_id: uuid.UUID, caller: CurrentUser, uow: UoW) -> Response:
    await members.change(uow, caller, org_id, member_id, "restore")
    return Response(status_code=200)


@router.delete("/{member_id}")
@router.post("/{member_id}/remove")
@router.post("/{member_id}/delete")
async def remove(org_id: uuid.UUID, member_id: uuid.UUID, caller: CurrentUser, uow: UoW) -> Response:
    await members.change(uow, caller, org_id, member_id, "remove")
    return Response(status_code=200)
