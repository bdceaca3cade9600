"""The vault service in-process for integration tests, against the real PostgreSQL and broker.

Tests share the running service (one per module) but never data: each builds its own users, organizations and
providers with random ids, and feeds the read models real envelopes through the service's own inbox consumer.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.contracts import identity as idn
from mspvault.shared.contracts import organization as org
from mspvault.shared.contracts import provider as prv
from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.infra.kafka import KafkaBroker
from mspvault.shared.infra.postgres import PostgresServer
from mspvault.shared.infra.topics import ensure_topics
from mspvault.shared.messaging.producer import make_producer
from mspvault.shared.runtime import Runtime, create_app, run_migrations
from mspvault.shared.settings import VaultSettings
from mspvault.shared.testing.samples import enc_string
from mspvault.vault.bootstrap import build_parts

OWNER, ADMIN, USER, CUSTOM = 0, 1, 2, 4
REVOKED, INVITED, ACCEPTED, CONFIRMED = -1, 0, 1, 2


def login_cipher(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": 1,
        "name": enc_string(),
        "notes": enc_string(),
        "favorite": False,
        "reprompt": 0,
        "key": None,
        "folderId": None,
        "organizationId": None,
        "lastKnownRevisionDate": None,
        "login": {
            "username": enc_string(),
            "password": enc_string(),
            "totp": None,
            "uris": [{"uri": enc_string(), "uriChecksum": enc_string(), "match": None, "response": None}],
            "response": None,
        },
        "fields": [{"type": 0, "name": enc_string(), "value": enc_string(), "linkedId": None}],
        "passwordHistory": [],
        "attachments": {},
        "attachments2": {},
    }
    body.update(overrides)
    return body


def isolated_settings(database_url: str, kafka: KafkaBroker) -> VaultSettings:
    # A service name of its own: its consumer group and outbox topic cannot collide with another vault in the run.
    settings_class = type("IsolatedVaultSettings", (VaultSettings,), {"service_name": f"vault_{uuid.uuid4().hex[:8]}"})
    settings: VaultSettings = settings_class(
        database_url=database_url,
        kafka_bootstrap=kafka.bootstrap,
        kafka_idempotent_producer=kafka.idempotent_supported,
        relay_poll_seconds=0.1,
        log_json=False,
    )
    return settings


async def publish(kafka: KafkaBroker, topic: str, *events: EventData) -> None:
    """Publish `events` on `topic` through the real broker, as the topic's own service would."""
    producer = make_producer(kafka.bootstrap, idempotent=kafka.idempotent_supported, client_id="vault-test")
    await producer.start()
    try:
        for event in events:
            envelope = Envelope.wrap(event, producer=topic.removesuffix(".events"), correlation_id=uuid.uuid4().hex)
            await producer.send_and_wait(topic, envelope.model_dump_json().encode(), key=envelope.key.encode())
    finally:
        await producer.stop()


TOPIC_OF = {idn: events_topic("identity"), org: events_topic("organization"), prv: events_topic("provider")}


@dataclass(eq=False)  # hashable by identity: tests key collection grants by user
class User:
    id: uuid.UUID
    email: str
    headers: dict[str, str]


