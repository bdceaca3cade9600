"""Identity's composition root: settings, tables, routers, and the objects its routes need. Nothing runs here
until a process calls `build_parts`; the signing keys load at start-up, once the database is reachable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from mspvault.identity.adapters import orm
from mspvault.identity.adapters.organization_directory import HttpOrganizationDirectory
from mspvault.identity.adapters.password_hasher import PasswordHashing
from mspvault.identity.adapters.repository import (
    Accounts,
    Devices,
    Operators,
    RefreshTokenFamilies,
    SecurityStamps,
    ShortSessionLookup,
)
from mspvault.identity.adapters.signing_keys import EmailVerificationTokens, KeyRing, load_or_create_signing_keys
from mspvault.identity.adapters.two_factor_repository import (
    ApiKeys,
    OrganizationKeys,
    OutboxMailer,
    TwoFactorSettings,
)
from mspvault.identity.domain.access_tokens import TokenPolicy
from mspvault.identity.entrypoints.consumers import build_event_router
from mspvault.identity.entrypoints.http import routers
from mspvault.identity.service_layer.ports import IdentityWork
from mspvault.shared.auth.verifier import JwksVerifier
from mspvault.shared.clock import Clock, utc_now
from mspvault.shared.db.unit_of_work import UnitOfWork
from mspvault.shared.mail import mail_loop
from mspvault.shared.runtime import Runtime, ServiceParts
from mspvault.shared.settings import IdentitySettings

MIGRATIONS = Path(__file__).parent / "migrations"


async def _load_signing_keys(app: FastAPI) -> None:
    runtime: Runtime = app.state.runtime
    ring: KeyRing = app.state.key_ring
    async with runtime.unit_of_work() as uow:
        keys = await load_or_create_signing_keys(uow.session)
        await uow.commit()
    ring.load(keys)
    # Identity verifies its own tokens from memory: it never has to fetch its own JWKS over HTTP.
    verifier: JwksVerifier = app.state.verifier
    verifier.add_jwks(ring.jwks())


async def _prepare_hasher(app: FastAPI) -> None:
    hasher: PasswordHashing = app.state.password_hashing
    await hasher.prepare()


WorkFactory = Callable[[UnitOfWork, async_sessionmaker[AsyncSession]], IdentityWork]


def work_factory(settings: IdentitySettings, keys: KeyRing, hasher: PasswordHashing, clock: Clock) -> WorkFactory:
    """The one way routes and the command line get their `IdentityWork`: a unit of work's stores, plus a lookup in
    a session of its own (`sessions`) for the password grant."""
    policy = TokenPolicy.of(
        issuer=settings.issuer,
        access_token_seconds=settings.access_token_seconds,
        refresh_token_days=settings.refresh_token_days,
        operators=settings.operators,
    )

    organizations = HttpOrganizationDirectory(settings.organization_url, settings.provider_url)
    link_lifetime = timedelta(hours=settings.email_verification_hours)

    def work(uow: UnitOfWork, sessions: async_sessionmaker[AsyncSession]) -> IdentityWork:
        session = uow.session
        return IdentityWork(
            uow=uow,
            accounts=Accounts(session),
            lookup=ShortSessionLookup(sessions),
            devices=Devices(session),
            refresh_tokens=RefreshTokenFamilies(session),
            stamps=SecurityStamps(session),
            operators=Operators(session),
            two_factor=TwoFactorSettings(session),
            api_keys=ApiKeys(session),
            organization_keys=OrganizationKeys(session),
            mail=OutboxMailer(session),
            organizations=organizations,
            hasher=hasher,
            keys=keys,
            policy=policy,
            clock=clock,
            email_tokens=EmailVerificationTokens(keys, link_lifetime),
            public_url=settings.public_url,
        )

    return work


def build_parts(settings: IdentitySettings | None = None, clock: Clock = utc_now) -> ServiceParts:
    settings = settings or IdentitySettings()
    key_ring = KeyRing()
    hasher = PasswordHashing(
        time_cost=settings.password_hash_time_cost,
        memory_kib=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_parallelism,
        max_concurrency=settings.password_hash_concurrency,
        max_waiting=settings.password_hash_queue,
    )
    identity_work = work_factory(settings, key_ring, hasher, clock)

    def event_work(uow: UnitOfWork) -> IdentityWork:
        # Projections never use the short-session lookup; it is made over the same engine all the same.
        return identity_work(uow, async_sessionmaker(uow.session.bind, expire_on_commit=False))

    return ServiceParts(
        settings=settings,
        metadata=orm.metadata,
        tables=orm.tables,
        migrations=MIGRATIONS,
        routers=routers,
        events=build_event_router(event_work),
        state={
            "settings": settings,
            "key_ring": key_ring,
            "password_hashing": hasher,
            "identity_work": identity_work,
        },
        startup=(_load_signing_keys, _prepare_hasher),
        background=[mail_loop(orm.mail_outbox, smtp_host=settings.smtp_host, smtp_port=settings.smtp_port)],
        title="MSPVault identity",
        security_stamps=orm.security_stamps,
        clock=clock,
    )
