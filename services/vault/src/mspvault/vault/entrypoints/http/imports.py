"""Imports and the organization-wide item views (`/api/ciphers/import*`, `/api/ciphers/organization-details`,
`/api/ciphers/admin`). Registered before the cipher routes, so `import` or `admin` never reads as an item id.

The public organization import is the gateway's (it has the organization service create the new collections
first, `gateway/routes/imports.py`); it then calls the internal route here with every collection confirmed."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.http.responses import ListResponse
from mspvault.shared.runtime import ReadSession
from mspvault.vault.adapters import queries
from mspvault.vault.entrypoints.http.deps import Work
from mspvault.vault.entrypoints.http.requests import ImportCiphersRequest, ImportOrganizationCiphersRequest
from mspvault.vault.entrypoints.http.responses import (
    CipherDetailsResponse,
    ImportCheckResponse,
    cipher_details,
    cipher_list,
    empty_response,
    json_response,
)
from mspvault.vault.service_layer import imports

router = APIRouter(prefix="/api/ciphers", tags=["import and export"], dependencies=[Depends(authenticated)])
internal = APIRouter(prefix="/internal/ciphers", tags=["internal"], dependencies=[Depends(authenticated)])

OrganizationId = Annotated[uuid.UUID, Query(alias="organizationId")]


@router.post("/import", summary="Import items and folders into the caller's own vault", response_class=Response)
async def import_personal(caller: CurrentUser, work: Work, body: ImportCiphersRequest) -> Response:
    await imports.import_personal(work, caller, body.command())
    return empty_response()


@internal.post(
    "/import-organization",
    summary="Import items into an organization's collections, every collection already confirmed by the "
    "organization service (the gateway's public route calls this); `check=true` validates and authorizes only",
    response_model=ImportCheckResponse,
)
async def import_organization(
    caller: CurrentUser,
    work: Work,
    organization_id: OrganizationId,
    body: ImportOrganizationCiphersRequest,
    check: bool = False,
) -> ImportCheckResponse:
    command = body.command(organization_id, confirmed=not check, check_only=check)
    return ImportCheckResponse(cipher_count=await imports.import_into_organization(work, caller, command))


@router.get(
    "/organization-details",
    summary="Every item of an organization, for those who administer its whole vault (the admin console, export)",
    response_model=ListResponse[CipherDetailsResponse],
)
@router.get("/admin", include_in_schema=False)
async def organization_details(caller: CurrentUser, session: ReadSession, organization_id: OrganizationId) -> Response:
    return json_response(cipher_list(await queries.organization_ciphers(session, caller.user_id, organization_id)))


@router.get(
    "/organization-details/assigned",
    summary="The items of an organization the caller sees through their collections",
    response_model=ListResponse[CipherDetailsResponse],
)
async def organization_assigned(caller: CurrentUser, session: ReadSession, organization_id: OrganizationId) -> Response:
    return json_response(cipher_list(await queries.organization_assigned(session, caller.user_id, organization_id)))


@router.get(
    "/{cipher_id}/admin",
    summary="One organization item, as its administrators see it",
    response_model=CipherDetailsResponse,
)
async def admin_cipher(caller: CurrentUser, session: ReadSession, cipher_id: uuid.UUID) -> Response:
    return json_response(cipher_details(await queries.organization_cipher(session, caller.user_id, cipher_id)))
