"""The client list: all clients in Bitwarden's shape, or keyset pages by (name, id) with a search by part of the
name; PostgreSQL writes each client's JSON and this module holds it to `ClientDetailsResponse`; the plans use the
indexes (EXPLAIN)."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import brotli
import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from mspvault.provider.adapters.orm import org_members, provider_organizations
from mspvault.provider.adapters.queries import ClientCursor, ClientDetails
from mspvault.provider.adapters.repository import client_from_row
from mspvault.provider.domain.enums import PLAN_NAMES
from mspvault.provider.entrypoints.http.responses import ClientDetailsResponse
from mspvault.shared.contracts import organization as events
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.topics import events_topic
from tests.integration.provider import provider_flows as flows
from tests.integration.provider.provider_flows import SERVICE, SetUpProvider, add_member, set_up_provider, synced
from tests.integration.provider.provider_harness import ProviderHarness

pytestmark = pytest.mark.integration


def link_row(provider: SetUpProvider, name: str, **values: Any) -> dict[str, Any]:
    moment = datetime(2026, 11, 29, 3, 52, 26, 109464, tzinfo=UTC)
    dates = {"creation_date": moment, "revision_date": moment + timedelta(seconds=1)}
    return flows.link_row(provider.id, name, **(dates | values))


async def insert_links(
    h: ProviderHarness, links: list[dict[str, Any]], members: list[dict[str, Any]] | None = None
) -> None:
    async with h.runtime.session_factory() as session:
        # Members first, as the service learns of them: each link counts its members when it is inserted.
        if members:
            await session.execute(insert(org_members), members)
        await session.execute(insert(provider_organizations), links)
        await session.commit()


def member(organization_id: uuid.UUID, status: int) -> dict[str, Any]:
    return {
        "member_id": uuid.uuid4(),
        "organization_id": organization_id,
        "user_id": uuid.uuid4(),
        "type": 2,
        "status": status,
    }


async def test_each_client_is_written_as_the_model_writes_it(provider_service: ProviderHarness) -> None:
    """Each client's stored JSON (written by a trigger on insert and update) with its counts is the model's."""
    h = provider_service
    acme = await set_up_provider(h)
    links = [
        link_row(acme, "Contoso", seats=2),
        link_row(acme, 'Fabrikam\'s "Ops" \\ Ünïcode', plan_type=17, settings={"providerAccessToItems": False}),
        link_row(acme, "Legacy plan", plan_type=3, key=None, settings={}),
        link_row(acme, "Tab\there, line\nbreak", plan_type=99),
        *[link_row(acme, f"On plan {plan_type}", plan_type=plan_type) for plan_type in PLAN_NAMES],
    ]
    contoso = links[0]["organization_id"]
    members = [member(contoso, 2), member(contoso, 2), member(contoso, 1), member(contoso, -1)]
    await insert_links(h, links, members)

    async def listed_as_the_model_says() -> dict[str, Any]:
        listed = await h.call("GET", f"{acme.base()}/organizations", acme.admin)
        assert listed.status_code == 200, listed.text
        body: dict[str, Any] = listed.json()
        async with h.runtime.session_factory() as session:
            rows = (
                await session.execute(
                    select(provider_organizations).where(
                        provider_organizations.c.id.in_([link["id"] for link in links])
                    )
                )
            ).all()
        counts = {contoso: (2, 3)}  # two confirmed; three take a seat (the revoked one does not)
        expected = {
            str(row.id): ClientDetailsResponse.of_details(
                ClientDetails(client_from_row(row), *counts.get(row.organization_id, (0, 0)))
            ).model_dump(mode="json", by_alias=True)
            for row in rows
        }
        assert {item["id"]: item for item in body["data"]} == expected
        return body

    body = await listed_as_the_model_says()
    assert (body["object"], body["continuationToken"], "count" in body) == ("list", None, False)
    assert {item["plan"] for item in body["data"]} >= set(PLAN_NAMES.values())
    listed_names = [item["organizationName"] for item in body["data"]]
    assert listed_names == sorted(listed_names)
    contoso_row = next(item for item in body["data"] if item["organizationId"] == str(contoso))
    assert (contoso_row["remainingSeats"], contoso_row["plan"]) == (0, "Enterprise (Monthly)")
    assert {item["plan"] for item in body["data"]} >= {"Plan 3", "Plan 99"}
    # Compressed where it is written when the caller takes it (the gateway passes the caller's codings on).
    for accepted, coding, decode in (("gzip, br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)):
        async with h.http.stream(
            "GET", f"{acme.base()}/organizations", headers=acme.admin.headers | {"Accept-Encoding": accepted}
        ) as sent:
            raw = b"".join([chunk async for chunk in sent.aiter_raw()])
        assert (sent.headers["content-encoding"], sent.headers["vary"]) == (coding, "Accept-Encoding")
        assert json.loads(decode(raw)) == body
    plain = await h.http.get(
        f"{acme.base()}/organizations", headers=acme.admin.headers | {"Accept-Encoding": "identity"}
    )
    assert "content-encoding" not in plain.headers
    assert plain.json() == body
    # A page writes each client as the unpaged list does.
    page = await h.call("GET", f"{acme.base()}/organizations", acme.admin, params={"pageSize": 10})
    assert page.json()["data"] == body["data"]
    assert page.json()["count"] == len(links)

    # An update rewrites the stored JSON, whichever code writes it.
    async with h.runtime.session_factory() as session:
        await session.execute(
            update(provider_organizations)
            .where(provider_organizations.c.organization_id == contoso)
            .values(
                organization_name="Contoso Renamed",
                seats=7,
                key=None,
                settings={"providerAccessToItems": False},
                revision_date=datetime(2027, 1, 2, 3, 4, 5, 600, tzinfo=UTC),
            )
        )
        await session.commit()
    renamed = next(
        item for item in (await listed_as_the_model_says())["data"] if item["organizationId"] == str(contoso)
    )
    assert (renamed["organizationName"], renamed["remainingSeats"]) == ("Contoso Renamed", 4)
    assert renamed["revisionDate"] == "2027-01-02T03:04:05.000600Z"


async def test_pages_follow_name_then_id_and_search_ignores_case(provider_service: ProviderHarness) -> None:
    h = provider_service
    acme = await set_up_provider(h)
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    names = [f"Client {n:03d}" for n in range(25)] + ["Northwind Traders", "NORTHWIND Two", "50%_off\\shop"]
    twins = [link_row(acme, "Same name"), link_row(acme, "Same name")]
    await insert_links(h, [link_row(acme, name) for name in names] + twins)
    base = f"{acme.base()}/organizations"

    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"pageSize": 7} | ({"continuationToken": token} if token else {})
        page = await h.call("GET", base, bob, params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["count"] == len(names) + 2
        assert len(body["data"]) <= 7
        seen += [item["id"] for item in body["data"]]
        pages += 1
        token = body["continuationToken"]
        if token is None:
            break
    everything = (await h.call("GET", base, bob)).json()["data"]
    assert seen == [item["id"] for item in everything]  # same order, nothing twice, nothing missed
    assert pages == 5

    async def search(term: str, **params: Any) -> dict[str, Any]:
        response = await h.call("GET", base, bob, params={"search": term, "pageSize": 100} | params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    found = await search("northwind")
    assert sorted(item["organizationName"] for item in found["data"]) == ["NORTHWIND Two", "Northwind Traders"]
    assert found["count"] == 2
    assert [item["organizationName"] for item in (await search("0%_O"))["data"]] == ["50%_off\\shop"]
    assert (await search("%"))["count"] == 1  # a wildcard typed is a character searched for
    assert (await search("_"))["count"] == 1
    assert (await search("\\"))["count"] == 1
    assert (await search("client 01"))["count"] == 10
    first = await search("client", pageSize=4)
    second = await search("client", pageSize=4, continuationToken=first["continuationToken"])
    assert [item["organizationName"] for item in first["data"] + second["data"]] == names[:8]
    unpaged = await h.call("GET", base, bob, params={"search": "same"})
    assert len(unpaged.json()["data"]) == 2
    assert unpaged.json()["continuationToken"] is None


async def test_bad_paging_is_a_clear_400_and_strangers_get_404(provider_service: ProviderHarness) -> None:
    h = provider_service
    acme = await set_up_provider(h)
    base = f"{acme.base()}/organizations"
    for params in ({"continuationToken": "not-a-token"}, {"continuationToken": "WzEsMl0"}, {"pageSize": 0}):
        response = await h.call("GET", base, acme.admin, params=params)
        assert response.status_code == 400 or response.status_code == 422, (params, response.text)
        assert response.json()  # the one JSON error shape
    stranger = await h.new_user("mallory")
    await insert_links(h, [link_row(acme, "Contoso")])
    past_the_end = ClientCursor("zzz", uuid.uuid4()).token()
    refused: list[dict[str, Any]] = [
        {},
        {"pageSize": 5},
        {"search": "a"},
        {"search": "no such client", "pageSize": 5},
        {"continuationToken": past_the_end},  # no row to carry the membership: it is read alone
        {"continuationToken": "not-a-token"},  # 404 before 400: nothing is said to anyone else
    ]
    for params in refused:
        assert (await h.call("GET", base, stranger, params=params)).status_code == 404, params
    end = await h.call("GET", base, acme.admin, params={"continuationToken": past_the_end})
    assert (end.json()["data"], end.json()["count"], end.json()["continuationToken"]) == ([], 1, None)
    other = await set_up_provider(h, "Other MSP")
    assert (await h.call("GET", base, other.admin, params={"pageSize": 5})).status_code == 404
    assert (await h.call("GET", f"{other.base()}/organizations", other.admin)).json()["data"] == []


async def test_a_provider_user_sees_only_their_providers_clients_in_every_form(
    provider_service: ProviderHarness,
) -> None:
    """Two providers with clients of the same names: the unpaged list, a page, a search and a page after a key
    taken from the other provider's list show each provider user their own clients and nothing else."""
    h = provider_service
    acme, other = await set_up_provider(h), await set_up_provider(h, "Other MSP")
    mine = [link_row(acme, f"Shared name {n}") for n in range(3)]
    theirs = [link_row(other, f"Shared name {n}") for n in range(4)]
    await insert_links(h, mine + theirs)
    own_ids = {str(link["id"]) for link in mine}
    base = f"{acme.base()}/organizations"
    their_page = (await h.call("GET", f"{other.base()}/organizations", other.admin, params={"pageSize": 1})).json()
    for params in (
        {},
        {"pageSize": 2},
        {"search": "shared"},
        {"search": "shared", "pageSize": 50},
        {"pageSize": 50, "continuationToken": their_page["continuationToken"]},
    ):
        listed = await h.call("GET", base, acme.admin, params=params)
        assert listed.status_code == 200, (params, listed.text)
        ids = {item["id"] for item in listed.json()["data"]}
        assert ids, params
        assert ids <= own_ids, params
        assert {item["providerId"] for item in listed.json()["data"]} == {acme.id}
    # Their own provider's path answers them; ours answers them 404 whatever the form.
    for params in ({}, {"pageSize": 2}, {"search": "shared"}):
        assert (await h.call("GET", base, other.admin, params=params)).status_code == 404


