"""`/internal`: the vault's parts of the gateway's `/api/sync` and `/api/accounts/revision-date`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession
from mspvault.vault.adapters import queries
from mspvault.vault.entrypoints.http import responses
from mspvault.vault.entrypoints.http.responses import RevisionDateResponse, json_response

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])


@router.get("/revision-date", summary="Last change the caller can see here (epoch ms)")
async def revision_date(caller: CurrentUser, session: ReadSession) -> RevisionDateResponse:
    return RevisionDateResponse(revision_date=await queries.revision_date_ms(session, caller.user_id))


@router.get("/sync", summary="The caller's folders and ciphers, for /api/sync")
async def sync_part(caller: CurrentUser, session: ReadSession) -> Response:
    folders, documents = await queries.sync_documents(session, caller.user_id)
    return json_response(responses.sync_part_of_documents(folders, documents))
