"""`/internal/*`: the gateway composes `/api/sync` and the revision date from these; answers for the caller only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from mspvault.provider.adapters import queries
from mspvault.provider.entrypoints.http.responses import ProviderSyncResponse, client_kinds, provider_sync_json
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])


@router.get("/sync", responses={200: {"model": ProviderSyncResponse}})  # written by hand, documented by the model
async def sync(caller: CurrentUser, session: ReadSession) -> Response:
    providers = await queries.my_providers(session, caller.user_id)
    kinds = client_kinds(providers)
    clients = await queries.my_client_rows(session, providers, kinds)
    return Response(provider_sync_json(providers, kinds, clients), media_type="application/json")


@router.get("/revision-date")
async def revision_date(caller: CurrentUser, session: ReadSession) -> dict[str, int]:
    revised = await queries.revision_date(session, caller.user_id)
    return {"revisionDate": 0 if revised is None else int(revised.timestamp() * 1000)}


@router.get("/sole-ownership", include_in_schema=False)  # identity asks it before deleting the caller's account
async def sole_ownership(caller: CurrentUser, session: ReadSession) -> dict[str, int]:
    return {"providers": await queries.sole_admin_of(session, caller.user_id)}
