"""Answers composed from several services' `/internal/*` reads, made concurrently as the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from mspvault.gateway.auth import CallerHeaders
from mspvault.gateway.jsonbody import json_response
from mspvault.gateway.responses import ComposedProfile, ComposedSync, RevisionDate
from mspvault.gateway.revisions.polling import bearer_token
from mspvault.gateway.state import GatewayDep
from mspvault.shared.http.compression import json_body_response
from mspvault.shared.http.deps import CurrentUser, authenticated

router = APIRouter(dependencies=[Depends(authenticated)])


# The models document the bodies (responses.py); the bytes are composed as they were, never re-serialized.
@router.get(
    "/api/sync",
    summary="Everything the caller's vault holds (profile, folders, collections, ciphers…)",
    responses={200: {"model": ComposedSync}},
)
async def sync(
    request: Request,
    gateway: GatewayDep,
    headers: CallerHeaders,
    exclude_domains: Annotated[bool, Query(alias="excludeDomains")] = False,
) -> Response:
    body = await gateway.composer.sync(headers, exclude_domains=exclude_domains)
    return await json_body_response(body, request.headers.get("accept-encoding"))


@router.get(
    "/api/accounts/profile",
    summary="The caller's profile with organizations and providers",
    responses={200: {"model": ComposedProfile}},
)
async def profile(gateway: GatewayDep, headers: CallerHeaders, request: Request) -> Response:
    body = await gateway.composer.profile(headers)
    return await json_body_response(body, request.headers.get("accept-encoding"))


@router.get(
    "/api/accounts/revision-date",
    summary="Last change the caller can see, epoch milliseconds",
    responses={200: {"model": RevisionDate}},
)
async def revision_date(request: Request, gateway: GatewayDep, caller: CurrentUser, headers: CallerHeaders) -> Response:
    # Reached only when memory could not answer (revisions/polling.py); what it learns answers the next polls.
    token = bearer_token(request.headers)
    return json_response(await gateway.polls.answer(token, caller, headers))
