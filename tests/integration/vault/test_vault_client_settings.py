"""A client's "provider access to items" setting: turned off, the provider's users lose the client's items at once
(sync and every cipher route); turned on, they have them again. The organization's own members never notice.

The last test runs the provider service beside the vault: the setting changed over HTTP leaves the provider's outbox,
crosses the real broker and changes what the vault serves.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from mspvault.shared.contracts import organization as org
from mspvault.shared.contracts import provider as prv
from mspvault.shared.infra.kafka import KafkaBroker
from mspvault.shared.testing.wait import wait_until
from tests.integration.provider.provider_flows import SERVICE, add_member, create_client, set_up_provider
from tests.integration.provider.provider_harness import running_provider_service
from tests.integration.vault.vault_harness import USER, User, VaultService, login_cipher

pytestmark = pytest.mark.integration


async def acme_with_contoso(vault: VaultService) -> tuple[uuid.UUID, User, uuid.UUID, User, uuid.UUID]:
    """Bob is a service user of Acme MSP; Contoso is Acme's client, Carol a member who reads "Servers"."""
    acme = uuid.uuid4()
    bob, carol = await vault.user("bob"), await vault.user("carol")
    await vault.provider_user(acme, bob)
    organization_id = await vault.client_org(acme)
    await vault.member(organization_id, carol, USER)
    servers = await vault.collection(organization_id, {carol: {"read_only": True}})
    return acme, bob, organization_id, carol, servers


def settings_changed(acme: uuid.UUID, organization_id: uuid.UUID, allowed: bool) -> prv.ClientSettingsChangedV1:
    return prv.ClientSettingsChangedV1(
        provider_id=acme, organization_id=organization_id, provider_access_to_items=allowed
    )


async def status(vault: VaultService, user: User, method: str, path: str, body: Any = None) -> int:
    return (await vault.http.request(method, path, json=body, headers=user.headers)).status_code


async def test_turning_access_off_hides_the_clients_items_from_provider_users_only(vault: VaultService) -> None:
    acme, bob, organization_id, carol, servers = await acme_with_contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    bob_personal = await vault.create(bob)
    bob_before, carol_before = await vault.revision(bob), await vault.revision(carol)

    await vault.apply(settings_changed(acme, organization_id, False))

    assert await vault.visible_ids(bob) == {bob_personal["id"]}
    assert item["id"] in await vault.visible_ids(carol)
    assert await vault.revision(bob) > bob_before  # his client refreshes at once
    assert await vault.revision(carol) == carol_before  # nothing changed for her
    edit = login_cipher(organizationId=str(organization_id), lastKnownRevisionDate=item["revisionDate"])
    for method, path, body in [
        ("GET", f"/api/ciphers/{item['id']}", None),
        ("GET", f"/api/ciphers/{item['id']}/details", None),
        ("PUT", f"/api/ciphers/{item['id']}", edit),
        ("PUT", f"/api/ciphers/{item['id']}/delete", None),
        ("DELETE", f"/api/ciphers/{item['id']}", None),
    ]:
        assert await status(vault, bob, method, path, body) == 404, (method, path)
    create = {"cipher": login_cipher(organizationId=str(organization_id)), "collectionIds": [str(servers)]}
    assert await status(vault, bob, "POST", "/api/ciphers/create", create) == 404
    assert await status(vault, carol, "GET", f"/api/ciphers/{item['id']}") == 200

    await vault.apply(settings_changed(acme, organization_id, True))
    assert item["id"] in await vault.visible_ids(bob)
    assert await status(vault, bob, "GET", f"/api/ciphers/{item['id']}") == 200
    assert await status(vault, bob, "PUT", f"/api/ciphers/{item['id']}", edit) == 200


async def test_a_repeated_setting_changes_nothing_and_bumps_nobody(vault: VaultService) -> None:
    acme, bob, organization_id, _, servers = await acme_with_contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    before = await vault.revision(bob)
    await vault.apply(settings_changed(acme, organization_id, True))  # already on
    assert await vault.revision(bob) == before
    assert item["id"] in await vault.visible_ids(bob)


async def test_another_provider_cannot_change_the_setting_of_a_link_it_does_not_hold(vault: VaultService) -> None:
    _, bob, organization_id, _, servers = await acme_with_contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    await vault.apply(settings_changed(uuid.uuid4(), organization_id, False))
    assert item["id"] in await vault.visible_ids(bob)


async def test_the_setting_arrives_with_the_link_and_survives_organization_events(vault: VaultService) -> None:
    acme = uuid.uuid4()
    bob, owner = await vault.user("bob"), await vault.user("owner")
    await vault.provider_user(acme, bob)
    organization_id = await vault.organization(acme)
    await vault.member(organization_id, owner, 0)
    item = await vault.create_in(owner, organization_id, [])
    await vault.apply(
        prv.ClientOrgAddedV1(
            provider_id=acme, organization_id=organization_id, provider_name="Acme", provider_access_to_items=False
        )
    )
    assert item["id"] not in await vault.visible_ids(bob)
    # The organization topic re-announcing the link does not turn the provider's setting back on.
    await vault.apply(
        org.OrganizationUpdatedV1(organization_id=organization_id, name="Contoso", enabled=True, provider_id=acme)
    )
    assert item["id"] not in await vault.visible_ids(bob)
    assert item["id"] in await vault.visible_ids(owner)


async def test_setting_changed_over_http_reaches_the_vault_through_the_outbox_and_broker(
    vault: VaultService, kafka: KafkaBroker, new_database: Any
) -> None:
    url = await new_database("provider_for_vault")
    async with running_provider_service(url, kafka) as provider:
        acme = await set_up_provider(provider)
        bob_account, _ = await add_member(provider, acme, "bob", SERVICE)
        link = await create_client(provider, acme, bob_account)
        organization_id = uuid.UUID(link["organizationId"])
        base = f"{acme.base()}/clients/{link['id']}"

        # The vault learns Bob's provider membership and the client link from the provider's own events.
        bob, carol = await vault.user("bob", bob_account.id), await vault.user("carol")
        await vault.member(organization_id, carol, USER)
        servers = await vault.collection(organization_id, {carol: {}})
        body = {"cipher": login_cipher(organizationId=str(organization_id)), "collectionIds": [str(servers)]}

        async def bob_creates_an_item() -> dict[str, Any] | None:
            response = await vault.http.post("/api/ciphers/create", json=body, headers=bob.headers)
            return response.json() if response.status_code == 200 else None

        item = await wait_until(bob_creates_an_item, timeout=60, message="the vault learned Acme's client link")

        async def bob_sees_it(expected: bool) -> bool:
            return (item["id"] in await vault.visible_ids(bob)) is expected

        off = await provider.call("PUT", base, bob_account, json={"assignedSeats": 10, "providerAccessToItems": False})
        assert off.status_code == 200, off.text
        await wait_until(lambda: bob_sees_it(False), timeout=60, message="ClientSettingsChanged (off) in the vault")
        assert item["id"] in await vault.visible_ids(carol)

        on = await provider.call("PUT", base, acme.admin, json={"assignedSeats": 10, "providerAccessToItems": True})
        assert on.status_code == 200, on.text
        await wait_until(lambda: bob_sees_it(True), timeout=60, message="ClientSettingsChanged (on) in the vault")
