"""Event logs (Bitwarden's `EventsController`): `/api/organizations/{orgId}/events` and
`/api/organizations/{orgId}/users/{memberId}/events`, newest first, 100 per page, with `start`, `end` and
`continuationToken` as the web vault sends them."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from mspvault.organization.adapters import queries
from mspvault.shared.audit import EventListResponse, LogQueryParams
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import Now, ReadSession

router = APIRouter(prefix="/api/organizations/{org_id}", tags=["events"], dependencies=[Depends(authenticated)])


@router.get("/events", response_model=EventListResponse, summary="The organization's event log, newest first")
async def organization_events(
    org_id: uuid.UUID,
    caller: CurrentUser,
    session: ReadSession,
    asked: LogQueryParams,
    now: Now,
) -> EventListResponse:
    return EventListResponse.of(await queries.organization_events(session, caller.user_id, org_id, asked, now=now))


@router.get("/users/{member_id}/events", response_model=EventListResponse, summary="What one member did, newest first")
async def member_events(
    org_id: uuid.UUID,
    member_id: uuid.UUID,
    caller: CurrentUser,
    session: ReadSession,
    asked: LogQueryParams,
    now: Now,
) -> EventListResponse:
    return EventListResponse.of(await queries.member_events(session, caller.user_id, org_id, member_id, asked, now=now))
