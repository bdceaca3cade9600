"""The operator's pause and resume of a service's consumer: they flip it and answer its state, and a service that
consumes nothing answers 404 (nothing to pause). The runtime is a stand-in; no broker is needed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from mspvault.shared.auth.principal import Principal
from mspvault.shared.http.deps import operator_only
from mspvault.shared.ops.service_api import router


@dataclass
class StandInConsumer:
    topics: list[str]
    paused: bool = False
    consumer: str = "vault"
    router: SimpleNamespace = field(init=False)

    def __post_init__(self) -> None:
        self.router = SimpleNamespace(topics=self.topics)

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def assignment(self) -> list[object]:
        return []


def ops_client(consumer: StandInConsumer) -> AsyncClient:
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[operator_only] = lambda: Principal(user_id=uuid.uuid4(), email="ops@test", operator=True)
    app.state.runtime = SimpleNamespace(
        consumer=consumer, parts=SimpleNamespace(settings=SimpleNamespace(service_name="vault"))
    )
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://service")


async def test_pause_and_resume_flip_the_consumer_and_answer_its_state() -> None:
    consumer = StandInConsumer(topics=["organization.events"])
    async with ops_client(consumer) as client:
        paused = await client.post("/internal/ops/consumer/pause")
        assert (paused.status_code, paused.json()["paused"], consumer.paused) == (200, True, True)
        resumed = await client.post("/internal/ops/consumer/resume")
        assert (resumed.status_code, resumed.json()["paused"], consumer.paused) == (200, False, False)


@pytest.mark.parametrize("action", ["pause", "resume"])
async def test_a_service_that_consumes_nothing_has_nothing_to_pause(action: str) -> None:
    consumer = StandInConsumer(topics=[])
    async with ops_client(consumer) as client:
        response = await client.post(f"/internal/ops/consumer/{action}")
    assert response.status_code == 404
    assert consumer.paused is False
