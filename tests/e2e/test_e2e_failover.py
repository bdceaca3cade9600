"""Failover under load: two replicas of every service, one of each killed with SIGKILL mid-load and started again.

A system of its own (not the shared one): two processes of each service behind one gateway. Several users write
steadily through the gateway (Alice, Carol and Dave add items, Bob creates client organizations and invites
members to one), and while they do, the replica of each service that holds the outbox relay's lock is killed; the
test measures how long until the other replica publishes (relay failover), then starts the killed one again and
keeps writing. Afterwards:
- every write the gateway accepted is in its service's database (and a new client's organization in the
  organization service's, which it learns by event);
- every event reached every consumer exactly once: for each consumer and producer, the inbox rows equal the
  producer's outbox rows of the types that consumer handles (the inbox key makes a second copy impossible);
- no request got a 5xx except one in flight on a killed process at the moment it died.
Relay failover times are printed (`-s` shows them).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio

from mspvault.client.api import ApiError
from mspvault.client.ciphers import PlainCipher, SecureNote
from mspvault.client.crypto import SymmetricKey, generate_key_pair
from mspvault.client.demo import DemoBuilder, DemoOptions
from mspvault.client.onboarding import Connection, log_in
from mspvault.deploy.system import GENEROUS_RATE_LIMITS, SERVICES, System, start_system
from mspvault.organization.entrypoints.consumers import build_event_router as organization_events
from mspvault.provider.entrypoints.consumers import build_event_router as provider_events
from mspvault.shared.infra import asyncpg_url
from mspvault.shared.infra.postgres import PostgresServer
from mspvault.shared.testing.wait import wait_until
from mspvault.vault.entrypoints.consumers import build_event_router as vault_events

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]  # a hang guard: 9 processes start slowly on a loaded machine

OPERATOR = "operator@failover.example"
WRITES_EACH_SIDE = 5  # accepted writes of each kind before the kills, and again after the restarts


@dataclass
class Outcome:
    kind: str
    started: float
    ended: float
    status: int  # 0: a transport error reached the client
    key: str | None = None  # what to look for in the database when accepted
    error: str = ""  # the transport error the client saw, when status is 0


@dataclass
class Load:
    outcomes: list[Outcome] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    def accepted(self, kind: str) -> list[str]:
        return [o.key for o in self.outcomes if o.kind == kind and 200 <= o.status < 300 and o.key]


@pytest_asyncio.fixture(loop_scope="session")
async def replicated(postgres: PostgresServer, artifacts_dir: Path) -> AsyncIterator[System]:
    run = uuid.uuid4().hex[:8]
    prefix = f"failover_{run}_"
    env = {
        "MSPVAULT_IDENTITY_OPERATORS": json.dumps([OPERATOR]),
        "MSPVAULT_IDENTITY_PASSWORD_HASH_TIME_COST": "1",
        "MSPVAULT_IDENTITY_PASSWORD_HASH_MEMORY_KIB": "8192",
        **GENEROUS_RATE_LIMITS,
    }
    async with start_system(
        artifacts_dir / f"failover-{run}",
        postgres=postgres,
        database_prefix=prefix,
        env=env,
        replicas=dict.fromkeys(SERVICES, 2),
        startup_timeout=600,
    ) as system:
        yield system
    for service in (*SERVICES, "gateway"):
        await postgres.drop_database(prefix + service)


async def relay_holder(system: System, http: httpx.AsyncClient, service: str) -> str | None:
    for name in system.replica_names[service]:
        if name not in system.children:
            continue
        with contextlib.suppress(httpx.HTTPError, ValueError):
            body = (await http.get(f"{system.url_of(name)}/health", timeout=2.0)).json()
            if body.get("checks", {}).get("relay"):
                return name
    return None


async def test_killing_a_replica_of_each_service_under_load_loses_and_doubles_nothing(replicated: System) -> None:
    system = replicated
    connection = Connection(system.gateway_url, ca=system.ca_path)
    world = await DemoBuilder(
        DemoOptions(
            connection=connection,
            mail_dir=system.mail_dir,
            tag=uuid.uuid4().hex[:6],
            operator_email=OPERATOR,
            operator_password="failover-operator",
        )
    ).build()
    writers = {p.email: await log_in(connection, p) for p in (world.alice, world.carol, world.dave)}
    bob = await log_in(connection, world.bob)
    load = Load()

    async def add_items(email: str) -> None:
        client = writers[email]
        n = 0
        while not load.stop.is_set():
            n += 1
            started = time.monotonic()
            try:
                made = await client.vault.create_cipher(PlainCipher(name=f"item {n}", content=SecureNote()))
                load.outcomes.append(Outcome("item", started, time.monotonic(), 200, made.id))
            except ApiError as error:
                load.outcomes.append(Outcome("item", started, time.monotonic(), error.status))
            except httpx.HTTPError as error:
                load.outcomes.append(Outcome("item", started, time.monotonic(), 0, error=repr(error)))

    auth = {"Authorization": f"Bearer {bob.session.access_token}"}
    org_key, pair = SymmetricKey.generate(), generate_key_pair()
    client_body = {
        "planType": 19,
        "seats": 5,
        "key": str(bob.session.provider_key(world.acme_id).encrypt(org_key.to_bytes())),
        "keyPair": {"publicKey": pair.public_key, "encryptedPrivateKey": str(org_key.encrypt(pair.private_key))},
        "collectionName": str(org_key.encrypt_str("Default collection")),
    }

    async def post(http: httpx.AsyncClient, kind: str, path: str, body: dict[str, object], key: str) -> str | None:
        started = time.monotonic()
        try:
            response = await http.post(path, headers=auth, json=body)
        except httpx.HTTPError as error:
            load.outcomes.append(Outcome(kind, started, time.monotonic(), 0, error=repr(error)))
            return None
        if kind in ("client", "setup") and response.status_code == 200:
            key = response.json()["organizationId"]
        load.outcomes.append(Outcome(kind, started, time.monotonic(), response.status_code, key))
        return key if response.status_code == 200 else None

    async def add_clients(http: httpx.AsyncClient) -> None:
        while not load.stop.is_set():
            name = f"Client {uuid.uuid4().hex[:8]}"
            body = {**client_body, "name": name, "ownerEmail": f"it@{name[-8:]}.example"}
            await post(http, "client", f"/api/providers/{world.acme_id}/clients", body, "")

    async def invite_members(http: httpx.AsyncClient, org_id: str) -> None:
        while not load.stop.is_set():
            email = f"member-{uuid.uuid4().hex[:10]}@failover.example"
            body = {"emails": [email], "type": 2, "collections": [], "groups": []}
            await post(http, "member", f"/api/organizations/{org_id}/users/invite", body, email)

    def accepted_at_least(count: int) -> bool:
        return all(len(load.accepted(kind)) >= count for kind in ("item", "client", "member"))

    verify = ssl.create_default_context(cafile=str(system.ca_path))
    async with (
        httpx.AsyncClient(base_url=system.gateway_url, verify=verify, trust_env=False, timeout=60) as http,
        httpx.AsyncClient(trust_env=False) as probe,
    ):
        # Members go to a client with room for them (the demo's have 10 seats), once its organization exists.
        roomy = {**client_body, "name": "Roomy", "ownerEmail": "it@roomy.example", "seats": 1_000_000}
        roomy_id = await post(http, "setup", f"/api/providers/{world.acme_id}/clients", roomy, "")
        assert roomy_id is not None
        await wait_until(
            lambda: _organization_exists(system, roomy_id), timeout=120, message="the roomy client's organization"
        )
        workers = [asyncio.create_task(add_items(email)) for email in writers]
        workers += [asyncio.create_task(add_clients(http)), asyncio.create_task(invite_members(http, roomy_id))]
        try:
            await wait_until(lambda: accepted_at_least(WRITES_EACH_SIDE), timeout=120, message="load before kills")

            async def holder(service: str) -> str:
                name = await wait_until(lambda: relay_holder(system, probe, service), timeout=30)
                assert name is not None  # wait_until returns only a truthy answer
                return name

            holders = {s: await holder(s) for s in SERVICES}
            kill_started = time.monotonic()
            await asyncio.gather(*(system.kill_service(name) for name in holders.values()))
            killed_at = time.monotonic()

            async def failover(service: str) -> float:
                await wait_until(lambda: relay_holder(system, probe, service), timeout=60, interval=0.05)
                return time.monotonic() - killed_at

            failovers = dict(zip(SERVICES, await asyncio.gather(*(failover(s) for s in SERVICES)), strict=True))
            await asyncio.gather(*(system.start_service(name) for name in holders.values()))
            before = min(len(load.accepted(kind)) for kind in ("item", "client", "member"))
            await wait_until(
                lambda: accepted_at_least(before + WRITES_EACH_SIDE), timeout=120, message="load after restarts"
            )
        finally:
            load.stop.set()
            await asyncio.gather(*workers, return_exceptions=True)
    for client in (*writers.values(), bob):
        await client.aclose()

    print("\nrelay failover after SIGKILL of the holder:")
    for service, seconds in failovers.items():
        print(f"  {service:<13} {seconds * 1000:7.0f} ms  (killed {holders[service]})")
    counts = {kind: len(load.accepted(kind)) for kind in ("item", "client", "member")}
    print(f"accepted writes: {counts}; requests: {len(load.outcomes)}")

    # No 5xx other than requests in flight on a killed process when it died.
    failed = [o for o in load.outcomes if o.status >= 500 or o.status == 0]
    print(f"kills between {kill_started:.3f} and {killed_at:.3f} (monotonic); failed requests:")
    for o in failed:
        print(f"  {o.kind:<7} {o.started:.3f}..{o.ended:.3f} {o.status} {o.error}")
    outside = [o for o in failed if not (o.started <= killed_at and o.ended >= kill_started)]
    assert outside == [], outside
    assert all(counts.values()), counts  # the load really wrote each kind before and after the kills
    assert max(failovers.values()) < 30

    await _every_accepted_write_is_stored(system, load)
    await _every_event_reached_every_consumer_once(system)


async def _organization_exists(system: System, org_id: str) -> bool:
    db = await asyncpg.connect(asyncpg_url(system.database_urls["organization"]))
    try:
        return bool(await db.fetchval("SELECT count(*) FROM organizations WHERE id = $1", uuid.UUID(org_id)))
    finally:
        await db.close()


async def _every_accepted_write_is_stored(system: System, load: Load) -> None:
    async with _databases(system) as db:
        items = {str(r["id"]) for r in await db["vault"].fetch("SELECT id FROM ciphers")}
        assert set(load.accepted("item")) <= items
        rows = await db["provider"].fetch("SELECT organization_id FROM provider_organizations")
        links = {str(r["organization_id"]) for r in rows}
        assert set(load.accepted("client")) <= links
        members = {r["email"] for r in await db["organization"].fetch("SELECT email FROM members")}
        assert set(load.accepted("member")) <= members

        async def organizations_made() -> bool:  # the organization service learns of a new client by event
            rows = await db["organization"].fetch("SELECT id FROM organizations")
            return set(load.accepted("client")) <= {str(r["id"]) for r in rows}

        await wait_until(organizations_made, timeout=120, interval=0.5, message="every client's organization")


async def _every_event_reached_every_consumer_once(system: System) -> None:
    handled = {
        "provider": provider_events(lambda uow: uow).handlers,  # type: ignore[arg-type, return-value]
        "organization": organization_events(lambda uow: uow).handlers,  # type: ignore[arg-type, return-value]
        "vault": vault_events(lambda uow: uow, own_topic="vault.events").handlers,  # type: ignore[arg-type, return-value]
    }
    async with _databases(system) as db:

        async def unsent() -> bool:
            counts = [await db[s].fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL") for s in SERVICES]
            return not any(counts)

        await wait_until(unsent, timeout=120, interval=0.5, message="every outbox row published")

        async def tallies() -> dict[tuple[str, str], tuple[int, int]]:
            found = {}
            for consumer, topics in handled.items():
                for topic, types in topics.items():
                    producer = topic.split(".")[0]
                    published = await db[producer].fetchval(
                        "SELECT count(*) FROM outbox WHERE event_type = ANY($1::text[])", list(types)
                    )
                    applied = await db[consumer].fetchval(
                        "SELECT count(*) FROM inbox WHERE consumer = $1 AND topic = $2", consumer, topic
                    )
                    found[(consumer, topic)] = (published, applied)
            return found

        async def balanced() -> bool:
            return all(published == applied for published, applied in (await tallies()).values())

        try:
            await wait_until(balanced, timeout=180, interval=1.0, message="inbox counts = outbox counts")
        finally:
            print("inbox / outbox per consumer and topic:")
            for (consumer, topic), (published, applied) in sorted((await tallies()).items()):
                print(f"  {consumer:<13} {topic:<20} outbox {published:5d}  inbox {applied:5d}")
        dead = await asyncio.gather(
            *(db[s].fetchval("SELECT count(*) FROM inbox WHERE error IS NOT NULL") for s in handled)
        )
        assert dead == [0, 0, 0]


@contextlib.asynccontextmanager
async def _databases(system: System) -> AsyncIterator[dict[str, asyncpg.Connection]]:
    connections = {s: await asyncpg.connect(asyncpg_url(system.database_urls[s])) for s in SERVICES}
    try:
        yield connections
    finally:
        for connection in connections.values():
            await connection.close()
