"""Dependencies of the provider routes: a `ProviderWork` per request (transaction, store, tokens, clock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from mspvault.provider.adapters.repository import SqlProviderStore
from mspvault.provider.service_layer.ports import ProviderWork
from mspvault.shared.runtime import UoW


def utc_now() -> datetime:
    return datetime.now(UTC)


async def provider_work(request: Request, uow: UoW) -> ProviderWork:
    state = request.app.state
    clock: Callable[[], datetime] = getattr(state, "clock", utc_now)
    return ProviderWork(
        uow=uow,
        store=SqlProviderStore(uow.session),
        tokens=state.invite_tokens,
        links=state.invite_links,
        clock=clock,
    )


Work = Annotated[ProviderWork, Depends(provider_work)]
