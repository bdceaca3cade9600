"""Service-to-gateway routes: never exposed by the gateway, and still answering for the caller only."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from mspvault.identity.entrypoints.http.deps import CallerAccount, Work
from mspvault.identity.entrypoints.http.responses import (
    InternalSyncResponse,
    OperatorStatusResponse,
    RevisionDateResponse,
)
from mspvault.identity.service_layer.tokens import is_operator
from mspvault.shared.http.deps import authenticated

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])


@router.get("/revision-date")
async def revision_date(account: CallerAccount) -> RevisionDateResponse:
    return RevisionDateResponse.of(account)


@router.get("/sync")
async def sync(account: CallerAccount) -> InternalSyncResponse:
    return InternalSyncResponse.of(account)


@router.get("/operator", include_in_schema=False)  # the gateway reads it; no client ever does
async def operator(account: CallerAccount, work: Work) -> OperatorStatusResponse:
    """Whether the caller is a platform operator now: the gateway asks (and caches briefly) before an operator route,
    so removing an operator takes effect without waiting for their token to expire."""
    return OperatorStatusResponse(operator=await is_operator(work, account.email))
