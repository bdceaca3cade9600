"""`/internal/…`: what the gateway composes into `/api/sync` and `/api/accounts/revision-date`, for the caller only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from mspvault.organization.adapters import queries
from mspvault.organization.entrypoints.http import views
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])


@router.get("/sync")
async def sync(caller: CurrentUser, session: ReadSession) -> Any:
    data = await queries.sync(session, caller.user_id)
    return JSONResponse(
        {
            "organizations": [views.profile_organization(m) for m in data.memberships],
            "collections": [views.collection_details(c) for c in data.collections],
            "policies": [views.policy(p) for p in data.policies],
        }
    )


@router.get("/revision-date")
async def revision_date(caller: CurrentUser, session: ReadSession) -> Any:
    revised = await queries.revision_date(session, caller.user_id)
    return {"revisionDate": int(revised.timestamp() * 1000) if revised else 0}
