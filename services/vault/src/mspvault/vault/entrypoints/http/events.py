"""`/api/ciphers/{id}/events` (Bitwarden's `EventsController.GetCipher`): one item's log, newest first, 100 per page,
with `start`, `end` and `continuationToken`. Who may read it: domain/audit.py; anyone else gets 404."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from mspvault.shared.audit.paging import LogQueryParams
from mspvault.shared.audit.responses import EventListResponse
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import AppClock, ReadSession
from mspvault.vault.adapters import queries

router = APIRouter(prefix="/api/ciphers", tags=["events"], dependencies=[Depends(authenticated)])


@router.get("/{cipher_id}/events", response_model=EventListResponse, summary="One item's event log")
async def cipher_events(
    cipher_id: uuid.UUID, caller: CurrentUser, session: ReadSession, asked: LogQueryParams, clock: AppClock
) -> EventListResponse:
    return EventListResponse.of(await queries.cipher_events(session, caller.user_id, cipher_id, asked, clock))
