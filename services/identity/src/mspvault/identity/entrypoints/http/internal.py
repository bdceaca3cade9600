"""Service-to-gateway routes: never exposed by the gateway, and still answering for the caller only."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from mspvault.identity.entrypoints.http.deps import CallerAccount
from mspvault.identity.entrypoints.http.responses import InternalSyncResponse, RevisionDateResponse
from mspvault.shared.http.deps import authenticated

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])


@router.get("/revision-date")
async def revision_date(account: CallerAccount) -> RevisionDateResponse:
    return RevisionDateResponse.of(account)


@router.get("/sync")
async def sync(account: CallerAccount) -> InternalSyncResponse:
    return InternalSyncResponse.of(account)
