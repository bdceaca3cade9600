"""`/internal/*`: the gateway composes `/api/sync` and the revision date from these; answers for the caller only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from mspvault.provider.adapters import queries
from mspvault.provider.entrypoints.http.responses import profile_provider, profile_provider_organization
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])


@router.get("/sync")
async def sync(caller: CurrentUser, session: ReadSession) -> dict[str, Any]:
    providers = await queries.my_providers(session, caller.user_id)
    clients = await queries.my_clients(session, providers)
    return {
        "providers": [profile_provider(item) for item in providers],
        "providerOrganizations": [profile_provider_organization(item) for item in clients],
    }


@router.get("/revision-date")
async def revision_date(caller: CurrentUser, session: ReadSession) -> dict[str, int]:
    revised = await queries.revision_date(session, caller.user_id)
    return {"revisionDate": 0 if revised is None else int(revised.timestamp() * 1000)}
