"""The operator console through the gateway, on the running system: trace Bob's "create client org" request (DESIGN.md
§5 steps 1–4), watch a paused consumer's lag grow and drain, dead-letter a poisoned event and replay it once, and
check that nobody else sees any of it and that no EncString or key leaks into an operator view or a log line."""

from __future__ import annotations

import asyncio
import json
import os
import re
import ssl
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families

from mspvault.client import MSPVaultClient
from mspvault.client.mailbox import InviteKind, wait_for_invitation
from mspvault.client.onboarding import join_provider, verify_email
from mspvault.client.providers import ProviderType, ProviderUserType
from mspvault.deploy.system import SERVICES, System
from mspvault.shared.messaging.relay import asyncpg_dsn
from mspvault.shared.testing.wait import wait_until
from tests.e2e.documented import body_errors, merged_document, operation_of

pytestmark = pytest.mark.e2e

PASSWORD = "operator console e2e password 7"
ENCSTRING = re.compile(r"\d\.[A-Za-z0-9+/=]+\|")
# A base64 run this long is a key, a wrapped key or a token; ids (UUIDs, 32-hex correlation ids) are shorter.
BASE64_KEY = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")
UUID_RE = re.compile(r"^[0-9a-f-]{36}$")

OPERATOR_GETS = [
    "/api/ops/health",
    "/api/ops/topics",
    "/api/ops/consumer-groups",
    "/api/ops/outbox",
    "/api/ops/consumers",
    "/api/ops/dlq",
    "/api/ops/events?topic=provider.events",
    "/api/ops/trace/0123456789abcdef",
]
OPERATOR_POSTS = [
    ("/api/ops/consumers/vault/pause", None),
    ("/api/ops/consumers/vault/resume", None),
    ("/api/ops/dlq/replay", {"topic": "provider.events.dlq", "partition": 0, "offset": 0}),
    ("/api/ops/dlq/replay-all", {}),
]


def new_email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:10]}@ops.example.test"


class CorrelationRecorder(httpx.AsyncBaseTransport):
    """Wraps the client's transport to remember each response's X-Correlation-Id (the client library hides it)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[str, str, str]] = []  # method, path, correlation id

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.seen.append((request.method, request.url.path, response.headers.get("x-correlation-id", "")))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()

    def last(self, method: str, path: str) -> str:
        return next(cid for m, p, cid in reversed(self.seen) if m == method and p == path)


@dataclass
class OpsWorld:
    system: System
    operator: httpx.AsyncClient
    operator_views: list[str]  # every body an operator route answered, scanned for secrets at the end
    stranger_token: str
    acme_id: str
    bob: MSPVaultClient
    bob_calls: CorrelationRecorder
    contoso_id: str
    create_client_cid: str
    clients: list[MSPVaultClient] = field(default_factory=list)
    operator_answers: list[httpx.Response] = field(default_factory=list)  # checked against the OpenAPI document


async def make_operator(system: System, client: MSPVaultClient, email: str) -> None:
    """Verify the email of `client` (logged in as `email`) through the mail sink, then `python -m mspvault.identity
    add-operator EMAIL` against the running system's identity database (it takes verified accounts only), then
    refresh the client's token so it carries the operator claim."""
    await verify_email(client, email, system.mail_dir)
    env = {
        **os.environ,
        "MSPVAULT_IDENTITY_DATABASE_URL": system.database_urls["identity"],
        "MSPVAULT_IDENTITY_KAFKA_BOOTSTRAP": system.kafka.bootstrap,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mspvault.identity",
        "add-operator",
        email,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()
    await client.refresh()


def tls(system: System) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(system.ca_path))


