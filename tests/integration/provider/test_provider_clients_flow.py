"""Client organizations: create, list, seats, addable/existing, detach, and what provider users see in sync."""

from __future__ import annotations

import uuid

import pytest

from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.contracts.organization import (
    MemberConfirmedV1,
    MemberRemovedV1,
    OrganizationCreatedV1,
    OrganizationUpdatedV1,
)
from mspvault.shared.contracts.topics import events_topic
from tests.integration.provider.provider_flows import (
    SERVICE,
    add_member,
    client_body,
    create_client,
    give_confirmed_owner,
    own_organization,
    set_up_provider,
    synced,
)
from tests.integration.provider.provider_harness import SYM

pytestmark = pytest.mark.integration


async def test_a_service_user_creates_a_client_that_every_provider_user_reaches(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    bob, _ = await add_member(h, acme, "bob", SERVICE)

    body = client_body("Contoso", owner_email="Carol@Contoso.test")
    created = await h.call("POST", f"{acme.base()}/clients", bob, json=body)
    assert created.status_code == 200, created.text
    link = created.json()
    assert link["providerId"] == acme.id
    assert link["key"] == SYM
    assert link["object"] == "providerOrganization"

    (event,) = [e for e in await h.outbox(acme.id) if e["type"] == "ClientOrgCreated"]
    assert event["data"]["organization_id"] == link["organizationId"]
    assert event["data"]["owner_email"] == "carol@contoso.test"
    assert event["data"]["public_key"] == body["keyPair"]["publicKey"]  # type: ignore[index]
    assert event["data"]["provider_name"] == "Acme MSP"
    assert event["data"]["seats"] == 10
    assert event["actor"] == {"user_id": str(bob.id), "provider_id": acme.id, "device_type": None, "ip": None}

    listed = await h.call("GET", f"{acme.base()}/organizations", bob)
    assert listed.status_code == 200
    (row,) = listed.json()["data"]
    assert row["object"] == "providerOrganizationOrganizationDetails"
    assert (row["id"], row["organizationId"], row["organizationName"]) == (
        link["id"],
        link["organizationId"],
        "Contoso",
    )
    assert (row["seats"], row["occupiedSeats"], row["remainingSeats"], row["plan"]) == (
        10,
        0,
        10,
        "Enterprise (Monthly)",
    )

    for user in (acme.admin, bob):
        sync = await synced(h, user)
        (org,) = sync["providerOrganizations"]
        assert org["object"] == "profileProviderOrganization"
        assert (org["id"], org["key"], org["providerId"], org["type"], org["status"]) == (
            link["organizationId"],
            SYM,
            acme.id,
            0,
            2,
        )
        assert org["providerName"] == "Acme MSP"
        assert org["name"] == "Contoso"


async def test_seats_and_name_change_and_the_organization_name_follows_its_events(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    link = await create_client(h, acme, acme.admin)
    changed = await h.call(
        "PUT", f"{acme.base()}/clients/{link['id']}", acme.admin, json={"assignedSeats": 25, "name": "Contoso Ltd"}
    )
    assert changed.status_code == 200, changed.text
    (event,) = [e for e in await h.outbox(acme.id) if e["type"] == "ClientSeatsChanged"]
    assert (event["data"]["seats"], event["data"]["name"]) == (25, "Contoso Ltd")
    (row,) = (await h.call("GET", f"{acme.base()}/organizations", acme.admin)).json()["data"]
    assert (row["seats"], row["organizationName"]) == (25, "Contoso Ltd")

    negative = await h.call("PUT", f"{acme.base()}/clients/{link['id']}", acme.admin, json={"assignedSeats": -1})
    assert negative.status_code == 400
    assert "assignedSeats" in negative.json()["validationErrors"]

    await h.apply(
        events_topic("organization"),
        OrganizationUpdatedV1(
            organization_id=uuid.UUID(link["organizationId"]), name="Contoso Group", enabled=True, provider_id=None
        ),
    )
    sync = await synced(h, acme.admin)
    assert sync["providerOrganizations"][0]["name"] == "Contoso Group"


async def test_plan_and_key_rules_on_create(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    free = await h.call("POST", f"{acme.base()}/clients", acme.admin, json=client_body(plan_type=0))
    assert free.status_code == 400
    assert free.json()["validationErrors"] == {"planType": ["Plan type not allowed for this provider."]}
    bad_key = {**client_body(), "key": "4.cnNh"}
    response = await h.call("POST", f"{acme.base()}/clients", acme.admin, json=bad_key)
    assert response.status_code == 400
    assert "key" in response.json()["validationErrors"]
    no_seats = {**client_body(), "seats": 0}
    response = await h.call("POST", f"{acme.base()}/clients", acme.admin, json=no_seats)
    assert response.status_code == 400
    assert "seats" in response.json()["validationErrors"]
    assert "ClientOrgCreated" not in await h.event_types(acme.id)


async def test_detach_needs_a_confirmed_owner_then_removes_the_client_everywhere(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    link = await create_client(h, acme, bob)
    refused = await h.call("DELETE", f"{acme.base()}/organizations/{link['id']}", bob)
    assert refused.status_code == 400
    assert "confirmed owner" in refused.json()["message"]

    await give_confirmed_owner(h, link["organizationId"])
    (row,) = (await h.call("GET", f"{acme.base()}/organizations", bob)).json()["data"]
    assert (row["userCount"], row["occupiedSeats"]) == (1, 1)

    detached = await h.call("DELETE", f"{acme.base()}/organizations/{link['id']}", bob)
    assert detached.status_code == 200, detached.text
    assert (await h.call("GET", f"{acme.base()}/organizations", bob)).json()["data"] == []
    assert (await synced(h, acme.admin))["providerOrganizations"] == []
    assert (await h.event_types(acme.id))[-1] == "ClientOrgRemoved"
    again = await h.call("DELETE", f"{acme.base()}/organizations/{link['id']}", bob)
    assert again.status_code == 404


async def test_an_owner_adds_an_existing_organization(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    fabrikam = await own_organization(h, bob, "Fabrikam")
    not_bobs = await own_organization(h, await h.new_user("stranger"), "Elsewhere")

    addable = await h.call("GET", f"{acme.base()}/clients/addable", bob)
    assert addable.status_code == 200
    assert [(o["id"], o["name"]) for o in addable.json()["data"]] == [(str(fabrikam), "Fabrikam")]

    foreign = await h.call(
        "POST", f"{acme.base()}/clients/existing", bob, json={"organizationId": str(not_bobs), "key": SYM}
    )
    assert foreign.status_code == 404  # he does not own it, so for him it does not exist

    added = await h.call(
        "POST", f"{acme.base()}/clients/existing", bob, json={"organizationId": str(fabrikam), "key": SYM}
    )
    assert added.status_code == 200, added.text
    assert added.json()["organizationId"] == str(fabrikam)
    assert (await h.event_types(acme.id))[-1] == "ClientOrgAdded"
    assert (await h.call("GET", f"{acme.base()}/clients/addable", bob)).json()["data"] == []
    twice = await h.call(
        "POST", f"{acme.base()}/clients/existing", bob, json={"organizationId": str(fabrikam), "key": SYM}
    )
    assert twice.status_code == 409

    # Another provider cannot take it either.
    other = await set_up_provider(h, "Other MSP")
    await give_confirmed_owner(h, str(fabrikam), other.admin)
    taken = await h.call(
        "POST", f"{other.base()}/clients/existing", other.admin, json={"organizationId": str(fabrikam), "key": SYM}
    )
    assert taken.status_code == 409


async def test_a_new_client_bumps_every_confirmed_provider_user(provider_service):
    h = provider_service
    acme = await set_up_provider(h)
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    before = {
        u.id: (await h.call("GET", "/internal/revision-date", u)).json()["revisionDate"] for u in (acme.admin, bob)
    }
    await create_client(h, acme, bob)
    for user in (acme.admin, bob):
        after = (await h.call("GET", "/internal/revision-date", user)).json()["revisionDate"]
        assert after > before[user.id]


async def test_an_old_owner_confirmation_replayed_after_the_removal_does_not_make_an_owner_again(provider_service):
    """Issue 11 #5: the provider's copy of organization members took any event as the newest, so a Confirmed
    replayed from the DLQ after the owner's removal let them add the organization to their provider again."""
    h = provider_service
    acme = await set_up_provider(h)
    bob, _ = await add_member(h, acme, "bob", SERVICE)
    organization_id = uuid.uuid4()
    topic = events_topic("organization")
    await h.apply(topic, OrganizationCreatedV1(organization_id=organization_id, name="Fabrikam", plan_type=20, seats=5))
    facts = {"organization_id": organization_id, "member_id": uuid.uuid4(), "user_id": bob.id, "email": bob.email}
    # A Confirmed recorded now that sits in the DLQ (or is late) while the organization goes on.
    old_confirm = Envelope.wrap(
        MemberConfirmedV1(**facts, type=0, status=2), producer="organization", correlation_id=None
    )
    await h.apply(topic, MemberConfirmedV1(**facts, type=0, status=2))
    assert [o["id"] for o in (await h.call("GET", f"{acme.base()}/clients/addable", bob)).json()["data"]] == [
        str(organization_id)
    ]
    await h.apply(topic, MemberRemovedV1(**facts, type=0, status=2))
    handlers = h.runtime.consumer.router.handlers[topic]
    assert await h.runtime.consumer.apply(topic, old_confirm, handlers[old_confirm.type]) == "applied"
    assert (await h.call("GET", f"{acme.base()}/clients/addable", bob)).json()["data"] == []
    refused = await h.call(
        "POST", f"{acme.base()}/clients/existing", bob, json={"organizationId": str(organization_id), "key": SYM}
    )
    assert refused.status_code == 404
