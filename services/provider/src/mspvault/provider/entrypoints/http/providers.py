"""`/api/providers/{providerId}`: read and edit the provider, and the first admin's setup."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from mspvault.provider.adapters import queries
from mspvault.provider.entrypoints.http.deps import Work
from mspvault.provider.entrypoints.http.requests import ProviderSetupRequest, ProviderUpdateRequest
from mspvault.provider.entrypoints.http.responses import ProviderResponse
from mspvault.provider.service_layer import providers
from mspvault.provider.service_layer.commands import SetUpProvider, UpdateProvider
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/api/providers/{provider_id}", tags=["providers"], dependencies=[Depends(authenticated)])


@router.get("")
async def get_provider(provider_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> ProviderResponse:
    await queries.require_member(session, provider_id, caller.user_id)
    return ProviderResponse.model_validate(await queries.get_provider(session, provider_id))


@router.put("")
async def update_provider(
    provider_id: uuid.UUID, body: ProviderUpdateRequest, caller: CurrentUser, work: Work
) -> ProviderResponse:
    command = UpdateProvider(provider_id, body.name, body.business_name, body.billing_email)
    return ProviderResponse.model_validate(await providers.update_provider(work, caller, command))


@router.post("/setup")
async def setup_provider(
    provider_id: uuid.UUID, body: ProviderSetupRequest, caller: CurrentUser, work: Work
) -> ProviderResponse:
    command = SetUpProvider(provider_id, body.name, body.business_name, body.billing_email, body.key, body.token)
    provider = await providers.setup_provider(work, caller, command)
    return ProviderResponse.model_validate(provider)