async def signed_up(
    system: System, email: str, name: str, transport: httpx.AsyncBaseTransport | None = None
) -> MSPVaultClient:
    client = MSPVaultClient(system.gateway_url, verify=system.ca_path, transport=transport)
    await client.register(email, PASSWORD, name=name)
    await client.login(email, PASSWORD)
    return client


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(system: System) -> AsyncIterator[OpsWorld]:
    clients: list[MSPVaultClient] = []
    operator_email = new_email("operator")
    operator_client = await signed_up(system, operator_email, "Operator")
    clients.append(operator_client)
    await make_operator(system, operator_client, operator_email)
    views: list[str] = []
    answers: list[httpx.Response] = []

    async def keep(response: httpx.Response) -> None:
        await response.aread()
        if response.request.url.path.startswith("/api/ops/"):
            views.append(response.text)
            answers.append(response)

    operator = httpx.AsyncClient(
        base_url=system.gateway_url,
        verify=tls(system),
        trust_env=False,
        timeout=60,
        headers={"Authorization": f"Bearer {operator_client.session.access_token}"},
        event_hooks={"response": [keep]},
    )
    stranger = await signed_up(system, new_email("stranger"), "Stranger")
    clients.append(stranger)

    # DESIGN.md §5, steps 1–4: the operator opens Acme, Alice sets it up, Alice brings in Bob, Bob creates Contoso.
    alice_email, bob_email = new_email("alice"), new_email("bob")
    await operator_client.providers.open(name="Acme MSP", owner_email=alice_email, provider_type=ProviderType.MSP)
    invitation = await wait_for_invitation(system.mail_dir, alice_email, InviteKind.PROVIDER)
    alice = await signed_up(system, alice_email, "Alice")
    clients.append(alice)
    acme_id = invitation.provider_id
    await alice.providers.setup(acme_id, token=invitation.token, name="Acme MSP", billing_email=alice_email)
    bob_calls = CorrelationRecorder(httpx.AsyncHTTPTransport(verify=tls(system)))
    bob = await signed_up(system, bob_email, "Bob", transport=bob_calls)
    clients.append(bob)
    await join_provider(alice, bob, acme_id, bob_email, ProviderUserType.SERVICE_USER, system.mail_dir)
    await bob.vault.sync()  # opens the provider key Alice wrapped to Bob
    created = await bob.providers.create_client(acme_id, name="Contoso", owner_email=new_email("it-contoso"))
    assert created.organization_id is not None
    cid = bob_calls.last("POST", f"/api/providers/{acme_id}/clients")
    assert cid
    try:
        yield OpsWorld(
            system,
            operator,
            views,
            stranger.session.access_token,
            acme_id,
            bob,
            bob_calls,
            created.organization_id,
            cid,
            clients,
            answers,
        )
    finally:
        await operator.aclose()
        for client in clients:
            await client.aclose()


async def get_json(http: httpx.AsyncClient, path: str) -> Any:
    response = await http.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text)
    return response.json()


async def post_json(http: httpx.AsyncClient, path: str, body: Any = None) -> Any:
    response = await http.post(path, json=body)
    assert response.status_code == 200, (path, response.status_code, response.text)
    return response.json()


def find(steps: list[dict[str, Any]], kind: str, service: str, event_type: str) -> list[int]:
    return [
        i for i, s in enumerate(steps) if s["kind"] == kind and s["service"] == service and s["eventType"] == event_type
    ]


# --- the trace ----------------------------------------------------------------------------------------------------