async def test_a_page_and_a_search_use_the_indexes(provider_service: ProviderHarness) -> None:
    """EXPLAIN: a page walks the (provider_id, name, id) index from its key and stops; a search reads the trigram
    index; the unpaged list reads the same index in order. None reads the members (each link keeps its counts).
    10,000 clients, each with a member, and fresh statistics, so the planner chooses as it would for a large
    provider."""
    h = provider_service
    acme = await set_up_provider(h)
    links = [link_row(acme, f"Client {n:05d}") for n in range(10_000)]
    await insert_links(h, links, [member(link["organization_id"], 0) for link in links])
    provider_id = uuid.UUID(acme.id)
    async with h.runtime.session_factory() as session:
        await session.execute(text("ANALYZE provider_organizations"))
        await session.execute(text("ANALYZE org_members"))
        from mspvault.provider.adapters import queries

        captured: list[str] = []

        async def plan(asked: queries.ClientQuery) -> str:
            """The plan of the listing's statement (a page's with its count and the caller's membership)."""
            captured.clear()
            # The fake answers the listing's statements and stands in for the session.
            explaining = cast(AsyncSession, _Explaining(session, captured))
            await queries.list_clients(explaining, provider_id, acme.admin.id, asked)
            return captured[0]

        page = await plan(queries.ClientQuery(after=queries.ClientCursor("Client 05000", uuid.uuid4()), size=50))
        # The caller's membership rides along, read through the (user_id, provider_id) key.
        assert "Index Scan using uq_provider_users_user_id_provider_id on provider_users" in page, page
        page = without_init_plans(page)  # the count of matches may well read every row: it must
        assert "ix_provider_organizations_provider_id_name_id" in page, page
        assert "Seq Scan on provider_organizations" not in page, page
        assert "Sort" not in page, page  # the index gives the order: no reading all 10,000 to sort them
        searched = without_init_plans(await plan(queries.ClientQuery(search="ient 0499", size=50)))
        assert "ix_provider_organizations_name_trgm" in searched, searched
        assert "Seq Scan on provider_organizations" not in searched, searched
        # Every client, in one value, in the index's order (nothing sorted); no listing reads the members: each
        # link keeps its counts.
        every = await plan(queries.ClientQuery())
        assert "Index Scan using ix_provider_organizations_provider_id_name_id" in every, every
        assert "Seq Scan on provider_organizations" not in every, every
        assert "Sort" not in every, every
        for listed in (page, searched, every):
            assert "org_members" not in listed, listed

        # Every link rewritten twice (as a migration's or a member event's update does), so the table carries dead
        # versions: the list still walks the index instead of sorting 10,000 rows (random_page_cost, 0010).
        for _ in range(2):
            await session.execute(
                update(provider_organizations)
                .where(provider_organizations.c.provider_id == provider_id)
                .values(seats=provider_organizations.c.seats + 1)
            )
            await session.commit()
        await session.execute(text("ANALYZE provider_organizations"))
        rewritten = await plan(queries.ClientQuery())
        assert "Index Scan using ix_provider_organizations_provider_id_name_id" in rewritten, rewritten
        assert "Sort" not in rewritten, rewritten


