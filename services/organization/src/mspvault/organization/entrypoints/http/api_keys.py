"""The organization's API key: Owners view and rotate it (`/api/organizations/{id}/api-key`, `/rotate-api-key`),
and a token made with it (`client_credentials`, `organization.<id>`, scope `api.organization`) reads the
organization's own members at `/api/public/members`, as Bitwarden's public API does. A token whose key was rotated
since is refused (401) here, at once."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, HTTPException

from mspvault.organization.adapters import queries
from mspvault.organization.entrypoints.http.deps import Work
from mspvault.organization.entrypoints.http.requests import OrganizationApiKeyRequest
from mspvault.organization.entrypoints.http.responses import PublicMemberResponse
from mspvault.organization.service_layer import api_keys
from mspvault.shared.auth.principal import Principal
from mspvault.shared.http.deps import CurrentUser, OrganizationClient, authenticated, organization_client
from mspvault.shared.http.responses import ApiKeyResponse, ListResponse
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/api/organizations", tags=["organizations"], dependencies=[Depends(authenticated)])
public = APIRouter(prefix="/api/public", tags=["public"], dependencies=[Depends(organization_client)])


@router.post("/{org_id}/api-key", summary="The organization's API key (Owners; the master-password hash is checked)")
async def view_api_key(
    org_id: uuid.UUID, body: OrganizationApiKeyRequest, caller: CurrentUser, work: Work
) -> ApiKeyResponse:
    return ApiKeyResponse.of(await api_keys.view(work, caller, org_id, body.type))


@router.post("/{org_id}/rotate-api-key", summary="A new API key; the old one and its tokens stop working at once")
async def rotate_api_key(
    org_id: uuid.UUID, body: OrganizationApiKeyRequest, caller: CurrentUser, work: Work
) -> ApiKeyResponse:
    return ApiKeyResponse.of(await api_keys.rotate(work, caller, org_id, body.type))


async def _current_key(client: Principal, session: ReadSession) -> uuid.UUID:
    org_id = client.organization_id
    if org_id is None or client.security_stamp != await queries.api_key_stamp(session, org_id):
        raise HTTPException(401, "Invalid or expired token", headers={"WWW-Authenticate": "Bearer"})
    return org_id


@public.get("/members", summary="The organization's members (its API key's token)")
async def public_members(client: OrganizationClient, session: ReadSession) -> ListResponse[PublicMemberResponse]:
    org_id = await _current_key(client, session)
    return ListResponse(data=[PublicMemberResponse.of(view) for view in await queries.members_of(session, org_id)])
