"""Platform operators: open a provider and invite its first admin; list providers. No vault data here."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from mspvault.provider.adapters import queries
from mspvault.provider.entrypoints.http.deps import Work
from mspvault.provider.entrypoints.http.requests import CreateProviderRequest
from mspvault.provider.entrypoints.http.responses import AdminProviderResponse, CreatedProviderResponse, ListResponse
from mspvault.provider.service_layer import providers
from mspvault.provider.service_layer.commands import OpenProvider
from mspvault.shared.by_name import dataclass_by_name
from mspvault.shared.http.deps import Operator, operator_only
from mspvault.shared.runtime import ReadSession

router = APIRouter(prefix="/api/admin/providers", tags=["operators"], dependencies=[Depends(operator_only)])


@router.post("")
async def create_provider(body: CreateProviderRequest, operator: Operator, work: Work) -> CreatedProviderResponse:
    command = dataclass_by_name(
        OpenProvider,
        body,
        seat_minimum_teams=body.teams_seat_minimum,
        seat_minimum_enterprise=body.enterprise_seat_minimum,
    )
    roster = await providers.open_provider(work, operator, command)
    base = AdminProviderResponse.of(roster.provider).model_dump()
    return CreatedProviderResponse(**base, owner_provider_user_id=roster.users[0].id)


@router.get("")
async def list_providers(session: ReadSession) -> ListResponse[AdminProviderResponse]:
    return ListResponse(data=[AdminProviderResponse.of(p) for p in await queries.list_providers(session)])
