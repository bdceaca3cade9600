"""`/api/organizations`: create an organization, read one, edit its name and billing address."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from mspvault.organization.adapters import queries
from mspvault.organization.entrypoints.http.deps import Work
from mspvault.organization.entrypoints.http.requests import CreateOrganization, UpdateOrganization
from mspvault.organization.entrypoints.http.responses import OrganizationPublicKeyResponse, OrganizationResponse
from mspvault.organization.service_layer import organizations
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/api/organizations", tags=["organizations"], dependencies=[Depends(authenticated)])


@router.post("", summary="Create an organization; the caller becomes its confirmed Owner")
async def create_organization(
    body: CreateOrganization, caller: CurrentUser, work: Work, session: ReadSession
) -> OrganizationResponse:
    org_id = await organizations.create_organization(work, caller, body.command())
    return OrganizationResponse.of(await queries.organization(session, caller.user_id, org_id))


@router.get("/{org_id}", summary="One organization the caller belongs to (or administers through its provider)")
async def get_organization(org_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> OrganizationResponse:
    return OrganizationResponse.of(await queries.organization(session, caller.user_id, org_id))


@router.put("/{org_id}", summary="Rename the organization or change its billing email (its Owners and its provider)")
@router.post("/{org_id}", summary="Rename the organization or change its billing email (its Owners and its provider)")
async def update_organization(
    org_id: uuid.UUID, body: UpdateOrganization, caller: CurrentUser, work: Work, session: ReadSession
) -> OrganizationResponse:
    await organizations.update_organization(work, caller, body.command(org_id))
    return OrganizationResponse.of(await queries.organization(session, caller.user_id, org_id))


@router.get("/{org_id}/public-key", summary="The organization's public key (members wrap their recovery key to it)")
async def public_key(org_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> OrganizationPublicKeyResponse:
    return OrganizationPublicKeyResponse(
        public_key=await queries.public_key(session, caller.user_id, caller.email, org_id)
    )
