"""`/api/organizations/{orgId}/users`: the member lifecycle, as Bitwarden's web vault and CLI call it.

Fixed paths (`invite`, `confirm`, `revoke`, …) are declared before `{memberId}` ones so they are never read as ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import APIRouter, Depends, Response

from mspvault.organization.adapters import queries
from mspvault.organization.domain.members import BulkResult
from mspvault.organization.entrypoints.http.deps import Work
from mspvault.organization.entrypoints.http.requests import (
    Accept,
    BulkConfirm,
    Confirm,
    Ids,
    Invite,
    ResetPasswordEnrollment,
    UpdateMember,
)
from mspvault.organization.entrypoints.http.responses import (
    BulkResultResponse,
    MemberDetailsResponse,
    PublicKeyResponse,
    bulk,
)
from mspvault.organization.service_layer import account_recovery, commands, members
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.auth.principal import Principal
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.http.responses import ListResponse
from mspvault.shared.runtime import ReadSession

M = TypeVar("M", bound=commands.SomeMembers)
BulkHandler = Callable[[OrganizationWork, Principal, M], Awaitable[list[BulkResult]]]
BulkEndpoint = Callable[..., Awaitable[ListResponse[BulkResultResponse]]]

router = APIRouter(prefix="/api/organizations/{org_id}/users", tags=["members"], dependencies=[Depends(authenticated)])


@router.get("", summary="The members (user, group and collection managers)")
async def list_members(
    org_id: uuid.UUID,
    caller: CurrentUser,
    session: ReadSession,
    includeCollections: bool = False,  # Bitwarden's query names
    includeGroups: bool = False,
) -> ListResponse[MemberDetailsResponse]:
    found = await queries.list_members(
        session, caller.user_id, org_id, with_collections=includeCollections, with_groups=includeGroups
    )
    return ListResponse(data=[MemberDetailsResponse.of(m) for m in found])


@router.post("/invite", summary="Invite by email; each invitee gets a single-use link", response_class=Response)
async def invite(org_id: uuid.UUID, body: Invite, caller: CurrentUser, work: Work) -> Response:
    await members.invite_members(work, caller, body.command(org_id))
    return Response(status_code=200)


def _for_each_id(handler: BulkHandler[M], command: type[M]) -> BulkEndpoint:
    """The endpoint of a bulk route: the body's ids become `command`, and each id gets its own result."""

    async def endpoint(
        org_id: uuid.UUID, body: Ids, caller: CurrentUser, work: Work
    ) -> ListResponse[BulkResultResponse]:
        return bulk(await handler(work, caller, command(org_id, tuple(body.ids))))

    return endpoint


router.post("/reinvite", name="bulk_reinvite", summary="Send fresh invite links (per-id results)")(
    _for_each_id(members.reinvite_members, commands.ReinviteMembers)
)


@router.post("/public-keys", summary="The public keys of members about to be confirmed (user managers)")
async def public_keys(
    org_id: uuid.UUID, body: Ids, caller: CurrentUser, session: ReadSession
) -> ListResponse[PublicKeyResponse]:
    found = await queries.public_keys(session, caller.user_id, org_id, body.ids)
    return ListResponse(data=[PublicKeyResponse(id=k.id, user_id=k.user_id, key=k.key) for k in found])


@router.post("/confirm", summary="Confirm accepted members with their wrapped org keys (per-id results)")
async def bulk_confirm(
    org_id: uuid.UUID, body: BulkConfirm, caller: CurrentUser, work: Work
) -> ListResponse[BulkResultResponse]:
    keys = tuple((k.id, k.key) for k in body.keys)
    return bulk(await members.confirm_members(work, caller, commands.ConfirmMembers(org_id, keys)))


router.put("/revoke", name="bulk_revoke", summary="Revoke members (per-id results)")(
    _for_each_id(members.revoke_members, commands.RevokeMembers)
)
router.put("/restore", name="bulk_restore", summary="Restore revoked members (per-id results)")(
    _for_each_id(members.restore_members, commands.RestoreMembers)
)
bulk_remove = _for_each_id(members.remove_members, commands.RemoveMembers)
for method, path in (("POST", "/delete"), ("POST", "/remove"), ("DELETE", "")):  # Bitwarden's three spellings
    router.add_api_route(
        path, bulk_remove, methods=[method], name="bulk_remove", summary="Remove members (per-id results)"
    )


