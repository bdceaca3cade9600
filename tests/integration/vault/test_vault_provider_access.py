"""Provider users see every item of their provider's client organizations, and lose them the moment they are
revoked or the client is detached; users of another provider get 404 on every id."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mspvault.shared.contracts import organization as org
from mspvault.shared.contracts import provider as prv
from mspvault.shared.contracts.envelope import Envelope
from mspvault.shared.testing.samples import client_org_created, enc_string
from mspvault.shared.testing.statements import built_anew, executed
from tests.integration.vault.vault_harness import ADMIN, USER, User, VaultService, login_cipher

pytestmark = pytest.mark.integration


async def acme_with_contoso(vault: VaultService):
    """Bob is a service user of Acme MSP; Contoso is Acme's client, Carol a member with one collection."""
    acme = uuid.uuid4()
    bob, carol = await vault.user("bob"), await vault.user("carol")
    bob_provider_user = await vault.provider_user(acme, bob)
    organization_id = await vault.client_org(acme)
    await vault.member(organization_id, carol, USER)
    servers = await vault.collection(organization_id, {carol: {"read_only": True}})
    return acme, bob, bob_provider_user, organization_id, carol, servers


async def test_provider_user_manages_client_items_without_being_a_member(vault: VaultService) -> None:
    _, bob, _, organization_id, carol, servers = await acme_with_contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])  # Bob writes any collection of a client
    assert item["edit"] is True
    assert item["collectionIds"] == [str(servers)]
    assert item["id"] in await vault.visible_ids(carol)
    hidden_collection = await vault.collection(organization_id, {})
    other = await vault.create_in(bob, organization_id, [hidden_collection])
    assert {item["id"], other["id"]} <= await vault.visible_ids(bob)
    edit = login_cipher(organizationId=str(organization_id), lastKnownRevisionDate=other["revisionDate"])
    assert (await vault.http.put(f"/api/ciphers/{other['id']}", json=edit, headers=bob.headers)).status_code == 200


async def test_revoked_provider_user_loses_client_items_at_once(vault: VaultService) -> None:
    acme, bob, bob_provider_user, organization_id, _, servers = await acme_with_contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    personal = await vault.create(bob)
    before = await vault.revision(bob)

    await vault.apply(
        prv.ProviderUserRevokedV1(
            provider_id=acme, provider_user_id=bob_provider_user, user_id=bob.id, email=bob.email, type=1
        )
    )
    assert await vault.visible_ids(bob) == {personal["id"]}
    assert (await vault.http.get(f"/api/ciphers/{item['id']}", headers=bob.headers)).status_code == 404
    assert await vault.revision(bob) > before

    await vault.apply(
        prv.ProviderUserRestoredV1(
            provider_id=acme, provider_user_id=bob_provider_user, user_id=bob.id, email=bob.email, type=1
        )
    )
    assert item["id"] in await vault.visible_ids(bob)
    await vault.apply(
        prv.ProviderUserRemovedV1(
            provider_id=acme, provider_user_id=bob_provider_user, user_id=bob.id, email=bob.email, type=1
        )
    )
    assert await vault.visible_ids(bob) == {personal["id"]}


async def test_detached_client_disappears_from_provider_users_only(vault: VaultService) -> None:
    acme, bob, _, organization_id, carol, servers = await acme_with_contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    before = await vault.revision(bob)
    await vault.apply(prv.ClientOrgRemovedV1(provider_id=acme, organization_id=organization_id))
    assert item["id"] not in await vault.visible_ids(bob)
    assert item["id"] in await vault.visible_ids(carol)  # the organization's own members keep it
    assert await vault.revision(bob) > before


async def test_client_can_turn_provider_access_to_items_off(vault: VaultService) -> None:
    acme, bob, _, organization_id, carol, servers = await acme_with_contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    # More in test_vault_client_settings.py.
    await vault.apply(
        prv.ClientSettingsChangedV1(provider_id=acme, organization_id=organization_id, provider_access_to_items=False)
    )
    assert item["id"] not in await vault.visible_ids(bob)
    assert item["id"] in await vault.visible_ids(carol)


