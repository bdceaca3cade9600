"""Dependencies of the organization routes: an `OrganizationWork` per request (transaction, store, tokens, clock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from mspvault.organization.adapters.repository import SqlOrganizationStore
from mspvault.organization.domain.invite_token import InviteTokens
from mspvault.organization.service_layer.invites import InviteMailer
from mspvault.organization.service_layer.ports import OrganizationWork
from mspvault.shared.runtime import UoW


def utc_now() -> datetime:
    return datetime.now(UTC)


async def organization_work(request: Request, uow: UoW) -> OrganizationWork:
    state = request.app.state
    clock: Callable[[], datetime] = getattr(state, "clock", utc_now)
    return OrganizationWork(
        uow=uow,
        store=SqlOrganizationStore(uow.session),
        tokens=state.invite_tokens,
        links=state.invite_links,
        clock=clock,
    )


Work = Annotated[OrganizationWork, Depends(organization_work)]


def _mailer(request: Request) -> InviteMailer:
    mailer: InviteMailer = request.app.state.invite_mailer
    return mailer


def _tokens(request: Request) -> InviteTokens:
    return _mailer(request).tokens


Mailer = Annotated[InviteMailer, Depends(_mailer)]
Tokens = Annotated[InviteTokens, Depends(_tokens)]
Now = Annotated[datetime, Depends(utc_now)]
