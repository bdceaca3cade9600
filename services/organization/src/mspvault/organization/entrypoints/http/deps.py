"""Dependencies of the organization routes: an `OrganizationWork` per request, made by bootstrap's `work_factory`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.runtime import UoW


async def organization_work(request: Request, uow: UoW) -> OrganizationWork:
    work: OrganizationWork = request.app.state.organization_work(uow)
    return work


Work = Annotated[OrganizationWork, Depends(organization_work)]
