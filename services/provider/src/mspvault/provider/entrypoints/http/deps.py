"""Dependencies of the provider routes: a `ProviderWork` per request, made by bootstrap's `work_factory`, and the
read session of the routes only a provider's admins may use."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.provider.adapters import queries
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.http.deps import CurrentUser
from mspvault.shared.runtime import ReadSession, UoW


async def provider_work(request: Request, uow: UoW) -> ProviderWork:
    work: ProviderWork = request.app.state.provider_work(uow)
    return work


Work = Annotated[ProviderWork, Depends(provider_work)]


async def admin_read_session(provider_id: uuid.UUID, caller: CurrentUser, session: ReadSession) -> AsyncSession:
    """The read session, once the caller is an active admin of the provider in the path (anyone else: its 404,
    before any query parameter is looked at)."""
    await queries.require_admin(session, provider_id, caller.user_id)
    return session


AdminSession = Annotated[AsyncSession, Depends(admin_read_session)]