async def test_trace_of_bobs_create_client_request_is_causal_and_complete(world: OpsWorld) -> None:
    path = f"/api/ops/trace/{world.create_client_cid}"
    expected = [
        ("published", "provider", "ClientOrgCreated"),
        ("applied", "organization", "ClientOrgCreated"),
        ("applied", "vault", "ClientOrgCreated"),
        ("published", "organization", "OrganizationCreated"),
        ("published", "organization", "MemberInvited"),
        ("applied", "provider", "OrganizationCreated"),
        ("applied", "vault", "OrganizationCreated"),
        ("applied", "provider", "MemberInvited"),
        ("applied", "vault", "MemberInvited"),
    ]

    async def complete() -> dict[str, Any] | None:
        body = await get_json(world.operator, path)
        return body if all(find(body["steps"], *want) for want in expected) else None

    trace = await wait_until(complete, timeout=60, interval=0.3, message="the whole flow of Bob's request")
    steps = trace["steps"]
    assert trace["services"] == {s: "ok" for s in SERVICES}

    def one(kind: str, service: str, event_type: str) -> int:
        found = find(steps, kind, service, event_type)
        assert len(found) == 1, (kind, service, event_type, found)  # applied exactly once per consumer
        return found[0]

    created = one("published", "provider", "ClientOrgCreated")
    org_applies = one("applied", "organization", "ClientOrgCreated")
    org_created = one("published", "organization", "OrganizationCreated")
    invited = one("published", "organization", "MemberInvited")
    # Causal order: the provider's event, the organization service applying it, what it published while doing so,
    # then the later consumers of those.
    assert created < org_applies < org_created < one("applied", "vault", "OrganizationCreated")
    assert org_applies < invited < one("applied", "provider", "MemberInvited")
    assert org_created < one("applied", "provider", "OrganizationCreated")
    assert steps[created]["depth"] == 0
    assert steps[created]["causationId"] is None
    root_id = steps[created]["eventId"]
    assert steps[org_created]["causationId"] == root_id
    assert steps[invited]["causationId"] == root_id
    assert steps[org_created]["depth"] > steps[org_applies]["depth"] > steps[created]["depth"]
    # Timings: monotone along the causal chain and measured from the first event.
    assert steps[created]["atMs"] == 0
    assert steps[created]["atMs"] <= steps[org_applies]["atMs"] <= steps[org_created]["atMs"]
    assert steps[org_applies]["sinceCreatedMs"] >= 0
    assert steps[created]["publishDelayMs"] >= 0
    assert all(UUID_RE.match(s["eventId"]) for s in steps)


async def test_recent_events_show_ids_and_mask_every_text_field(world: OpsWorld) -> None:
    body = await get_json(world.operator, "/api/ops/events?topic=provider.events&limit=200")
    mine = [
        e
        for e in body["events"]
        if e["value"]["envelope"]
        and e["value"]["envelope"]["type"] == "ClientOrgCreated"
        and e["value"]["envelope"]["data"].get("organization_id") == world.contoso_id
    ]
    assert len(mine) == 1
    data = mine[0]["value"]["envelope"]["data"]
    assert data["provider_id"] == world.acme_id
    assert data["seats"] == 1
    for secret_or_personal in ("encrypted_private_key", "public_key", "collection_name", "owner_email", "name"):
        assert data[secret_or_personal] == "[masked]"
    assert mine[0]["value"]["envelope"]["correlationId"] == world.create_client_cid


# --- lag ----------------------------------------------------------------------------------------------------------


async def vault_lag(world: OpsWorld, topic: str) -> tuple[int, list[dict[str, Any]]]:
    groups = (await get_json(world.operator, "/api/ops/consumer-groups"))["groups"]
    vault = next(g for g in groups if g["group"] == "vault")
    parts = [p for p in vault["partitions"] if p["topic"] == topic]
    return sum(p["lag"] for p in parts), parts


