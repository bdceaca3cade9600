"""`/api/organizations`: create an organization, read one."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends

from mspvault.organization.entrypoints.http import views
from mspvault.organization.entrypoints.http.requests import CreateOrganization
from mspvault.organization.service_layer import organizations, queries
from mspvault.shared.http.deps import CurrentUser, authenticated
from mspvault.shared.runtime import ReadSession, UoW

router = APIRouter(prefix="/api/organizations", tags=["organizations"], dependencies=[Depends(authenticated)])


@router.post("")
async def create_organization(body: CreateOrganization, caller: CurrentUser, uow: UoW, session: ReadSession) -> Any:
    org_id = await organizations.create_organization(
        uow,
        caller,
        name=body.name,
        billing_email=body.billing_email,
        plan_type=body.plan_type,
        key=body.key,
        public_key=body.keys.public_key if body.keys else None,
        encrypted_private_key=body.keys.encrypted_private_key if body.keys else None,
        collection_name=body.collection_name,
    )
    return views.organization(await queries.organization(session, caller.user_id, org_id))


@router.get("/{org_id}")
async def get_organization(org_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> Any:
    return views.organization(await queries.organization(session, caller.user_id, org_id))
