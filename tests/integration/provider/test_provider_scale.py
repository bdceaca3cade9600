"""A provider with 10,000 clients: the client list and a provider user's sync stay flat (a fixed number of
statements, whatever the count) and fast."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import insert

from mspvault.provider.adapters.orm import org_members, provider_organizations
from tests.integration.provider.provider_flows import SERVICE, add_member, link_row, set_up_provider

pytestmark = pytest.mark.integration

CLIENTS = 10_000


async def test_ten_thousand_clients_list_and_sync_in_a_fixed_number_of_queries(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    links = [link_row(acme.id, f"Client {i:05d}") for i in range(CLIENTS)]
    members = [
        {
            "member_id": uuid.uuid4(),
            "organization_id": link["organization_id"],
            "user_id": uuid.uuid4(),
            "type": 0,
            "status": 2,
        }
        for link in links
    ]
    async with h.runtime.session_factory() as session:
        await session.execute(insert(provider_organizations), links)
        await session.execute(insert(org_members), members)
        await session.commit()

    with h.counting_statements() as statements:
        started = time.perf_counter()
        listed = await h.call("GET", f"{acme.base()}/organizations", bob)
        list_seconds = time.perf_counter() - started
    assert listed.status_code == 200
    rows = listed.json()["data"]
    assert len(rows) == CLIENTS
    assert rows[0]["organizationName"] == "Client 00000"
    assert rows[0]["userCount"] == 1
    assert len(statements) == 1, statements  # the list with its counts and the caller's membership

    with h.counting_statements() as statements:
        started = time.perf_counter()
        synced = await h.call("GET", "/internal/sync", bob)
        sync_seconds = time.perf_counter() - started
    assert synced.status_code == 200
    assert len(synced.json()["clients"]) == CLIENTS
    assert len(statements) == 2, statements  # my providers, then all their clients in one query

    # The statement counts above are the regression guard; times are printed only (bench/ measures p50/p95).
    print(f"\n{CLIENTS} clients: list {list_seconds * 1000:.0f} ms, sync {sync_seconds * 1000:.0f} ms")
