"""An operator claim in a token is not enough: before an operator route (its own `/api/ops/*`, the provider's
`/api/admin/*`) the gateway asks identity whether the caller is an operator now, and keeps the answer at most
30 seconds; removing an operator takes effect within that, not when their token expires."""

from __future__ import annotations

import uuid

import pytest

from mspvault.shared.settings import GatewaySettings
from tests.integration.gateway.conftest import GatewayUnderTest


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def _clock(gateway: GatewayUnderTest) -> FakeClock:
    clock = FakeClock()
    gateway.app.state.gateway.operators.clock = clock
    return clock


def test_the_answer_is_kept_at_most_30_seconds() -> None:
    assert 0 < GatewaySettings().operator_cache_seconds <= 30


async def test_a_claim_identity_does_not_confirm_gets_404(gateway: GatewayUnderTest) -> None:
    headers = gateway.operator_auth(still_operator=False)
    assert (await gateway.client.get("/api/ops/health", headers=headers)).status_code == 404
    created = await gateway.client.post("/api/admin/providers", json={"name": "x"}, headers=headers)
    assert created.status_code == 404
    assert created.json()["object"] == "error"
    assert gateway.stubs["provider"].seen == []  # never forwarded


async def test_a_confirmed_operator_reaches_both_kinds_of_operator_route(gateway: GatewayUnderTest) -> None:
    headers = gateway.operator_auth()
    assert (await gateway.client.get("/api/ops/health", headers=headers)).status_code == 200
    created = await gateway.client.post("/api/admin/providers", json={"name": "x"}, headers=headers)
    assert created.status_code == 200
    assert created.json()["service"] == "provider"


async def test_a_removed_operator_is_refused_once_the_answer_expires(gateway: GatewayUnderTest) -> None:
    clock = _clock(gateway)
    user_id = uuid.uuid4()
    headers = gateway.operator_auth(user_id)
    identity = gateway.stubs["identity"]
    for _ in range(3):
        assert (await gateway.client.get("/api/ops/health", headers=headers)).status_code == 200
    assert identity.operator_calls == 1  # asked once, then kept

    identity.operators.discard(str(user_id))  # removed (e.g. from the operators table)
    clock.now += 29
    assert (await gateway.client.get("/api/ops/health", headers=headers)).status_code == 200
    clock.now += 1
    assert (await gateway.client.get("/api/ops/health", headers=headers)).status_code == 404
    assert identity.operator_calls == 2


async def test_a_plain_member_never_costs_identity_a_call(gateway: GatewayUnderTest) -> None:
    assert (await gateway.client.get("/api/ops/health", headers=gateway.auth())).status_code == 404
    assert gateway.stubs["identity"].operator_calls == 0


@pytest.mark.parametrize("unreachable", [{"identity"}])
async def test_an_unanswered_question_refuses(gateway: GatewayUnderTest) -> None:
    headers = gateway.operator_auth()
    assert (await gateway.client.get("/api/ops/health", headers=headers)).status_code == 404
