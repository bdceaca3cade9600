"""Import into and export from an organization: the two routes that need both the organization service (which owns
collections) and the vault (which owns items), composed here as the caller.

Import (`POST /api/ciphers/import-organization`), in three steps so a refused request leaves nothing behind:
1. when the request names collections the organization does not have, the vault first checks the whole request
   (every entry, the limits, the caller's right) and writes nothing;
2. the organization service creates the collections the organization does not have yet (as the caller, so its own
   rules apply: who may create collections, the organization's maximum);
3. the vault stores the items, every collection now confirmed by id, in one transaction.
A failure in step 3 after step 2 leaves the new collections empty, never items without their collections.

Export (`GET /api/organizations/{id}/export`, what `bw export --organizationid` reads): the vault's
organization-wide item list (it decides who may read it: 404 for everyone else) and the organization's collections.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from mspvault.gateway.auth import CallerHeaders
from mspvault.gateway.clients import UpstreamError
from mspvault.gateway.jsonbody import json_response, render
from mspvault.gateway.responses import OrganizationExport
from mspvault.gateway.state import Gateway, GatewayDep
from mspvault.shared.http.deps import authenticated
from mspvault.shared.http.errors import error_response

router = APIRouter(dependencies=[Depends(authenticated)], tags=["import and export"])

IMPORT_PATHS = ("/api/ciphers/import", "/api/ciphers/import-organization")
OrganizationId = Annotated[uuid.UUID, Query(alias="organizationId")]


class Refused(Exception):
    """A service refused a step: its answer goes back to the caller as it is (Bitwarden's error shape)."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _passed_on(upstream: httpx.Response) -> Response:
    return Response(upstream.content, status_code=upstream.status_code, media_type="application/json")


def _ok(upstream: httpx.Response) -> httpx.Response:
    if upstream.status_code != 200:
        raise Refused(upstream)
    return upstream


@router.post(
    "/api/ciphers/import-organization",
    summary="Import items into an organization's collections, creating the collections it does not have",
    response_class=Response,  # 200 with no body, as Bitwarden answers
)
async def import_organization(
    request: Request, gateway: GatewayDep, headers: CallerHeaders, organization_id: OrganizationId
) -> Response:
    raw = await request.body()
    try:
        body = json.loads(raw)
    except ValueError:
        return error_response(400, "The request body is not JSON.")
    collections = body.get("collections") if isinstance(body, dict) else None
    if not isinstance(body, dict) or not isinstance(collections or [], list):
        return error_response(400, "The request body must be an object with a list of collections.")
    vault, limit = gateway.clients.vault, gateway.settings.import_timeout_seconds
    path = f"/internal/ciphers/import-organization?organizationId={organization_id}"
    try:
        existing = await _existing_collections(gateway, headers, organization_id) if collections else set()
        if any(_id_of(entry) not in existing for entry in collections or []):
            # Collections will be created: the vault checks everything first, so a refusal leaves none behind.
            _ok(await vault.send("POST", path + "&check=true", headers, content=raw, time_limit=limit))
        ids = await _collections(gateway, headers, organization_id, collections or [], existing)
        body["collections"] = [{"id": str(cid)} for cid in ids]
        _ok(await vault.send("POST", path, headers, content=render(body), time_limit=limit))
    except Refused as refused:
        return _passed_on(refused.response)
    return Response(status_code=200)


def _id_of(entry: Any) -> str | None:
    given = entry.get("id") if isinstance(entry, dict) else None
    return given.lower() if isinstance(given, str) else None


async def _existing_collections(gateway: Gateway, headers: dict[str, str], organization_id: uuid.UUID) -> set[str]:
    """The ids of the organization's collections the caller sees (all of them for who may import anywhere)."""
    listed = _ok(
        await gateway.clients.organization.send("GET", f"/api/organizations/{organization_id}/collections", headers)
    ).json()
    return {str(item.get("id")) for item in listed.get("data", []) if isinstance(item, dict)}


async def _collections(
    gateway: Gateway, headers: dict[str, str], organization_id: uuid.UUID, asked: list[Any], existing: set[str]
) -> list[uuid.UUID]:
    """The id of each collection of the request: the organization's own when it has one with that id, else a new
    one the organization service creates now (one at a time: it serializes them on the organization anyway)."""
    ids = []
    for entry in asked:
        given = _id_of(entry)
        if given is not None and given in existing:
            ids.append(uuid.UUID(given))
            continue
        fields = entry if isinstance(entry, dict) else {}
        new: dict[str, Any] = {
            "name": fields.get("name"),
            "externalId": fields.get("externalId"),
            "users": [],
            "groups": [],
        }
        path = f"/api/organizations/{organization_id}/collections"
        created = _ok(await gateway.clients.organization.send("POST", path, headers, content=render(new))).json()
        ids.append(uuid.UUID(str(created["id"])))
    return ids


@router.get(
    "/api/organizations/{organization_id}/export",
    summary="Every item and collection of an organization, for `bw export --organizationid`",
    responses={200: {"model": OrganizationExport}},
)
async def export_organization(organization_id: uuid.UUID, gateway: GatewayDep, headers: CallerHeaders) -> Response:
    items, collections = await asyncio.gather(
        gateway.clients.vault.send(
            "GET", f"/api/ciphers/organization-details?organizationId={organization_id}", headers
        ),
        gateway.clients.organization.send("GET", f"/api/organizations/{organization_id}/collections", headers),
    )
    try:
        ciphers = _ok(items).json().get("data", [])
        listed = _ok(collections).json().get("data", [])
    except Refused as refused:
        return _passed_on(refused.response)
    except ValueError as error:
        raise UpstreamError(502, "A service sent a malformed answer") from error
    return json_response({"collections": listed, "ciphers": ciphers, "object": "organizationExport"})