async def test_a_paused_consumers_lag_grows_and_drains_after_resume(world: OpsWorld) -> None:
    topic = "identity.events"
    await wait_until(lambda: _lag_is(world, topic, 0), timeout=30, interval=0.3, message="vault caught up")
    paused = await post_json(world.operator, "/api/ops/consumers/vault/pause")
    assert paused["paused"] is True
    assert paused["group"] == "vault"
    newcomers: list[MSPVaultClient] = []
    try:
        for index in range(3):  # each registration publishes UserRegistered (and UserKeysSet) that vault consumes
            client = MSPVaultClient(world.system.gateway_url, verify=world.system.ca_path)
            newcomers.append(client)
            await client.register(new_email(f"lag{index}"), PASSWORD, name=f"Lag {index}")
        grown = await wait_until(
            lambda: _lag_at_least(world, topic, 3), timeout=30, interval=0.3, message="vault's lag to grow"
        )
        assert grown is not None
        assert grown >= 3
        consumers = (await get_json(world.operator, "/api/ops/consumers"))["consumers"]
        assert next(c for c in consumers if c["service"] == "vault")["paused"] is True
        # Still lagging a moment later: the consumer really is paused, not just slow.
        still, parts = await vault_lag(world, topic)
        assert still >= grown
        assert any(p["lagSeconds"] and p["lagSeconds"] > 0 for p in parts)
    finally:
        resumed = await post_json(world.operator, "/api/ops/consumers/vault/resume")
        for client in newcomers:
            await client.aclose()
    assert resumed["paused"] is False
    await wait_until(lambda: _lag_is(world, topic, 0), timeout=60, interval=0.3, message="vault's lag to drain")


async def _lag_is(world: OpsWorld, topic: str, value: int) -> bool:
    return (await vault_lag(world, topic))[0] == value


async def _lag_at_least(world: OpsWorld, topic: str, value: int) -> int | None:
    lag = (await vault_lag(world, topic))[0]
    return lag if lag >= value else None


# --- the dead-letter queue ------------------------------------------------------------------------------------------


async def test_a_poisoned_event_is_dead_lettered_then_replayed_and_applied_once(world: OpsWorld) -> None:
    """The poison: the provider's read model refuses one organization (a trigger stands in for a bug or a missing
    migration), so its consumer fails on that OrganizationCreated, retries, and dead-letters it. The fix: drop the
    trigger. The replay then applies it exactly once in the provider; the vault, which applied it the first time,
    absorbs the replay as a duplicate."""
    system = world.system
    name = f"poison-{uuid.uuid4().hex[:8]}"
    trigger = f"ops_poison_{uuid.uuid4().hex[:8]}"
    provider_db = await asyncpg.connect(asyncpg_dsn(system.database_urls["provider"]))
    vault_db = await asyncpg.connect(asyncpg_dsn(system.database_urls["vault"]))
    try:
        await provider_db.execute(
            f"""CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.name = '{name}' THEN RAISE EXCEPTION 'read model refuses organization %', NEW.id; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER {trigger} BEFORE INSERT ON organizations FOR EACH ROW EXECUTE FUNCTION {trigger}();"""
        )
        created = await world.bob.providers.create_client(world.acme_id, name=name, owner_email=new_email("poison"))
        org_id = created.organization_id
        cid = world.bob_calls.last("POST", f"/api/providers/{world.acme_id}/clients")

        async def dead_letter() -> dict[str, Any] | None:
            letters = (await get_json(world.operator, "/api/ops/dlq"))["deadLetters"]
            return next((d for d in letters if d["correlationId"] == cid), None)

        letter = await wait_until(dead_letter, timeout=90, interval=0.5, message="the poisoned event in the DLQ")
        assert letter["consumer"] == "provider"
        assert letter["eventType"] == "OrganizationCreated"
        assert letter["dlqTopic"] == "organization.events.dlq"
        assert letter["originalTopic"] == "organization.events"
        assert "read model refuses organization" in letter["error"]
        assert letter["attempts"] >= 1
        assert letter["replayed"] is None
        assert letter["value"]["envelope"]["data"]["organization_id"] == org_id
        event_id = letter["eventId"]

        trace = await get_json(world.operator, f"/api/ops/trace/{cid}")
        assert find(trace["steps"], "dead-lettered", "provider", "OrganizationCreated")
        assert not find(trace["steps"], "applied", "provider", "OrganizationCreated")
        assert await inbox_rows(provider_db, "provider", event_id) == 0

        await provider_db.execute(f"DROP TRIGGER {trigger} ON organizations; DROP FUNCTION {trigger}();")  # the fix
        replayed = await post_json(
            world.operator,
            "/api/ops/dlq/replay",
            {"topic": letter["dlqTopic"], "partition": letter["partition"], "offset": letter["offset"]},
        )
        mark = replayed["replayed"][0]["replayed"]
        assert mark["topic"] == "organization.events"
        assert mark["at"]

        async def applied_by_provider() -> bool:
            return await inbox_rows(provider_db, "provider", event_id) == 1

        await wait_until(applied_by_provider, timeout=60, interval=0.3, message="the replay applied by provider")
        org_rows = await provider_db.fetchval("SELECT count(*) FROM organizations WHERE id = $1", uuid.UUID(org_id))
        assert org_rows == 1

        # The DLQ remembers the replay; "replay all" does not send it again.
        listed = await dead_letter()
        assert listed is not None
        assert listed["replayed"] is not None
        again = await post_json(world.operator, "/api/ops/dlq/replay-all", {"topic": "organization.events.dlq"})
        assert all(r["correlationId"] != cid for r in again["replayed"])

        # Exactly once everywhere, though the vault and the provider both saw the event twice.
        async def settled() -> dict[str, Any] | None:
            body = await get_json(world.operator, f"/api/ops/trace/{cid}")
            vault_done = await inbox_rows(vault_db, "vault", event_id) == 1
            return body if vault_done and find(body["steps"], "applied", "provider", "OrganizationCreated") else None

        trace = await wait_until(settled, timeout=30, interval=0.3, message="the trace after the replay")
        applied = [s for s in trace["steps"] if s["kind"] == "applied" and s["eventId"] == event_id]
        assert sorted(s["service"] for s in applied) == ["provider", "vault"]
        assert await inbox_rows(provider_db, "provider", event_id) == 1
    finally:
        await provider_db.execute(f"DROP TRIGGER IF EXISTS {trigger} ON organizations")
        await provider_db.execute(f"DROP FUNCTION IF EXISTS {trigger}()")
        await provider_db.close()
        await vault_db.close()