async def test_each_client_counts_its_members_once_per_event_in_the_events_order(
    provider_service: ProviderHarness,
) -> None:
    """The link keeps its organization's member counts, moved by the member events (the list reads no members):
    a link added after its members counts them; a redelivered event (the same id) counts nothing twice; an older
    event replayed after newer ones changes nothing; each form of the list shows the counts the members give."""
    h = provider_service
    acme = await set_up_provider(h)
    organization_id = uuid.uuid4()
    topic = events_topic("organization")
    consumer = h.runtime.consumer

    async def deliver(envelope: Envelope) -> str:
        return await consumer.apply(topic, envelope, consumer.router.handlers[topic][envelope.type])

    def recorded(event: Any) -> Envelope:
        return Envelope.wrap(event, producer="organization", correlation_id=None)

    def facts(name: str) -> dict[str, Any]:
        return {"organization_id": organization_id, "member_id": uuid.uuid4(), "user_id": uuid.uuid4(), "email": name}

    ann, ben, cat = facts("ann@contoso.test"), facts("ben@contoso.test"), facts("cat@contoso.test")

    async def counts() -> tuple[int, int, int]:
        """userCount, occupiedSeats, remainingSeats, the same in the unpaged list, a page and a search."""
        shown = set()
        for params in ({}, {"pageSize": 5}, {"search": "contoso", "pageSize": 5}):
            listed = await h.call("GET", f"{acme.base()}/organizations", acme.admin, params=params)
            (client,) = listed.json()["data"]
            shown.add((client["userCount"], client["occupiedSeats"], client["remainingSeats"]))
        (only,) = shown
        return only

    await deliver(recorded(events.MemberConfirmedV1(**ann, type=0, status=2)))
    await deliver(recorded(events.MemberInvitedV1(**ben, type=2, status=0)))
    await insert_links(h, [link_row(acme, "Contoso", organization_id=organization_id, seats=5)])
    assert await counts() == (1, 2, 3)  # counted when the link was added

    cat_invited_long_ago = recorded(events.MemberInvitedV1(**cat, type=2, status=0))
    await deliver(recorded(events.MemberAcceptedV1(**ben, type=2, status=1)))
    ben_confirmed = recorded(events.MemberConfirmedV1(**ben, type=2, status=2))
    await deliver(ben_confirmed)
    await deliver(recorded(events.MemberInvitedV1(**cat, type=2, status=0)))
    assert await counts() == (2, 3, 2)
    assert await deliver(ben_confirmed) == "duplicate"  # redelivered
    assert await counts() == (2, 3, 2)

    await deliver(recorded(events.MemberRevokedV1(**cat, type=2, status=-1)))
    await deliver(recorded(events.MemberRemovedV1(**ann, type=0, status=2)))
    assert await counts() == (1, 1, 4)
    assert await deliver(cat_invited_long_ago) == "applied"  # older than the revocation: ignored
    assert await counts() == (1, 1, 4)
    await deliver(recorded(events.MemberRestoredV1(**cat, type=2, status=0)))
    assert await counts() == (1, 2, 3)