@dataclass
class VaultService:
    app: FastAPI
    http: httpx.AsyncClient
    key: SigningKey
    settings: VaultSettings

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    async def apply(self, event: EventData) -> Envelope:
        """Feed one event through the service's own inbox consumer, exactly as one from the broker would go."""
        module = next(mod for mod in TOPIC_OF if type(event).__module__ == mod.__name__)
        topic = TOPIC_OF[module]
        envelope = Envelope.wrap(event, producer="test", correlation_id=uuid.uuid4().hex)
        handler = self.runtime.parts.events.handlers[topic][envelope.type]
        outcome = await self.runtime.consumer.apply(topic, envelope, handler)
        assert outcome == "applied"
        return envelope

    async def user(self, name: str = "user", user_id: uuid.UUID | None = None) -> User:
        """A registered account; pass `user_id` to stand for an account another service already knows."""
        user_id = user_id or uuid.uuid4()
        email = f"{name}-{user_id.hex[:8]}@vault.test"
        await self.apply(idn.UserRegisteredV1(user_id=user_id, email=email, name=name))
        token = self.key.mint(user_id=user_id, email=email)
        return User(user_id, email, {"Authorization": f"Bearer {token}"})

    # --- organizations -------------------------------------------------------------------------------------------

    async def organization(self, provider_id: uuid.UUID | None = None) -> uuid.UUID:
        organization_id = uuid.uuid4()
        await self.apply(
            org.OrganizationCreatedV1(
                organization_id=organization_id, name="Contoso", provider_id=provider_id, plan_type=0
            )
        )
        return organization_id

    async def member(
        self, organization_id: uuid.UUID, user: User, kind: int = USER, status: int = CONFIRMED, **extra: Any
    ) -> uuid.UUID:
        member_id = uuid.uuid4()
        await self.set_member(organization_id, member_id, user, kind, status, **extra)
        return member_id

    async def set_member(
        self,
        organization_id: uuid.UUID,
        member_id: uuid.UUID,
        user: User,
        kind: int = USER,
        status: int = CONFIRMED,
        event: type[org.MemberUpdatedV1] | type[EventData] = org.MemberConfirmedV1,
        **extra: Any,
    ) -> None:
        await self.apply(
            event(  # type: ignore[call-arg]
                organization_id=organization_id,
                member_id=member_id,
                user_id=user.id,
                email=user.email,
                type=kind,
                status=status,
                **extra,
            )
        )

    async def collection(self, organization_id: uuid.UUID, access: dict[User, dict[str, bool]]) -> uuid.UUID:
        collection_id = uuid.uuid4()
        await self.apply(
            org.CollectionCreatedV1(organization_id=organization_id, collection_id=collection_id, name=enc_string())
        )
        await self.grant(organization_id, collection_id, access)
        return collection_id

    async def grant(
        self, organization_id: uuid.UUID, collection_id: uuid.UUID, access: dict[User, dict[str, bool]]
    ) -> None:
        await self.apply(
            org.CollectionAccessChangedV1(
                organization_id=organization_id,
                collection_id=collection_id,
                access=[org.MemberAccess(user_id=user.id, **flags) for user, flags in access.items()],
            )
        )

    # --- providers -----------------------------------------------------------------------------------------------

    async def provider_user(self, provider_id: uuid.UUID, user: User) -> uuid.UUID:
        provider_user_id = uuid.uuid4()
        await self.apply(
            prv.ProviderUserConfirmedV1(
                provider_id=provider_id, provider_user_id=provider_user_id, user_id=user.id, email=user.email, type=1
            )
        )
        return provider_user_id

    async def client_org(self, provider_id: uuid.UUID) -> uuid.UUID:
        organization_id = await self.organization(provider_id)
        await self.apply(
            prv.ClientOrgAddedV1(provider_id=provider_id, organization_id=organization_id, provider_name="Acme")
        )
        return organization_id

    # --- http ----------------------------------------------------------------------------------------------------

    async def create(self, user: User, **overrides: Any) -> dict[str, Any]:
        response = await self.http.post("/api/ciphers", json=login_cipher(**overrides), headers=user.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def create_in(
        self, user: User, organization_id: uuid.UUID, collections: list[uuid.UUID], **overrides: Any
    ) -> dict[str, Any]:
        cipher = login_cipher(organizationId=str(organization_id), **overrides)
        response = await self.http.post(
            "/api/ciphers/create",
            json={"cipher": cipher, "collectionIds": [str(c) for c in collections]},
            headers=user.headers,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def sync(self, user: User) -> dict[str, Any]:
        response = await self.http.get("/internal/sync", headers=user.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def visible_ids(self, user: User) -> set[str]:
        return {cipher["id"] for cipher in (await self.sync(user))["ciphers"]}

    async def revision(self, user: User) -> int:
        response = await self.http.get("/internal/revision-date", headers=user.headers)
        assert response.status_code == 200, response.text
        value: int = response.json()["revisionDate"]
        return value


@contextlib.asynccontextmanager
async def running_vault_service(
    postgres: PostgresServer, kafka: KafkaBroker, name_prefix: str = "vault"
) -> AsyncIterator[VaultService]:
    """The service with its own database and its broker subscription (a topic and group of its own, see
    `isolated_settings`); the database is dropped afterwards."""
    await ensure_topics(kafka.bootstrap)
    name = f"{name_prefix}_{uuid.uuid4().hex[:12]}"
    url = await postgres.create_database(name)
    settings = isolated_settings(url, kafka)
    await ensure_topics(kafka.bootstrap, [settings.events_topic])
    parts = build_parts(settings)
    await asyncio.to_thread(run_migrations, parts)
    app = create_app(parts)
    key = SigningKey.generate()
    app.state.verifier.add_jwks(key.jwks())
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc", timeout=30) as client,
        ):
            yield VaultService(app, client, key, settings)
    finally:
        await postgres.drop_database(name)
