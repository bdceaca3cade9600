"""Dependencies of the provider routes: a `ProviderWork` per request, made by bootstrap's `work_factory`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.runtime import UoW


async def provider_work(request: Request, uow: UoW) -> ProviderWork:
    work: ProviderWork = request.app.state.provider_work(uow)
    return work


Work = Annotated[ProviderWork, Depends(provider_work)]
