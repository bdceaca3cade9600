"""Service-to-gateway routes: never exposed by the gateway, and still answering for the caller only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from mspvault.identity.adapters import queries
from mspvault.identity.entrypoints.http.deps import CallerAccount, Work
from mspvault.identity.entrypoints.http.requests import SecretVerificationRequest
from mspvault.identity.entrypoints.http.responses import (
    InternalSyncResponse,
    OperatorStatusResponse,
    RevisionDateResponse,
)
from mspvault.identity.service_layer.tokens import is_operator
from mspvault.identity.service_layer.two_factor import verified_account
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(authenticated)])


@router.get("/revision-date")
async def revision_date(account: CallerAccount) -> RevisionDateResponse:
    return RevisionDateResponse.of(account)


@router.get("/sync")
async def sync(account: CallerAccount, session: ReadSession) -> InternalSyncResponse:
    return InternalSyncResponse.of(account, two_factor_enabled=await queries.two_factor_enabled(session, account.id))


@router.get("/operator", include_in_schema=False)  # the gateway reads it; no client ever does
async def operator(account: CallerAccount, work: Work) -> OperatorStatusResponse:
    """Whether the caller is a platform operator now: the gateway asks (and caches briefly) before an operator route,
    so removing an operator takes effect without waiting for their token to expire."""
    return OperatorStatusResponse(operator=await is_operator(work, account))


@router.post(
    "/verify-secret", include_in_schema=False, response_class=Response
)  # the gateway asks before an organization's API-key route
async def verify_secret(body: SecretVerificationRequest, user: CurrentUser, work: Work) -> Response:
    """200 when the master-password hash is the caller's, 400 `User verification failed.` otherwise: the organization
    service holds no password, so the gateway checks it here before forwarding a request that needs it."""
    await verified_account(work, user.user_id, body.master_password_hash)
    return Response(status_code=200)