async def test_a_disabled_client_hides_its_items_from_provider_users_and_members_alike(vault: VaultService) -> None:
    acme, bob, _, organization_id, carol, servers = await acme_with_contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    dana = await vault.user("dana")
    await vault.member(organization_id, dana, ADMIN)

    def updated(enabled: bool) -> org.OrganizationUpdatedV1:
        return org.OrganizationUpdatedV1(
            organization_id=organization_id, name="Contoso", enabled=enabled, provider_id=acme
        )

    await vault.apply(updated(enabled=False))
    for user in (bob, carol, dana):
        assert item["id"] not in await vault.visible_ids(user)
        assert (await vault.http.get(f"/api/ciphers/{item['id']}", headers=user.headers)).status_code == 404
    await vault.apply(updated(enabled=True))
    for user in (bob, carol, dana):
        assert item["id"] in await vault.visible_ids(user)


async def test_late_organization_event_does_not_relink_a_detached_client(vault: VaultService) -> None:
    acme = uuid.uuid4()
    bob = await vault.user()
    await vault.provider_user(acme, bob)
    organization_id = uuid.uuid4()
    # The provider topic ran ahead (added, then detached); the organization topic's older news arrives last.
    await vault.apply(prv.ClientOrgAddedV1(provider_id=acme, organization_id=organization_id, provider_name="Acme"))
    await vault.apply(prv.ClientOrgRemovedV1(provider_id=acme, organization_id=organization_id))
    late = Envelope.wrap(
        org.OrganizationCreatedV1(organization_id=organization_id, name="Contoso", provider_id=acme, plan_type=0),
        producer="organization",
        correlation_id=None,
    ).model_copy(update={"occurred_at": datetime.now(UTC) - timedelta(minutes=1)})
    handler = vault.runtime.parts.events.handlers["organization.events"][late.type]
    await vault.runtime.consumer.apply("organization.events", late, handler)

    admin = await vault.user()
    await vault.member(organization_id, admin, ADMIN)
    item = await vault.create_in(admin, organization_id, [])
    assert item["id"] not in await vault.visible_ids(bob)


async def test_another_providers_user_gets_404_on_every_id(vault: VaultService) -> None:
    _, bob, _, organization_id, carol, servers = await acme_with_contoso(vault)
    dave = await vault.user("dave")
    await vault.provider_user(uuid.uuid4(), dave)  # Dave works for another MSP
    await vault.client_org(uuid.uuid4())
    item = await vault.create_in(bob, organization_id, [servers])
    carol_personal = await vault.create(carol)
    folder = (await vault.http.post("/api/folders", json={"name": enc_string()}, headers=carol.headers)).json()

    share_body = {"cipher": login_cipher(organizationId=str(organization_id)), "collectionIds": [str(servers)]}
    for cid in (item["id"], carol_personal["id"]):
        probes: list[tuple[str, str, dict[str, Any] | None]] = [
            ("GET", f"/api/ciphers/{cid}", None),
            ("GET", f"/api/ciphers/{cid}/details", None),
            ("PUT", f"/api/ciphers/{cid}", login_cipher(organizationId=str(organization_id))),
            ("POST", f"/api/ciphers/{cid}", login_cipher()),
            ("PUT", f"/api/ciphers/{cid}/partial", {"favorite": True}),
            ("PUT", f"/api/ciphers/{cid}/collections", {"collectionIds": [str(servers)]}),
            ("PUT", f"/api/ciphers/{cid}/collections_v2", {"collectionIds": []}),
            ("PUT", f"/api/ciphers/{cid}/share", share_body),
            ("PUT", f"/api/ciphers/{cid}/delete", None),
            ("DELETE", f"/api/ciphers/{cid}", None),
            ("POST", f"/api/ciphers/{cid}/delete", None),
            ("PUT", f"/api/ciphers/{cid}/restore", None),
            ("PUT", "/api/ciphers/delete", {"ids": [cid]}),
            ("PUT", "/api/ciphers/restore", {"ids": [cid]}),
            ("DELETE", "/api/ciphers", {"ids": [cid]}),
            ("PUT", "/api/ciphers/move", {"ids": [cid]}),
        ]
        for method, path, body in probes:
            response = await vault.http.request(method, path, json=body, headers=dave.headers)
            assert response.status_code == 404, (method, path, response.status_code, response.text)
    for method, path in [("GET", f"/api/folders/{folder['id']}"), ("DELETE", f"/api/folders/{folder['id']}")]:
        assert (await vault.http.request(method, path, headers=dave.headers)).status_code == 404
    # Creating into Contoso: the organization does not exist for him either.
    response = await vault.http.post("/api/ciphers/create", json=share_body, headers=dave.headers)
    assert response.status_code == 404
    assert await vault.visible_ids(dave) == set()
    assert (await vault.sync(carol))["folders"][0]["id"] == folder["id"]


