"""The provider service in-process for integration tests: its own database, the real broker, a local SMTP sink.

Tests act as real callers: tokens minted by a test signing key, users made known through identity events, and
invite tokens read from the mail the service actually sent.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from fastapi import FastAPI
from sqlalchemy import event, select

from mspvault.deploy.mailsink import MailSink
from mspvault.provider.adapters.orm import tables
from mspvault.provider.bootstrap import build_parts
from mspvault.shared.auth.signing import SigningKey
from mspvault.shared.contracts.envelope import Envelope, EventData
from mspvault.shared.contracts.identity import UserRegisteredV1
from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.infra.net import free_port
from mspvault.shared.runtime import Runtime, create_app, run_migrations
from mspvault.shared.settings import ProviderSettings
from mspvault.shared.testing.samples import FIXED_ENC_STRING
from mspvault.shared.testing.wait import wait_until

PUBLIC_URL = "https://vault.test"
SYM = FIXED_ENC_STRING


# ---- mail ------------------------------------------------------------------------------------------------------
class ProviderMail(MailSink):
    """The one mail sink (memory only, on a port of its own), with the provider's invite links read from it."""

    def __init__(self) -> None:
        super().__init__(port=free_port())

    async def invite_for(self, email: str, *, after: int = 0) -> Invite:
        """The newest invite link mailed to `email` (waiting for it to arrive)."""

        def newest() -> Invite | None:
            for mail in reversed(self.messages[after:]):
                if email in mail.to:
                    return Invite.parse(mail.body)
            return None

        await wait_until(lambda: newest() is not None, timeout=15, message=f"an invite mailed to {email}")
        invite = newest()
        assert invite is not None
        return invite

    def count_to(self, email: str) -> int:
        return len(self.to(email))


@dataclass(frozen=True)
class Invite:
    provider_id: str
    provider_user_id: str
    email: str
    token: str
    url: str

    @classmethod
    def parse(cls, body: str) -> Invite:
        url = re.search(r"https?://\S+", body)
        assert url, body
        query = parse_qs(url.group(0).split("?", 1)[1])
        return cls(
            query["providerId"][0], query["providerUserId"][0], query["email"][0], query["token"][0], url.group(0)
        )


# ---- callers ---------------------------------------------------------------------------------------------------
@dataclass
class User:
    id: uuid.UUID
    email: str
    headers: dict[str, str]
    private_key: rsa.RSAPrivateKey = field(repr=False)

    @property
    def public_key_b64(self) -> str:
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()

    def wrap(self, secret: bytes) -> str:
        """What a client does when handing this user a key: RSA-OAEP(SHA-1) under their public key, as `4.`."""
        ct = self.private_key.public_key().encrypt(
            secret,
            padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None),
        )
        return "4." + base64.b64encode(ct).decode()

    def unwrap(self, wrapped: str) -> bytes:
        assert wrapped.startswith("4.")
        return self.private_key.decrypt(
            base64.b64decode(wrapped[2:]),
            padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None),
        )


@dataclass
class ProviderHarness:
    app: FastAPI
    http: httpx.AsyncClient
    signing: SigningKey
    mail: ProviderMail

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    def headers(self, user_id: uuid.UUID, email: str, *, operator: bool = False) -> dict[str, str]:
        token = self.signing.mint(user_id=user_id, email=email, extra={"operator": True} if operator else None)
        return {"Authorization": f"Bearer {token}"}

    def operator(self) -> dict[str, str]:
        return self.headers(uuid.uuid4(), f"op-{uuid.uuid4().hex[:8]}@mspvault.test", operator=True)

    async def apply(self, topic: str, event: EventData, actor_user: uuid.UUID | None = None) -> None:
        """Hand one event to the service's consumer exactly as the broker subscription would."""
        consumer = self.runtime.consumer
        envelope = Envelope.wrap(event, producer=topic.split(".")[0], correlation_id=uuid.uuid4().hex)
        handler = consumer.router.handlers[topic][envelope.type]
        assert await consumer.apply(topic, envelope, handler) == "applied"

    async def new_user(self, prefix: str = "user", *, register: bool = True) -> User:
        email = f"{prefix}-{uuid.uuid4().hex[:8]}@acme.test"
        user = User(uuid.uuid4(), email, {}, rsa.generate_private_key(public_exponent=65537, key_size=2048))
        user.headers = self.headers(user.id, email)
        if register:
            event = UserRegisteredV1(user_id=user.id, email=email, name=prefix, public_key=user.public_key_b64)
            await self.apply(events_topic("identity"), event)
        return user

    async def call(self, method: str, path: str, user: User | dict[str, str] | None, **kwargs: Any) -> httpx.Response:
        headers = user.headers if isinstance(user, User) else (user or {})
        return await self.http.request(method, path, headers=headers, **kwargs)

    async def outbox(self, provider_id: str | uuid.UUID) -> list[dict[str, Any]]:
        """Envelopes this service recorded for one provider, in commit order."""
        outbox = tables.outbox
        async with self.runtime.session_factory() as session:
            rows = await session.scalars(
                select(outbox.c.envelope).where(outbox.c.key == str(provider_id)).order_by(outbox.c.id)
            )
            return list(rows)

    async def event_types(self, provider_id: str | uuid.UUID) -> list[str]:
        return [envelope["type"] for envelope in await self.outbox(provider_id)]

    @contextlib.contextmanager
    def counting_statements(self) -> Iterator[list[str]]:
        """The statements this service sends meanwhile, but the background loops' and the inbox rows."""
        statements: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            # The mail sender and the security-stamp watch poll on the same engine meanwhile; the inbox row is the
            # consumer's, not the handler's.
            if not any(background in statement for background in ("mail_outbox", "inbox", "security_stamps")):
                statements.append(statement)

        engine = self.runtime.engine.sync_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    async def own_events_applied(self) -> None:
        """Wait until every event this service recorded that its consumer handles came back through the broker and
        was applied, so that nothing of its own is in flight."""
        topic = events_topic("provider")
        handled = set(self.runtime.consumer.router.handlers.get(topic, {}))
        outbox, inbox = tables.outbox, tables.inbox

        async def applied() -> bool:
            async with self.runtime.session_factory() as session:
                recorded = set(await session.scalars(select(outbox.c.event_id).where(outbox.c.event_type.in_(handled))))
                seen = set(await session.scalars(select(inbox.c.event_id).where(inbox.c.topic == topic)))
            return recorded <= seen

        await wait_until(applied, timeout=30, message="the service's own events applied")


@contextlib.asynccontextmanager
async def running_provider_service(database_url: str, kafka: Any) -> AsyncIterator[ProviderHarness]:
    sink = ProviderMail()
    await sink.start()
    settings = ProviderSettings(
        database_url=database_url,
        kafka_bootstrap=kafka.bootstrap,
        kafka_idempotent_producer=kafka.idempotent_supported,
        smtp_host="127.0.0.1",
        smtp_port=sink.port,
        public_url=PUBLIC_URL,
        invite_secret=f"test-secret-{uuid.uuid4().hex}",
        relay_poll_seconds=0.1,
        log_json=False,
    )
    parts = build_parts(settings)
    await asyncio.to_thread(run_migrations, parts)
    app = create_app(parts)
    signing = SigningKey.generate()
    app.state.verifier.add_jwks(signing.jwks())
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
                yield ProviderHarness(app, http, signing, sink)
    finally:
        await sink.stop()
