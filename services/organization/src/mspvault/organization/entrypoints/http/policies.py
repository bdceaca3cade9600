"""`/api/organizations/{orgId}/policies`: list, get and put by type."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from mspvault.organization.adapters import queries
from mspvault.organization.domain.errors import PolicyDependency
from mspvault.organization.domain.policies import PolicyType
from mspvault.organization.entrypoints.http.deps import Work
from mspvault.organization.entrypoints.http.requests import PutPolicy
from mspvault.organization.entrypoints.http.responses import PolicyResponse
from mspvault.organization.service_layer import commands, policies
from mspvault.shared.errors import DomainError
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.http.responses import ListResponse
from mspvault.shared.runtime import ReadSession

router = APIRouter(
    prefix="/api/organizations/{org_id}/policies", tags=["policies"], dependencies=[Depends(authenticated)]
)


def _policy_type(value: int) -> PolicyType:
    try:
        return PolicyType(value)
    except ValueError as error:
        raise DomainError(f"Unknown policy type {value}.", field="type") from error


@router.get("", summary="The organization's policies (policy managers)")
async def list_policies(org_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> ListResponse[PolicyResponse]:
    found = await queries.list_policies(session, caller.user_id, org_id)
    return ListResponse(data=[PolicyResponse.of(p) for p in found])


@router.get("/{policy_type}", summary="One policy by type (off when never set)")
async def get_policy(org_id: uuid.UUID, policy_type: int, caller: CurrentUser, session: ReadSession) -> PolicyResponse:
    found = await queries.list_policies(session, caller.user_id, org_id, only=_policy_type(policy_type))
    return PolicyResponse.of(found[0])


@router.put("/{policy_type}", summary="Turn a policy on or off, with its data")
async def put_policy(
    org_id: uuid.UUID, policy_type: int, body: PutPolicy, caller: CurrentUser, work: Work, session: ReadSession
) -> PolicyResponse:
    kind = _policy_type(policy_type)
    state = body.state()
    if state is None:
        raise PolicyDependency("enabled is required.", field="enabled")
    await policies.put_policy(work, caller, commands.PutPolicy(org_id, kind, state.enabled, state.data))
    found = await queries.list_policies(session, caller.user_id, org_id, only=kind)
    return PolicyResponse.of(found[0])
