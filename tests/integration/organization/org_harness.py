"""The organization service run in-process against the real PostgreSQL and broker, with the one mail sink.

Each test gets its own database, its own consumer group (so no other test's service shares its partitions) and
its own mail sink; events are fed either through `apply` (deterministic) or through the real broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI

from mspvault.deploy.mailsink import MailSink, ReceivedMail
from mspvault.organization.bootstrap import build_parts
from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.infra.net import free_port
from mspvault.shared.runtime import create_app, run_migrations
from mspvault.shared.settings import OrganizationSettings
from mspvault.shared.testing.wait import wait_until


def invite_link(mail: ReceivedMail) -> dict[str, str]:
    url = re.search(r"https?://\S+accept-organization\?\S+", mail.body)
    assert url, "no accept link in the invite"
    query = parse_qs(urlsplit(url.group(0).replace("/#/", "/")).query)
    return {k: v[0] for k, v in query.items()}


def isolated_settings(**values: Any) -> OrganizationSettings:
    suffix = uuid.uuid4().hex[:8]

    class TestOrganizationSettings(OrganizationSettings):
        # A consumer group of its own; events still go to the real organization topic.
        service_name: ClassVar[str] = f"organization_{suffix}"

        @property
        def events_topic(self) -> str:
            return "organization.events"

    return TestOrganizationSettings(**values)


@dataclass
class User:
    id: uuid.UUID
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class OrgService:
    app: FastAPI
    http: httpx.AsyncClient
    key: SigningKey
    mail: MailSink
    settings: OrganizationSettings
    mails_read: dict[str, int] = field(default_factory=dict)

    def user(self, name: str = "user") -> User:
        uid = uuid.uuid4()
        email = f"{name}-{uid.hex[:8]}@example.test"
        return User(uid, email, self.key.mint(user_id=uid, email=email))

    async def feed(self, event: EventData, *, producer: str = "provider") -> Envelope:
        """Apply one event through the service's own inbox consumer, as the broker would deliver it."""
        runtime = self.app.state.runtime
        envelope = Envelope.wrap(event, producer=producer, correlation_id=uuid.uuid4().hex)
        topic = f"{producer}.events"
        handler = runtime.consumer.router.handlers[topic][envelope.type]
        assert await runtime.consumer.apply(topic, envelope, handler) == "applied"
        return envelope

    async def outbox(self, event_type: str | None = None) -> list[dict[str, Any]]:
        from sqlalchemy import select

        from mspvault.organization.adapters.orm import tables

        async with self.app.state.runtime.session_factory() as session:
            query = select(tables.outbox.c.envelope).order_by(tables.outbox.c.id)
            if event_type:
                query = query.where(tables.outbox.c.event_type == event_type)
            else:  # the domain's events: revision-date announcements go with nearly every commit
                query = query.where(tables.outbox.c.event_type != "RevisionsBumped")
            return list(await session.scalars(query))

    async def invite_mail(self, email: str) -> dict[str, str]:
        """The link of the next invite mail to `email` (each call waits for one more message)."""
        seen = self.mails_read.get(email, 0)

        async def arrived() -> list[ReceivedMail]:
            messages = self.mail.to(email)
            return messages if len(messages) > seen else []

        messages = await wait_until(arrived, timeout=20, message=f"invite mail to {email}")
        self.mails_read[email] = seen + 1
        return invite_link(messages[seen])


@contextlib.asynccontextmanager
async def running_service(database_url: str, kafka: Any, *, broker: bool = True) -> AsyncIterator[OrgService]:
    async with MailSink(port=free_port()) as sink:
        settings = isolated_settings(
            database_url=database_url,
            kafka_bootstrap=kafka.bootstrap,
            kafka_idempotent_producer=kafka.idempotent_supported,
            smtp_port=sink.port,
            relay_poll_seconds=0.2,
            log_json=False,
        )
        parts = build_parts(settings)
        await asyncio.to_thread(run_migrations, parts)
        app = create_app(parts)
        key = SigningKey.generate()
        app.state.verifier.add_jwks(key.jwks())
        async with _started(app, parts, broker):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
                yield OrgService(app=app, http=http, key=key, mail=sink, settings=settings)


@contextlib.asynccontextmanager
async def _started(app: FastAPI, parts: Any, broker: bool) -> AsyncIterator[None]:
    """The whole lifespan, or (when a test feeds events itself) only the background loops: joining a consumer
    group costs the broker seconds per start, which tests of HTTP rules need not pay."""
    if broker:
        async with app.router.lifespan_context(app):
            yield
        return
    runtime = app.state.runtime
    stop = asyncio.Event()
    tasks = [asyncio.create_task(loop(runtime, stop)) for loop in parts.background]
    try:
        yield
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        await runtime.engine.dispose()
