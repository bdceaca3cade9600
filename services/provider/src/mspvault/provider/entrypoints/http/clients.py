"""Client organizations: `/api/providers/{providerId}/organizations` (list, detach) and `/clients` (create; seats,
name and item access; addable, existing). Any active provider user may use them (DESIGN.md §1: Service Users
administer clients)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from mspvault.provider.adapters import queries
from mspvault.provider.entrypoints.http.deps import Work
from mspvault.provider.entrypoints.http.requests import (
    AddExistingClientRequest,
    CreateClientRequest,
    UpdateClientRequest,
)
from mspvault.provider.entrypoints.http.responses import (
    DONE,
    AddableOrganizationResponse,
    ClientListResponse,
    ListResponse,
    ProviderOrganizationResponse,
    client_list_json,
)
from mspvault.provider.service_layer import clients as commands
from mspvault.provider.service_layer.commands import AddExistingClient, ChangeClient, CreateClient, DetachClient
from mspvault.shared.by_name import dataclass_by_name
from mspvault.shared.http.compression import json_body_response
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession, SingleStatementSession

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500

router = APIRouter(prefix="/api/providers/{provider_id}", tags=["clients"], dependencies=[Depends(authenticated)])


@router.get(
    "/organizations",
    response_model=ClientListResponse,
    summary="The provider's clients by name: all of them (Bitwarden's shape), or a page of them with `pageSize`",
)
async def list_clients(
    provider_id: uuid.UUID,
    caller: CurrentUser,
    session: SingleStatementSession,  # one statement: the listing with the caller's membership
    search: Annotated[str | None, Query(max_length=256, description="Names containing this, ignoring case")] = None,
    continuation_token: Annotated[str | None, Query(alias="continuationToken", max_length=2048)] = None,
    page_size: Annotated[int | None, Query(alias="pageSize", ge=1, le=MAX_PAGE_SIZE)] = None,
    accept_encoding: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """Without `pageSize` or `continuationToken`, every client; with either, a page (default 100) that says how many
    match (`count`) and where the next page starts (`continuationToken`, null on the last)."""
    try:
        after = queries.ClientCursor.parse(continuation_token)
    except queries.InvalidContinuationToken:
        await queries.require_member(session, provider_id, caller.user_id)  # anyone else: 404 before any 400
        raise
    paged = page_size is not None or continuation_token is not None
    asked = queries.ClientQuery(
        search=search.strip() or None if search else None,
        after=after,
        size=(page_size or PAGE_SIZE) if paged else None,
    )
    # The listing checks the caller's membership in its own statement (404 for anyone else).
    listing = await queries.list_clients(session, provider_id, caller.user_id, asked)
    # Compressed here when the caller takes it (the gateway passes its codings on): 10,000 clients are ~7 MB.
    return await json_body_response(client_list_json(listing), accept_encoding)


@router.delete("/organizations/{provider_organization_id}", responses=DONE)
async def detach_client(
    provider_id: uuid.UUID, provider_organization_id: uuid.UUID, caller: CurrentUser, work: Work
) -> None:
    await commands.detach_client(work, caller, DetachClient(provider_id, provider_organization_id))


@router.post("/clients")
async def create_client(
    provider_id: uuid.UUID, body: CreateClientRequest, caller: CurrentUser, work: Work
) -> ProviderOrganizationResponse:
    keys = body.key_pair
    command = dataclass_by_name(
        CreateClient,
        body,
        provider_id=provider_id,
        public_key=keys.public_key,
        encrypted_private_key=keys.encrypted_private_key,
    )
    return ProviderOrganizationResponse.model_validate(await commands.create_client(work, caller, command))


@router.get("/clients/addable")
async def addable(
    provider_id: uuid.UUID, caller: CurrentUser, session: ReadSession
) -> ListResponse[AddableOrganizationResponse]:
    await queries.require_member(session, provider_id, caller.user_id)
    rows = await queries.addable_organizations(session, caller.user_id)
    return ListResponse(data=[AddableOrganizationResponse.of(row) for row in rows])


@router.post("/clients/existing")
async def add_existing(
    provider_id: uuid.UUID, body: AddExistingClientRequest, caller: CurrentUser, work: Work
) -> ProviderOrganizationResponse:
    link = await commands.add_existing_client(
        work, caller, AddExistingClient(provider_id, body.organization_id, body.key)
    )
    return ProviderOrganizationResponse.model_validate(link)


@router.put("/clients/{provider_organization_id}")
async def change_client(
    provider_id: uuid.UUID,
    provider_organization_id: uuid.UUID,
    body: UpdateClientRequest,
    caller: CurrentUser,
    work: Work,
) -> ProviderOrganizationResponse:
    command = ChangeClient(
        provider_id,
        provider_organization_id,
        seats=body.assigned_seats,
        name=body.name,
        provider_access_to_items=body.provider_access_to_items,
    )
    link = await commands.change_client(work, caller, command)
    return ProviderOrganizationResponse.model_validate(link)