async def test_an_old_confirmation_replayed_after_the_revocation_does_not_restore_client_items(
    vault: VaultService,
) -> None:
    """Issue 11 #5: a ProviderUserConfirmed that sat in the DLQ, replayed after a newer Revoked (or Removed), changes
    nothing: the row keeps the time of the newest event it reflects."""
    acme, bob, bob_provider_user, organization_id, _, servers = await acme_with_contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    facts = {"provider_id": acme, "provider_user_id": bob_provider_user, "user_id": bob.id, "email": bob.email}
    old_confirm = Envelope.wrap(prv.ProviderUserConfirmedV1(**facts, type=1), producer="test", correlation_id="c" * 16)
    old_restore = Envelope.wrap(prv.ProviderUserRestoredV1(**facts, type=1), producer="test", correlation_id="r" * 16)
    await vault.apply(prv.ProviderUserRevokedV1(**facts, type=1))
    assert item["id"] not in await vault.visible_ids(bob)

    handlers = vault.runtime.parts.events.handlers["provider.events"]
    for old in (old_confirm, old_restore):
        assert await vault.runtime.consumer.apply("provider.events", old, handlers[old.type]) == "applied"
    assert item["id"] not in await vault.visible_ids(bob)

    await vault.apply(prv.ProviderUserRemovedV1(**facts, type=1))
    newer_than_removal = Envelope.wrap(
        prv.ProviderUserConfirmedV1(**facts, type=1), producer="test", correlation_id="n" * 16
    ).model_copy(update={"occurred_at": old_confirm.occurred_at - timedelta(seconds=1)})
    assert (
        await vault.runtime.consumer.apply("provider.events", newer_than_removal, handlers[old_confirm.type])
        == "applied"
    )
    assert item["id"] not in await vault.visible_ids(bob)


async def test_each_client_created_runs_the_statements_the_one_before_built(vault: VaultService) -> None:
    """Issue 12 #4: the events of a client organization's creation (the link, the organization, its owner, its
    collection and access list) write through statements built once, not per event."""
    acme = uuid.uuid4()
    bob = await vault.user("bob")
    await vault.provider_user(acme, bob)

    async def create_client(owner: User) -> None:
        organization_id, collection_id = uuid.uuid4(), uuid.uuid4()
        await vault.apply(client_org_created(acme, owner.email, organization_id=organization_id))
        await vault.apply(
            org.OrganizationCreatedV1(organization_id=organization_id, name="Contoso", provider_id=acme, plan_type=20)
        )
        await vault.set_member(organization_id, uuid.uuid4(), owner, ADMIN, event=org.MemberConfirmedV1)
        await vault.apply(
            org.CollectionCreatedV1(organization_id=organization_id, collection_id=collection_id, name=enc_string())
        )
        access = [org.MemberAccess(user_id=owner.id, manage=True), org.MemberAccess(user_id=bob.id, read_only=True)]
        await vault.apply(
            org.CollectionAccessChangedV1(organization_id=organization_id, collection_id=collection_id, access=access)
        )

    owners = [await vault.user(f"owner{n}") for n in range(3)]  # registered before: not part of the creation
    engine = vault.runtime.engine
    await create_client(owners[0])
    with executed(engine) as second:
        await create_client(owners[1])
    with executed(engine) as third:
        await create_client(owners[2])
    assert len(built_anew([], second)) >= 6  # link, access setting, organization, collection, access list, bumps
    assert built_anew(second, third) == []
