"""The authenticated caller, as every service sees it."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: uuid.UUID
    email: str
    name: str | None = None
    security_stamp: str | None = None
    device_type: int | None = None
    # Platform operators are named by identity's configuration and marked in the token.
    operator: bool = False
    # An organization's API key (scope `api.organization`): the token speaks for the organization, not a user; its
    # `user_id` is the organization's id and `security_stamp` the key's stamp. Only routes that ask for it take it.
    organization_id: uuid.UUID | None = None
