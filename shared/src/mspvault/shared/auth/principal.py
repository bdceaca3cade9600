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
