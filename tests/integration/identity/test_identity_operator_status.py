"""`GET /internal/operator`: whether the caller is a platform operator now (settings or the operators table, and only
once the account verified its email), read on every call, so the gateway can stop honouring an operator claim once
the operator is removed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, insert

from mspvault.identity.adapters.orm import operators
from tests.integration.identity.conftest import OPERATOR_EMAIL, IdentityService, bearer, jwt_claims


async def _status(identity: IdentityService, token: str) -> bool:
    response = await identity.client.get("/internal/operator", headers=bearer(token))
    assert response.status_code == 200, response.text
    operator: bool = response.json()["operator"]
    return operator


async def test_an_operator_named_in_settings_is_one_once_the_account_verified_the_email(
    identity: IdentityService,
) -> None:
    """Issue 11 #2: whoever registered the address first was an operator, without ever reading its mail."""
    account = await identity.register(email=OPERATOR_EMAIL)
    token = (await identity.login(account))["access_token"]
    assert await _status(identity, token) is False
    await identity.verify_email(account)
    assert await _status(identity, token) is True


async def test_the_operators_table_is_read_on_every_call(identity: IdentityService) -> None:
    account = await identity.register()
    await identity.verify_email(account)
    token = (await identity.login(account))["access_token"]
    user_id = uuid.UUID(jwt_claims(token)["sub"])
    assert await _status(identity, token) is False
    async with identity.runtime.unit_of_work() as uow:
        await uow.session.execute(insert(operators).values(user_id=user_id, created_at=datetime.now(UTC)))
        await uow.commit()
    assert await _status(identity, token) is True
    async with identity.runtime.unit_of_work() as uow:
        await uow.session.execute(delete(operators).where(operators.c.user_id == user_id))
        await uow.commit()
    assert await _status(identity, token) is False  # the same token: its claim no longer decides


async def test_it_needs_a_token(identity: IdentityService) -> None:
    assert (await identity.client.get("/internal/operator")).status_code == 401
