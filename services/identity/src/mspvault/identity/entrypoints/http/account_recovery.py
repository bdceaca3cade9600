"""`/api/organizations/{orgId}/users/{id}/reset-password[-details]`: account recovery, served by identity (the
gateway routes these two paths here) after the organization service, asked as the caller, says they may."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from mspvault.identity.adapters.organization_directory import OrganizationUnavailable
from mspvault.identity.adapters.password_hasher import HashPoolSaturated
from mspvault.identity.entrypoints.http.deps import Work
from mspvault.identity.entrypoints.http.requests import ResetPasswordRequest
from mspvault.identity.entrypoints.http.responses import ResetPasswordDetailsResponse
from mspvault.identity.service_layer import account_recovery
from mspvault.identity.service_layer.commands import RecoverAccount
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.observability.logging import get_logger

log = get_logger(__name__)

router = APIRouter(
    prefix="/api/organizations/{org_id}/users/{member_id}",
    tags=["account recovery"],
    dependencies=[Depends(authenticated)],
)


def _bearer(request: Request) -> str:
    return request.headers.get("authorization", "").partition(" ")[2]  # `authenticated` verified it


@router.get("/reset-password-details", summary="What the recovering admin's client needs (KDF, wrapped keys)")
async def reset_password_details(
    org_id: uuid.UUID, member_id: uuid.UUID, request: Request, work: Work
) -> ResetPasswordDetailsResponse:
    try:
        target, account = await account_recovery.details(work, _bearer(request), org_id, member_id)
    except OrganizationUnavailable as error:
        raise HTTPException(503, "Account recovery is unavailable; try again.", headers={"Retry-After": "5"}) from error
    return ResetPasswordDetailsResponse.of(target, account)


@router.put(
    "/reset-password",
    summary="Recover a member: their new master password, made on the admin's client",
    response_class=Response,
)
async def reset_password(
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    body: ResetPasswordRequest,
    caller: CurrentUser,
    request: Request,
    work: Work,
) -> Response:
    command = RecoverAccount(org_id, member_id, body.new_master_password_hash, body.key)
    try:
        user_id = await account_recovery.recover(work, caller, _bearer(request), command)
    except OrganizationUnavailable as error:
        raise HTTPException(503, "Account recovery is unavailable; try again.", headers={"Retry-After": "5"}) from error
    except HashPoolSaturated as error:
        headers = {"Retry-After": str(error.retry_after_seconds)}
        raise HTTPException(503, "The server is busy. Try again in a moment.", headers=headers) from error
    log.info("user.account_recovered", user_id=str(user_id), by=str(caller.user_id), organization_id=str(org_id))
    return Response(status_code=200)