async def inbox_rows(db: asyncpg.Connection, consumer: str, event_id: str) -> int:
    count: int = await db.fetchval(
        "SELECT count(*) FROM inbox WHERE consumer = $1 AND event_id = $2", consumer, uuid.UUID(event_id)
    )
    return count


# --- who may see it -------------------------------------------------------------------------------------------------


async def test_everyone_but_an_operator_gets_404_on_every_operator_route(world: OpsWorld) -> None:
    system = world.system
    async with httpx.AsyncClient(base_url=system.gateway_url, verify=tls(system), trust_env=False, timeout=30) as http:
        stranger = {"Authorization": f"Bearer {world.stranger_token}"}
        for path in OPERATOR_GETS:
            response = await http.get(path, headers=stranger)
            assert response.status_code == 404, (path, response.text)
            assert (await http.get(path)).status_code == 401  # like every /api path without a token
        for path, body in OPERATOR_POSTS:
            response = await http.post(path, json=body, headers=stranger)
            assert response.status_code == 404, (path, response.text)
        # The services' own ops endpoints: never forwarded by the gateway, and 404 to a non-operator even directly.
        operator_auth = {"Authorization": world.operator.headers["Authorization"]}
        for internal in ("/internal/ops/outbox", "/internal/ops/consumer"):
            assert (await http.get(internal, headers=operator_auth)).status_code == 404
    async with httpx.AsyncClient(trust_env=False, timeout=30) as direct:
        for service, url in system.service_urls.items():
            for path in ("/internal/ops/outbox", "/internal/ops/consumer", "/internal/ops/trace/0123456789abcdef"):
                response = await direct.get(url + path, headers={"Authorization": f"Bearer {world.stranger_token}"})
                assert response.status_code == 404, (service, path)
            for path in ("/internal/ops/consumer/pause", "/internal/ops/consumer/resume"):
                response = await direct.post(url + path, headers={"Authorization": f"Bearer {world.stranger_token}"})
                assert response.status_code == 404, (service, path)
    consumers = (await get_json(world.operator, "/api/ops/consumers"))["consumers"]
    assert not any(c.get("paused") for c in consumers)  # the refused pause did nothing