def without_init_plans(plan: str) -> str:
    """The plan without its InitPlans (the scalar subqueries run once: the caller's membership, the count)."""
    kept: list[str] = []
    inside: int | None = None  # the indentation of the InitPlan being left out
    for line in plan.splitlines():
        indent = len(line) - len(line.lstrip())
        if inside is not None and indent > inside:
            continue
        inside = indent if line.strip().startswith("InitPlan") else None
        if inside is None:
            kept.append(line)
    return "\n".join(kept)


class _Explaining:
    """A session that answers the listing's statements with their EXPLAIN (plans recorded), so the test reads the
    plans of exactly the statements the route runs."""

    def __init__(self, session: AsyncSession, plans: list[str]) -> None:
        self._session = session
        self._plans = plans

    async def execute(self, statement: Any) -> Any:
        await self._explain(statement)
        return await self._session.execute(statement)

    async def _explain(self, statement: Any) -> None:
        dialect = self._session.get_bind().dialect
        compiled = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        # As the driver's SQL: a `text()` would read the JSON's `":2}` as a bind parameter.
        connection = await self._session.connection()
        rows = (await connection.exec_driver_sql(f"EXPLAIN {compiled}")).scalars().all()
        self._plans.append("\n".join(rows))


async def test_a_revoked_provider_user_loses_the_pages_and_the_clients_at_the_next_request(
    provider_service: ProviderHarness,
) -> None:
    """Nothing here is cached: the membership is read with each page, and the sync part with each sync."""
    h = provider_service
    acme = await set_up_provider(h)
    bob, bob_pu = await add_member(h, acme, "bob", SERVICE)
    await insert_links(h, [link_row(acme, f"Client {n}") for n in range(3)])
    base = f"{acme.base()}/organizations"
    first = await h.call("GET", base, bob, params={"pageSize": 2})
    assert first.status_code == 200
    assert len((await synced(h, bob))["providerOrganizations"]) == 3

    assert (await h.call("POST", f"{acme.base()}/users/{bob_pu}/revoke", acme.admin)).status_code == 200
    token = first.json()["continuationToken"]
    for params in ({"pageSize": 2}, {"pageSize": 2, "continuationToken": token}, {"search": "client"}):
        assert (await h.call("GET", base, bob, params=params)).status_code == 404
    assert (await synced(h, bob)) == {"providers": [], "providerOrganizations": []}
