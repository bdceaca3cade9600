"""Dependencies of the organization routes: the invite mailer and token checker built by bootstrap, and a clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from mspvault.organization.domain.invite_token import InviteTokens
from mspvault.organization.service_layer.invites import InviteMailer


def _mailer(request: Request) -> InviteMailer:
    mailer: InviteMailer = request.app.state.invite_mailer
    return mailer


def _tokens(request: Request) -> InviteTokens:
    return _mailer(request).tokens


def _now() -> datetime:
    return datetime.now(UTC)


Mailer = Annotated[InviteMailer, Depends(_mailer)]
Tokens = Annotated[InviteTokens, Depends(_tokens)]
Now = Annotated[datetime, Depends(_now)]
