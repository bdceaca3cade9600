"""Client links: plan rules per provider type, key shapes, seats, detaching, and the events each records."""

from __future__ import annotations

import uuid

import pytest

from mspvault.provider.domain.client import ClientLink, KnownOrganization
from mspvault.provider.domain.enums import PlanType, ProviderType, plan_allowed
from mspvault.provider.domain.errors import (
    ClientHasNoConfirmedOwner,
    InvalidEncString,
    OrganizationAlreadyLinked,
    PlanNotAllowed,
)
from mspvault.provider.domain.provider import Provider
from mspvault.shared.contracts.provider import (
    ClientOrgAddedV1,
    ClientOrgCreatedV1,
    ClientOrgRemovedV1,
    ClientSeatsChangedV1,
    ClientSettingsChangedV1,
)
from tests.unit.provider.provider_builders import NOW, RSA, SYM, set_up_roster


def new_client(provider: Provider, **changes) -> ClientLink:
    values = {
        "name": "Contoso",
        "owner_email": "Carol@Contoso.test",
        "plan_type": int(PlanType.ENTERPRISE_MONTHLY),
        "seats": 10,
        "key": SYM,
        "public_key": "MIIBIjANBg==",
        "encrypted_private_key": SYM,
        "collection_name": SYM,
    }
    return ClientLink.create(provider, now=NOW, **{**values, **changes})


def test_creating_a_client_records_what_the_organization_service_needs():
    roster, _ = set_up_roster()
    link = new_client(roster.provider)
    (event,) = link.events
    assert isinstance(event, ClientOrgCreatedV1)
    assert event.organization_id == link.organization_id
    assert event.provider_id == roster.provider.id
    assert (event.owner_email, event.seats, event.provider_name) == ("carol@contoso.test", 10, "Acme MSP")
    assert event.billing_email == "carol@contoso.test"  # the provider has no billing email yet
    assert link.key == SYM
    assert link.settings.provider_access_to_items
    assert event.provider_access_to_items  # consumers learn the setting with the link


@pytest.mark.parametrize(
    ("provider_type", "plan", "allowed"),
    [
        (ProviderType.MSP, PlanType.TEAMS_MONTHLY, True),
        (ProviderType.MSP, PlanType.ENTERPRISE_MONTHLY, True),
        (ProviderType.MSP, PlanType.ENTERPRISE_ANNUALLY, False),
        (ProviderType.MSP, PlanType.FREE, False),
        (ProviderType.BUSINESS_UNIT, PlanType.ENTERPRISE_ANNUALLY, True),
        (ProviderType.BUSINESS_UNIT, PlanType.TEAMS_MONTHLY, False),
        (ProviderType.RESELLER, PlanType.TEAMS_ANNUALLY, True),
        (ProviderType.RESELLER, PlanType.FAMILIES_ANNUALLY, False),
    ],
)
def test_plans_allowed_per_provider_type(provider_type, plan, allowed):
    assert plan_allowed(provider_type, int(plan)) is allowed


def test_a_plan_the_provider_may_not_sell_is_refused():
    roster, _ = set_up_roster()
    with pytest.raises(PlanNotAllowed):
        new_client(roster.provider, plan_type=int(PlanType.FREE))


@pytest.mark.parametrize("field", ["key", "encrypted_private_key", "collection_name"])
def test_client_keys_must_be_symmetric_encstrings(field):
    roster, _ = set_up_roster()
    with pytest.raises(InvalidEncString):
        new_client(roster.provider, **{field: RSA})


def test_adding_an_existing_organization_links_it_once():
    roster, _ = set_up_roster()
    org = KnownOrganization(id=uuid.uuid4(), name="Fabrikam", plan_type=20, seats=5, provider_id=None)
    link = ClientLink.add_existing(roster.provider, org, SYM, NOW)
    assert (link.organization_id, link.organization_name, link.seats) == (org.id, "Fabrikam", 5)
    assert isinstance(link.events[0], ClientOrgAddedV1)
    assert link.events[0].provider_access_to_items
    linked = KnownOrganization(id=org.id, name="Fabrikam", plan_type=20, seats=5, provider_id=uuid.uuid4())
    with pytest.raises(OrganizationAlreadyLinked):
        ClientLink.add_existing(roster.provider, linked, SYM, NOW)


def test_changing_seats_and_name_records_the_change():
    roster, _ = set_up_roster()
    link = new_client(roster.provider)
    link.events.clear()
    link.change(seats=25, name="Contoso Ltd", now=NOW)
    assert (link.seats, link.organization_name) == (25, "Contoso Ltd")
    (event,) = link.events
    assert isinstance(event, ClientSeatsChangedV1)
    assert (event.seats, event.name) == (25, "Contoso Ltd")
    assert link.settings.provider_access_to_items  # untouched when the request leaves it out


def test_provider_access_to_items_is_recorded_only_when_it_changes():
    roster, _ = set_up_roster()
    link = new_client(roster.provider)
    link.events.clear()

    link.change(seats=10, name=None, now=NOW, provider_access_to_items=True)  # already on
    assert [type(e) for e in link.events] == [ClientSeatsChangedV1]

    link.events.clear()
    link.change(seats=10, name=None, now=NOW, provider_access_to_items=False)
    seats, settings = link.events
    assert isinstance(seats, ClientSeatsChangedV1)
    assert isinstance(settings, ClientSettingsChangedV1)
    assert (settings.provider_id, settings.organization_id) == (link.provider_id, link.organization_id)
    assert settings.provider_access_to_items is False
    assert settings.aggregate_id == str(link.provider_id)  # ordered with the provider's other events
    assert link.settings.to_json() == {"providerAccessToItems": False}

    link.events.clear()
    link.set_provider_access_to_items(False, NOW)
    assert link.events == []
    link.set_provider_access_to_items(True, NOW)
    (again,) = link.events
    assert isinstance(again, ClientSettingsChangedV1)
    assert again.provider_access_to_items is True
    assert link.settings.provider_access_to_items


def test_detaching_needs_a_confirmed_owner_left_in_the_client():
    roster, _ = set_up_roster()
    link = new_client(roster.provider)
    link.events.clear()
    with pytest.raises(ClientHasNoConfirmedOwner):
        link.detach(org_has_confirmed_owner=False)
    link.detach(org_has_confirmed_owner=True)
    assert isinstance(link.events[0], ClientOrgRemovedV1)
