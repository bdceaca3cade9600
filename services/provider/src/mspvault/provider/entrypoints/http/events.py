"""Event logs of a provider, for its Provider Admins (Bitwarden's `ProviderAccessEventLogs`; everyone else 404):

- `/api/providers/{providerId}/events`: the provider's own events and what its users did inside client orgs;
- `/api/providers/{providerId}/users/{providerUserId}/events`: the same, for one acting provider user;
- `/api/providers/{providerId}/clients/events` (ours): everything that happened in its client organizations while
  they were its clients, whoever acted. Per-client logs stay at `/api/organizations/{id}/events`.

Newest first, 100 per page, with `start`, `end` and `continuationToken` as Bitwarden's clients send them.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from mspvault.provider.adapters import queries
from mspvault.provider.entrypoints.http.deps import AdminSession
from mspvault.shared.audit.paging import LogQueryParams
from mspvault.shared.audit.responses import EventListResponse
from mspvault.shared.http.deps import authenticated
from mspvault.shared.runtime import Now

router = APIRouter(prefix="/api/providers/{provider_id}", tags=["events"], dependencies=[Depends(authenticated)])


@router.get("/events", response_model=EventListResponse)
async def provider_events(
    provider_id: uuid.UUID, session: AdminSession, asked: LogQueryParams, now: Now
) -> EventListResponse:
    return EventListResponse.of(await queries.provider_events(session, provider_id, asked, now))


@router.get("/users/{provider_user_id}/events", response_model=EventListResponse)
async def provider_user_events(
    provider_id: uuid.UUID, provider_user_id: uuid.UUID, session: AdminSession, asked: LogQueryParams, now: Now
) -> EventListResponse:
    return EventListResponse.of(await queries.provider_user_events(session, provider_id, provider_user_id, asked, now))


@router.get("/clients/events", response_model=EventListResponse)
async def client_events(
    provider_id: uuid.UUID, session: AdminSession, asked: LogQueryParams, now: Now
) -> EventListResponse:
    return EventListResponse.of(await queries.client_events(session, provider_id, asked, now))
