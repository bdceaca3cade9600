"""One identity service per test module, in-process against the real PostgreSQL and broker.

Tests share the running service but never data: every test registers its own random accounts.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import select

from mspvault.client.mailbox import link_params
from mspvault.identity.adapters.orm import mail_outbox
from mspvault.identity.bootstrap import build_parts
from mspvault.shared.infra.kafka import KafkaBroker
from mspvault.shared.infra.postgres import PostgresServer
from mspvault.shared.infra.topics import ensure_topics
from mspvault.shared.runtime import Runtime, create_app, run_migrations
from mspvault.shared.settings import IdentitySettings
from tests.unit.identity.samples import enc_string_2, public_key, random_email

pytestmark = pytest.mark.integration

OPERATOR_EMAIL = f"ops-{uuid.uuid4().hex[:8]}@platform.test"


@dataclass
class Registered:
    email: str
    password_hash: str
    body: dict[str, Any]
    device_identifier: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass
class IdentityService:
    app: FastAPI
    client: httpx.AsyncClient
    settings: IdentitySettings

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def register(self, *, keys: bool = True, **overrides: Any) -> Registered:
        email = overrides.pop("email", None) or random_email()
        password_hash = base64.b64encode(os.urandom(32)).decode()
        body: dict[str, Any] = {
            "email": email,
            "name": "Test User",
            "masterPasswordHash": password_hash,
            "masterPasswordHint": None,
            "key": enc_string_2(),
            "keys": {"publicKey": public_key(), "encryptedPrivateKey": enc_string_2(80)} if keys else None,
            "kdf": 0,
            "kdfIterations": 600000,
            "kdfMemory": None,
            "kdfParallelism": None,
        }
        body.update(overrides)
        response = await self.client.post("/identity/accounts/register", json=body)
        assert response.status_code == 200, response.text
        return Registered(email=email, password_hash=password_hash, body=body)

    async def password_grant(self, email: str, password_hash: str, device: str | None = None) -> httpx.Response:
        form = {
            "scope": "api offline_access",
            "client_id": "cli",
            "deviceType": "25",
            "deviceIdentifier": device or str(uuid.uuid4()),
            "deviceName": "linux",
            "grant_type": "password",
            "username": email,
            "password": password_hash,
        }
        return await self.client.post("/identity/connect/token", data=form)

    async def login(self, account: Registered) -> dict[str, Any]:
        response = await self.password_grant(account.email, account.password_hash, account.device_identifier)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def verify_email(self, account: Registered) -> None:
        """Ask for the verification mail, take its link from identity's mail outbox (no mail sink here; e2e reads
        the real mail) and open it, as the user would."""
        token = (await self.login(account))["access_token"]
        response = await self.client.post("/api/accounts/verify-email", headers=bearer(token))
        assert response.status_code == 200, response.text
        link = await self.last_verification_link(account.email)
        response = await self.client.post(
            "/api/accounts/verify-email-token", json={"userId": link["userId"], "token": link["token"]}
        )
        assert response.status_code == 200, response.text

    async def last_verification_link(self, email: str) -> dict[str, str]:
        async with self.runtime.session_factory() as session:
            query = (
                select(mail_outbox.c.body)
                .where(mail_outbox.c.recipient == email.strip().lower())
                .order_by(mail_outbox.c.id.desc())
                .limit(1)
            )
            body = (await session.execute(query)).scalar_one()
        return link_params(next(word for word in body.split() if "/#/verify-email?" in word))

    async def refresh(self, refresh_token: str) -> httpx.Response:
        form = {"grant_type": "refresh_token", "client_id": "cli", "refresh_token": refresh_token}
        return await self.client.post("/identity/connect/token", data=form)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims


def identity_settings(database_url: str, kafka: KafkaBroker, **overrides: Any) -> IdentitySettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "kafka_bootstrap": kafka.bootstrap,
        "kafka_idempotent_producer": kafka.idempotent_supported,
        # The server-side hash is cheap in tests; its cost is a setting, not a rule under test.
        "password_hash_time_cost": 1,
        "password_hash_memory_kib": 8192,
        "password_hash_parallelism": 1,
        "relay_poll_seconds": 0.1,
        "operators": [OPERATOR_EMAIL],
        "log_json": False,
    }
    values.update(overrides)
    return IdentitySettings(**values)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def identity(postgres: PostgresServer, kafka: KafkaBroker) -> AsyncIterator[IdentityService]:
    await ensure_topics(kafka.bootstrap)
    name = f"identity_{uuid.uuid4().hex[:12]}"
    url = await postgres.create_database(name)
    settings = identity_settings(url, kafka)
    parts = build_parts(settings)
    await asyncio.to_thread(run_migrations, parts)
    app = create_app(parts)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client,
        ):
            yield IdentityService(app, client, settings)
    finally:
        await postgres.drop_database(name)