@router.get("/{member_id}", summary="One member (managers, or the member themselves)")
async def get_member(
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    caller: CurrentUser,
    session: ReadSession,
    includeGroups: bool = False,
) -> MemberDetailsResponse:
    return MemberDetailsResponse.of(
        await queries.member(session, caller.user_id, org_id, member_id, with_groups=includeGroups)
    )


@router.put(
    "/{member_id}", summary="Change a member's type, permissions, collections and groups", response_class=Response
)
@router.post(
    "/{member_id}", summary="Change a member's type, permissions, collections and groups", response_class=Response
)
async def update_member(
    org_id: uuid.UUID, member_id: uuid.UUID, body: UpdateMember, caller: CurrentUser, work: Work
) -> Response:
    await members.update_member(work, caller, body.command(org_id, member_id))
    return Response(status_code=200)


@router.post("/{member_id}/reinvite", summary="Send a fresh invite link", response_class=Response)
async def reinvite(org_id: uuid.UUID, member_id: uuid.UUID, caller: CurrentUser, work: Work) -> Response:
    await members.reinvite_member(work, caller, commands.ReinviteMember(org_id, member_id))
    return Response(status_code=200)


@router.post("/{member_id}/accept", summary="Accept an invitation with the mailed token", response_class=Response)
async def accept(org_id: uuid.UUID, member_id: uuid.UUID, body: Accept, caller: CurrentUser, work: Work) -> Response:
    await members.accept_invite(
        work, caller, commands.AcceptInvite(org_id, member_id, body.token, body.reset_password_key)
    )
    return Response(status_code=200)


@router.put(
    "/{user_id}/reset-password-enrollment",
    summary="Enrol the caller in account recovery (their user key wrapped to the org's public key), or withdraw",
    response_class=Response,
)
async def reset_password_enrollment(
    org_id: uuid.UUID, user_id: uuid.UUID, body: ResetPasswordEnrollment, caller: CurrentUser, work: Work
) -> Response:
    # Bitwarden names the user id here, not the membership id.
    await account_recovery.enroll(
        work, caller, commands.EnrollInAccountRecovery(org_id, user_id, body.reset_password_key)
    )
    return Response(status_code=200)


@router.post(
    "/{member_id}/confirm",
    summary="Confirm an accepted member with the org key wrapped to them",
    response_class=Response,
)
async def confirm(org_id: uuid.UUID, member_id: uuid.UUID, body: Confirm, caller: CurrentUser, work: Work) -> Response:
    await members.confirm_member(work, caller, commands.ConfirmMember(org_id, member_id, body.key))
    return Response(status_code=200)


@router.put("/{member_id}/revoke", summary="Revoke a member", response_class=Response)
@router.post("/{member_id}/revoke", summary="Revoke a member", response_class=Response)
async def revoke(org_id: uuid.UUID, member_id: uuid.UUID, caller: CurrentUser, work: Work) -> Response:
    await members.revoke_member(work, caller, commands.RevokeMember(org_id, member_id))
    return Response(status_code=200)


@router.put("/{member_id}/restore", summary="Restore a revoked member", response_class=Response)
@router.post("/{member_id}/restore", summary="Restore a revoked member", response_class=Response)
async def restore(org_id: uuid.UUID, member_id: uuid.UUID, caller: CurrentUser, work: Work) -> Response:
    await members.restore_member(work, caller, commands.RestoreMember(org_id, member_id))
    return Response(status_code=200)


@router.delete("/{member_id}", summary="Remove a member", response_class=Response)
@router.post("/{member_id}/remove", summary="Remove a member", response_class=Response)
@router.post("/{member_id}/delete", summary="Remove a member", response_class=Response)
async def remove(org_id: uuid.UUID, member_id: uuid.UUID, caller: CurrentUser, work: Work) -> Response:
    await members.remove_member(work, caller, commands.RemoveMember(org_id, member_id))
    return Response(status_code=200)