# --- metrics -------------------------------------------------------------------------------------------------------


async def test_every_service_exports_lag_backlog_handler_and_message_metrics(world: OpsWorld) -> None:
    async with httpx.AsyncClient(trust_env=False, timeout=30) as http:
        for service, url in world.system.service_urls.items():
            samples = _samples((await http.get(url + "/metrics")).text)
            assert ("mspvault_outbox_backlog", (("service", service),)) in samples
            assert ("mspvault_outbox_oldest_age_seconds", (("service", service),)) in samples
            assert any(name == "mspvault_http_request_seconds_bucket" for name, _ in samples)
            if service == "identity":  # it consumes nothing; it publishes
                assert ("mspvault_outbox_published_total", (("service", service), ("topic", "identity.events"))) in (
                    samples
                )
                continue
            lag_labels = (("group", service), ("partition", "0"), ("topic", "identity.events"))
            assert ("mspvault_consumer_lag", lag_labels) in samples
            assert ("mspvault_consumer_lag_seconds", lag_labels) in samples
            consumed = (
                ("consumer", service),
                ("event_type", "UserRegistered"),
                ("outcome", "applied"),
                ("topic", "identity.events"),
            )
            assert ("mspvault_events_consumed_total", consumed) in samples
            assert any(
                name == "mspvault_event_handler_seconds_bucket" and ("event_type", "UserRegistered") in labels
                for name, labels in samples
            )


def _samples(exposition: str) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    return {
        (sample.name, tuple(sorted(sample.labels.items())))
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


# --- nothing secret leaks -------------------------------------------------------------------------------------------


def leaks(text: str) -> list[str]:
    found = [m.group(0) for m in ENCSTRING.finditer(text)]
    found += [m.group(0) for m in BASE64_KEY.finditer(text) if not re.fullmatch(r"[0-9a-f]+", m.group(0))]
    return found


async def test_no_encstring_or_key_in_any_operator_view_or_log_line(world: OpsWorld) -> None:
    for path in [
        *OPERATOR_GETS[:-1],
        "/api/ops/events?topic=organization.events&limit=200",
        "/api/ops/events?topic=identity.events&limit=200",
        "/api/ops/events?topic=organization.events.dlq",
        f"/api/ops/trace/{world.create_client_cid}",
    ]:
        await get_json(world.operator, path)
    assert world.operator_views, "no operator view was recorded"
    for view in world.operator_views:
        assert not leaks(view), leaks(view)[:3]
    # The events really did carry EncStrings and keys: masking, not their absence, kept them out.
    raw = await world.bob.providers.list_clients(world.acme_id)
    assert any(ENCSTRING.search(json.dumps(link)) for link in raw)
    for log in sorted(world.system.logs_dir.glob("*.log")):
        if log.name == "kafka.log":
            continue
        found = leaks(log.read_text(errors="replace"))
        assert not found, (log.name, found[:3])


# --- every answer is the documented one ----------------------------------------------------------------------------


async def test_every_operator_answer_is_the_body_the_openapi_document_promises(world: OpsWorld) -> None:
    """Every answer the operator routes gave in this module (the fuzzing, not an operator, only meets their 404).
    Each route answered at least once with 200, but `replay-all` (it would replay other modules' dead letters; it
    answers the same model as `replay`)."""
    document = await merged_document(world.operator)
    answered = {
        operation_of(document, answer.request.method, answer.request.url.path)["operationId"]
        for answer in world.operator_answers
        if answer.status_code == 200
    }
    operator_routes = {
        operation["operationId"]
        for path, item in document["paths"].items()
        if path.startswith("/api/ops/") and not path.endswith("/replay-all")
        for operation in item.values()
    }
    assert answered >= operator_routes, operator_routes - answered
    errors = [error for answer in world.operator_answers for error in body_errors(document, answer)]
    assert not errors, "\n".join(errors[:20])
