"""`/internal/…`: what the gateway composes into `/api/sync` and `/api/accounts/revision-date`, for the caller only."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response

from mspvault.organization.adapters import queries
from mspvault.organization.entrypoints.http.deps import Work
from mspvault.organization.entrypoints.http.responses import (
    AccountRecoveryTargetResponse,
    ProfileOrganizationResponse,
    RevisionDateResponse,
    SyncResponse,
    rights_json,
    sync_json,
)
from mspvault.organization.service_layer import account_recovery
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.http.responses import as_json
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])


@router.get("/sync", response_model=SyncResponse, summary="The caller's organizations, collections and policies")
async def sync(caller: CurrentUser, session: ReadSession) -> Response:
    data = await queries.sync_documents(session, caller.user_id, rights_json)
    return Response(sync_json(data.memberships, data.collections, data.policies), media_type="application/json")


@router.get(
    "/profile",
    response_model=SyncResponse,
    summary="The caller's organizations alone: a profile shows no collections or policies",
)
async def profile(caller: CurrentUser, session: ReadSession) -> Response:
    # A provider user may reach 10,000 client organizations: their collections, read and written for nothing, were
    # most of this service's time for a profile.
    memberships = await queries.memberships_of(session, caller.user_id)
    return as_json(
        SyncResponse(
            organizations=[ProfileOrganizationResponse.of(m) for m in memberships], collections=[], policies=[]
        )
    )


@router.get("/revision-date", summary="When what the caller sees of organizations last changed")
async def revision_date(caller: CurrentUser, session: ReadSession) -> RevisionDateResponse:
    return RevisionDateResponse.of(await queries.revision_date(session, caller.user_id))


@router.get(
    "/organizations/{org_id}/users/{member_id}/account-recovery",
    include_in_schema=False,  # identity asks it, as the recovering caller; no client ever does
)
async def account_recovery_target(
    org_id: uuid.UUID, member_id: uuid.UUID, caller: CurrentUser, work: Work
) -> AccountRecoveryTargetResponse:
    """May the caller recover this member, and with what: 404 for whoever may not (domain/account_recovery.py)."""
    return AccountRecoveryTargetResponse.of(await account_recovery.recovery_target(work, caller, org_id, member_id))


@router.get("/sole-ownership", include_in_schema=False)  # identity asks it before deleting the caller's account
async def sole_ownership(caller: CurrentUser, session: ReadSession) -> dict[str, int]:
    return {"organizations": await queries.sole_owner_of(session, caller.user_id)}
