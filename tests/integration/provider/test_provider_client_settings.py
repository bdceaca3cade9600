"""`providerAccessToItems` on `PUT /api/providers/{id}/clients/{linkId}`: any confirmed provider user turns it off or
on; the change is published (through the outbox, to the broker) only when the value changes; nobody else may."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from mspvault.shared.contracts.topics import events_topic
from mspvault.shared.testing.wait import wait_until
from tests.integration.provider.provider_flows import SERVICE, add_member, create_client, set_up_provider, synced
from tests.integration.provider.provider_harness import ProviderHarness, User

pytestmark = pytest.mark.integration


async def put_access(h: ProviderHarness, user: User, path: str, allowed: Any) -> Any:
    return await h.call("PUT", path, user, json={"assignedSeats": 10, "providerAccessToItems": allowed})


async def settings_events(h: ProviderHarness, provider_id: str) -> list[dict[str, Any]]:
    return [e for e in await h.outbox(provider_id) if e["type"] == "ClientSettingsChanged"]


async def revision(h: ProviderHarness, user: User) -> int:
    value: int = (await h.call("GET", "/internal/revision-date", user)).json()["revisionDate"]
    return value


async def test_a_service_user_turns_item_access_off_and_an_admin_turns_it_on(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    link = await create_client(h, acme, bob)
    path = f"{acme.base()}/clients/{link['id']}"
    assert json.loads(link["settings"]) == {"providerAccessToItems": True}
    before = {user.id: await revision(h, user) for user in (acme.admin, bob)}

    off = await put_access(h, bob, path, False)
    assert off.status_code == 200, off.text
    assert json.loads(off.json()["settings"]) == {"providerAccessToItems": False}
    (event,) = await settings_events(h, acme.id)
    assert event["data"] == {
        "provider_id": acme.id,
        "organization_id": link["organizationId"],
        "provider_access_to_items": False,
    }
    assert event["key"] == acme.id
    assert event["actor"]["user_id"] == str(bob.id)
    for user in (acme.admin, bob):
        assert await revision(h, user) > before[user.id]
        (client,) = (await synced(h, user))["providerOrganizations"]
        assert client["allowAdminAccessToAllCollectionItems"] is False
    (row,) = (await h.call("GET", f"{acme.base()}/organizations", bob)).json()["data"]
    assert json.loads(row["settings"]) == {"providerAccessToItems": False}

    # The same value again, or none at all: nothing to tell the other services.
    assert (await put_access(h, acme.admin, path, False)).status_code == 200
    assert (await h.call("PUT", path, bob, json={"assignedSeats": 10})).status_code == 200
    assert len(await settings_events(h, acme.id)) == 1

    on = await put_access(h, acme.admin, path, True)
    assert on.status_code == 200, on.text
    assert [e["data"]["provider_access_to_items"] for e in await settings_events(h, acme.id)] == [False, True]
    (client,) = (await synced(h, bob))["providerOrganizations"]
    assert client["allowAdminAccessToAllCollectionItems"] is True


async def test_a_value_that_is_not_a_boolean_is_refused_naming_the_field(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    link = await create_client(h, acme, acme.admin)
    path = f"{acme.base()}/clients/{link['id']}"
    for bad in ("no", 0, {"x": 1}):
        response = await put_access(h, acme.admin, path, bad)
        assert response.status_code == 400, (bad, response.text)
        assert "providerAccessToItems" in response.json()["validationErrors"]
    assert await settings_events(h, acme.id) == []


async def test_outsiders_other_providers_and_revoked_users_get_404_and_change_nothing(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    rex, rex_pu = await add_member(h, acme, "rex", SERVICE)
    assert (await h.call("POST", f"{acme.base()}/users/{rex_pu}/revoke", acme.admin)).status_code == 200
    link = await create_client(h, acme, acme.admin)
    other = await set_up_provider(h, "Other MSP")
    other_link = await create_client(h, other, other.admin)
    eve = await h.new_user("eve")
    events_before = await h.event_types(acme.id)

    attempts = [
        (eve, f"{acme.base()}/clients/{link['id']}"),
        (other.admin, f"{acme.base()}/clients/{link['id']}"),
        (other.admin, f"{other.base()}/clients/{link['id']}"),  # Acme's client through his own provider
        (rex, f"{acme.base()}/clients/{link['id']}"),
        (acme.admin, f"{acme.base()}/clients/{other_link['id']}"),  # and the other way round
        (acme.admin, f"{acme.base()}/clients/{uuid.uuid4()}"),
    ]
    for user, path in attempts:
        response = await put_access(h, user, path, False)
        assert response.status_code == 404, (user.email, path, response.text)
        assert response.json()["object"] == "error"
    assert await h.event_types(acme.id) == events_before
    (row,) = (await h.call("GET", f"{acme.base()}/organizations", acme.admin)).json()["data"]
    assert json.loads(row["settings"]) == {"providerAccessToItems": True}


async def test_the_change_leaves_through_the_outbox_to_the_broker_keyed_by_provider(provider_service, kafka):
    h = provider_service
    acme = await set_up_provider(h)
    link = await create_client(h, acme, acme.admin)
    consumer = AIOKafkaConsumer(
        events_topic("provider"),
        bootstrap_servers=kafka.bootstrap,
        auto_offset_reset="earliest",
        group_id=f"provider-settings-test-{uuid.uuid4().hex[:8]}",
        enable_auto_commit=False,
    )
    await consumer.start()
    seen: list[dict[str, Any]] = []
    try:
        response = await put_access(h, acme.admin, f"{acme.base()}/clients/{link['id']}", False)
        assert response.status_code == 200, response.text

        async def arrived() -> bool:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                seen.extend(json.loads(r.value) for r in records if r.key == acme.id.encode())
            return any(e["type"] == "ClientSettingsChanged" for e in seen)

        await wait_until(arrived, timeout=60, message="ClientSettingsChanged on provider.events")
    finally:
        await consumer.stop()
    (event,) = [e for e in seen if e["type"] == "ClientSettingsChanged"]
    assert event["data"]["organization_id"] == link["organizationId"]
    assert event["data"]["provider_access_to_items"] is False
    # In order after the client's creation: consumers always know the link before its setting.
    types = [e["type"] for e in seen]
    assert types.index("ClientOrgCreated") < types.index("ClientSettingsChanged")
