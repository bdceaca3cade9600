"""Organization items: members see them through collections, with the flags their access gives; sharing moves
personal items in; revoked members see nothing; every affected user's revision date moves."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from mspvault.shared.contracts import organization as org
from mspvault.shared.contracts import provider as prv
from mspvault.shared.contracts.envelope import Envelope
from tests.integration.vault.vault_harness import (
    ADMIN,
    CONFIRMED,
    CUSTOM,
    OWNER,
    REVOKED,
    USER,
    VaultService,
    login_cipher,
)

pytestmark = pytest.mark.integration


async def contoso(vault: VaultService):
    """Bob administers Contoso; Carol is a plain user with access to "Servers"."""
    bob, carol = await vault.user("bob"), await vault.user("carol")
    organization_id = await vault.organization()
    await vault.member(organization_id, bob, ADMIN)
    carol_member = await vault.member(organization_id, carol, USER)
    servers = await vault.collection(organization_id, {carol: {}})
    return organization_id, bob, carol, carol_member, servers


async def test_member_sees_org_item_through_her_collection(vault: VaultService) -> None:
    organization_id, bob, carol, _, servers = await contoso(vault)
    elsewhere = await vault.collection(organization_id, {})
    item = await vault.create_in(bob, organization_id, [servers, elsewhere])
    assert item["organizationId"] == str(organization_id)
    assert sorted(item["collectionIds"]) == sorted([str(servers), str(elsewhere)])  # the admin sees both
    personal = await vault.create(carol)

    ciphers = {c["id"]: c for c in (await vault.sync(carol))["ciphers"]}
    assert set(ciphers) == {item["id"], personal["id"]}
    seen = ciphers[item["id"]]
    assert seen["collectionIds"] == [str(servers)]  # only the collection she is in
    assert (seen["edit"], seen["viewPassword"]) == (True, True)
    assert seen["name"] == item["name"]
    assert seen["login"] == item["login"]
    fetched = await vault.http.get(f"/api/ciphers/{item['id']}", headers=carol.headers)
    assert fetched.status_code == 200
    assert fetched.json() == seen

    only_elsewhere = await vault.create_in(bob, organization_id, [elsewhere])
    assert only_elsewhere["id"] not in await vault.visible_ids(carol)
    response = await vault.http.get(f"/api/ciphers/{only_elsewhere['id']}", headers=carol.headers)
    assert response.status_code == 404


async def test_read_only_access_refuses_edits_as_vaultwarden_does(vault: VaultService) -> None:
    organization_id, bob, carol, _, _ = await contoso(vault)
    read_only = await vault.collection(organization_id, {carol: {"read_only": True}})
    item = await vault.create_in(bob, organization_id, [read_only])
    seen = next(c for c in (await vault.sync(carol))["ciphers"] if c["id"] == item["id"])
    assert seen["edit"] is False
    assert seen["permissions"] == {"delete": False, "restore": False}

    edit = login_cipher(organizationId=str(organization_id), lastKnownRevisionDate=item["revisionDate"])
    response = await vault.http.put(f"/api/ciphers/{item['id']}", json=edit, headers=carol.headers)
    assert response.status_code == 400  # Vaultwarden: err!("Cipher is not write accessible"), a 400
    assert response.json()["message"] == "Cipher is not write accessible"
    for method, path in [("PUT", f"/api/ciphers/{item['id']}/delete"), ("DELETE", f"/api/ciphers/{item['id']}")]:
        assert (await vault.http.request(method, path, headers=carol.headers)).status_code == 400
    # Her own folder and favorite are hers to set, even on a read-only item.
    partial = await vault.http.put(f"/api/ciphers/{item['id']}/partial", json={"favorite": True}, headers=carol.headers)
    assert partial.status_code == 200
    assert partial.json()["favorite"] is True
    # And she may not file new items into a collection she can only read.
    response = await vault.http.post(
        "/api/ciphers/create",
        json={"cipher": login_cipher(organizationId=str(organization_id)), "collectionIds": [str(read_only)]},
        headers=carol.headers,
    )
    assert response.status_code == 400
    assert response.json()["message"] == "No rights to modify the collection"


async def test_hidden_passwords_come_back_with_view_password_false(vault: VaultService) -> None:
    organization_id, bob, carol, _, _ = await contoso(vault)
    hidden = await vault.collection(organization_id, {carol: {"hide_passwords": True}})
    item = await vault.create_in(bob, organization_id, [hidden])
    seen = next(c for c in (await vault.sync(carol))["ciphers"] if c["id"] == item["id"])
    assert seen["viewPassword"] is False
    assert seen["edit"] is True
    bob_view = next(c for c in (await vault.sync(bob))["ciphers"] if c["id"] == item["id"])
    assert bob_view["viewPassword"] is True


async def test_share_moves_a_personal_item_into_the_org(vault: VaultService) -> None:
    organization_id, bob, carol, _, servers = await contoso(vault)
    mine = await vault.create(carol)
    reencrypted = login_cipher(organizationId=str(organization_id), lastKnownRevisionDate=mine["revisionDate"])
    response = await vault.http.put(
        f"/api/ciphers/{mine['id']}/share",
        json={"cipher": reencrypted, "collectionIds": [str(servers)]},
        headers=carol.headers,
    )
    assert response.status_code == 200, response.text
    shared = response.json()
    assert shared["id"] == mine["id"]
    assert shared["organizationId"] == str(organization_id)
    assert shared["collectionIds"] == [str(servers)]
    assert shared["name"] == reencrypted["name"]

    # It is no longer among her personal items: it is the org's, and Bob (admin) sees it too.
    carol_items = {c["id"]: c for c in (await vault.sync(carol))["ciphers"]}
    assert carol_items[mine["id"]]["organizationId"] == str(organization_id)
    assert not [c for c in carol_items.values() if c["organizationId"] is None]
    assert mine["id"] in await vault.visible_ids(bob)

    # Once in Contoso, it cannot be shared into another organization.
    other_org = await vault.organization()
    await vault.member(other_org, carol, OWNER)
    response = await vault.http.put(
        f"/api/ciphers/{mine['id']}/share",
        json={"cipher": login_cipher(organizationId=str(other_org)), "collectionIds": []},
        headers=carol.headers,
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("Organization mismatch")


async def test_share_needs_write_access_to_every_collection(vault: VaultService) -> None:
    organization_id, _, carol, _, servers = await contoso(vault)
    read_only = await vault.collection(organization_id, {carol: {"read_only": True}})
    not_hers = await vault.collection(organization_id, {})
    mine = await vault.create(carol)
    for collections, message in [
        ([servers, read_only], "No rights to modify the collection"),
        ([not_hers], "No rights to modify the collection"),
        ([uuid.uuid4()], "Invalid collection ID provided"),
        ([], "You don't have permission to add cipher directly to organization"),
    ]:
        response = await vault.http.put(
            f"/api/ciphers/{mine['id']}/share",
            json={
                "cipher": login_cipher(organizationId=str(organization_id)),
                "collectionIds": [str(c) for c in collections],
            },
            headers=carol.headers,
        )
        assert response.status_code == 400, response.text
        assert response.json()["message"] == message
    assert (await vault.sync(carol))["ciphers"][0]["organizationId"] is None

    # Into an organization she is not a member of: that organization does not exist for her.
    stranger_org = await vault.organization()
    response = await vault.http.put(
        f"/api/ciphers/{mine['id']}/share",
        json={"cipher": login_cipher(organizationId=str(stranger_org)), "collectionIds": []},
        headers=carol.headers,
    )
    assert response.status_code == 404


async def test_personal_create_with_an_org_and_no_collections_is_refused(vault: VaultService) -> None:
    organization_id, _, carol, _, _ = await contoso(vault)
    response = await vault.http.post(
        "/api/ciphers", json=login_cipher(organizationId=str(organization_id)), headers=carol.headers
    )
    assert response.status_code == 400
    assert response.json()["message"] == "You don't have permission to add cipher directly to organization"


async def test_collections_of_an_item_can_be_changed_by_writers(vault: VaultService) -> None:
    organization_id, bob, carol, _, servers = await contoso(vault)
    desktops = await vault.collection(organization_id, {carol: {}})
    item = await vault.create_in(bob, organization_id, [servers])
    response = await vault.http.put(
        f"/api/ciphers/{item['id']}/collections",
        json={"collectionIds": [str(desktops)]},
        headers=carol.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["collectionIds"] == [str(desktops)]
    v2 = await vault.http.put(
        f"/api/ciphers/{item['id']}/collections_v2",
        json={"collectionIds": [str(servers), str(desktops)]},
        headers=carol.headers,
    )
    assert v2.json()["object"] == "optionalCipherDetails"
    assert v2.json()["unavailable"] is False
    assert sorted(v2.json()["cipher"]["collectionIds"]) == sorted([str(servers), str(desktops)])

    personal = await vault.create(carol)
    response = await vault.http.put(
        f"/api/ciphers/{personal['id']}/collections", json={"collectionIds": [str(servers)]}, headers=carol.headers
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Cipher is not owned by an organization"


async def test_revoked_member_sees_nothing_and_gets_it_back_on_restore(vault: VaultService) -> None:
    organization_id, bob, carol, carol_member, servers = await contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    personal = await vault.create(carol)
    before = await vault.revision(carol)

    await vault.set_member(organization_id, carol_member, carol, USER, REVOKED, event=org.MemberRevokedV1)
    assert await vault.visible_ids(carol) == {personal["id"]}
    assert (await vault.http.get(f"/api/ciphers/{item['id']}", headers=carol.headers)).status_code == 404
    assert await vault.revision(carol) > before

    await vault.set_member(organization_id, carol_member, carol, USER, CONFIRMED, event=org.MemberRestoredV1)
    assert await vault.visible_ids(carol) == {personal["id"], item["id"]}

    await vault.apply(
        org.MemberRemovedV1(
            organization_id=organization_id, member_id=carol_member, user_id=carol.id, email=carol.email, type=USER,
            status=CONFIRMED,
        )
    )  # fmt: skip
    assert await vault.visible_ids(carol) == {personal["id"]}


@pytest.mark.parametrize(("kind", "extra", "sees_all"), [
    (OWNER, {}, True),
    (ADMIN, {}, True),
    (CUSTOM, {"permissions": None}, False),
    (USER, {}, False),
])  # fmt: skip
async def test_who_sees_items_outside_their_collections(
    vault: VaultService, kind: int, extra: dict[str, Any], sees_all: bool
) -> None:
    organization_id, bob, _, _, _ = await contoso(vault)
    someone = await vault.user()
    await vault.member(organization_id, someone, kind)
    nobody_s = await vault.collection(organization_id, {})
    item = await vault.create_in(bob, organization_id, [nobody_s])
    assert (item["id"] in await vault.visible_ids(someone)) is sees_all


async def test_collection_access_change_replaces_the_list(vault: VaultService) -> None:
    organization_id, bob, carol, _, servers = await contoso(vault)
    dan = await vault.user()
    await vault.member(organization_id, dan, USER)
    item = await vault.create_in(bob, organization_id, [servers])
    carol_before = await vault.revision(carol)

    await vault.grant(organization_id, servers, {dan: {"read_only": True}})  # Carol is off the list now
    assert item["id"] not in await vault.visible_ids(carol)
    assert item["id"] in await vault.visible_ids(dan)
    assert await vault.revision(carol) > carol_before

    await vault.apply(org.CollectionDeletedV1(organization_id=organization_id, collection_id=servers))
    assert item["id"] not in await vault.visible_ids(dan)
    bob_view = next(c for c in (await vault.sync(bob))["ciphers"] if c["id"] == item["id"])
    assert bob_view["collectionIds"] == []


async def test_org_item_change_bumps_everyone_who_sees_it_and_nobody_else(vault: VaultService) -> None:
    organization_id, bob, carol, _, servers = await contoso(vault)
    outsider_member = await vault.user()
    await vault.member(organization_id, outsider_member, USER)
    provider_id = uuid.uuid4()
    provider_user = await vault.user()
    await vault.provider_user(provider_id, provider_user)
    await vault.apply(
        prv.ClientOrgAddedV1(provider_id=provider_id, organization_id=organization_id, provider_name="Acme")
    )
    before = {u: await vault.revision(u) for u in (bob, carol, outsider_member, provider_user)}
    item = await vault.create_in(bob, organization_id, [servers])
    after = {u: await vault.revision(u) for u in before}
    assert after[bob] > before[bob]
    assert after[carol] > before[carol]
    assert after[provider_user] > before[provider_user]
    assert after[outsider_member] == before[outsider_member]

    edit = login_cipher(organizationId=str(organization_id), lastKnownRevisionDate=item["revisionDate"])
    response = await vault.http.put(f"/api/ciphers/{item['id']}", json=edit, headers=carol.headers)
    assert response.status_code == 200
    assert await vault.revision(bob) > after[bob]
    assert await vault.revision(provider_user) > after[provider_user]
    assert await vault.revision(outsider_member) == before[outsider_member]


async def test_old_member_and_access_events_replayed_after_newer_ones_do_not_restore_access(
    vault: VaultService,
) -> None:
    """Issue 11 #5: a MemberConfirmed or an access list that sat in the DLQ, replayed after the revocation (or a
    newer list without Carol), changes nothing."""
    organization_id, bob, carol, carol_member, servers = await contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    assert item["id"] in await vault.visible_ids(carol)
    facts = {"organization_id": organization_id, "member_id": carol_member, "user_id": carol.id, "email": carol.email}
    confirmed = org.MemberConfirmedV1(**facts, type=USER, status=CONFIRMED)
    old_confirm = Envelope.wrap(confirmed, producer="t", correlation_id=None)
    old_grant = Envelope.wrap(
        org.CollectionAccessChangedV1(
            organization_id=organization_id, collection_id=servers, access=[org.MemberAccess(user_id=carol.id)]
        ),
        producer="t",
        correlation_id=None,
    )
    handlers = vault.runtime.parts.events.handlers["organization.events"]

    async def replay(old: Envelope) -> None:
        assert await vault.runtime.consumer.apply("organization.events", old, handlers[old.type]) == "applied"

    await vault.apply(org.MemberRevokedV1(**facts, type=USER, status=REVOKED))
    await replay(old_confirm)
    assert item["id"] not in await vault.visible_ids(carol)

    await vault.apply(org.MemberRestoredV1(**facts, type=USER, status=CONFIRMED))
    await vault.grant(organization_id, servers, {})
    await replay(old_grant)
    assert item["id"] not in await vault.visible_ids(carol)


async def test_an_access_list_replayed_after_its_collection_was_deleted_does_not_bring_it_back(
    vault: VaultService,
) -> None:
    """Issue 11 #5: the deletion left no trace, so an older access list, replayed later, re-created the collection
    with its grants."""
    organization_id, bob, carol, _carol_member, servers = await contoso(vault)
    item = await vault.create_in(bob, organization_id, [servers])
    assert item["id"] in await vault.visible_ids(carol)
    old_grant = Envelope.wrap(
        org.CollectionAccessChangedV1(
            organization_id=organization_id, collection_id=servers, access=[org.MemberAccess(user_id=carol.id)]
        ),
        producer="t",
        correlation_id=None,
    )
    await vault.apply(org.CollectionDeletedV1(organization_id=organization_id, collection_id=servers))
    assert item["id"] not in await vault.visible_ids(carol)

    handlers = vault.runtime.parts.events.handlers["organization.events"]
    assert await vault.runtime.consumer.apply("organization.events", old_grant, handlers[old_grant.type]) == "applied"
    assert item["id"] not in await vault.visible_ids(carol)
    response = await vault.http.post(
        "/api/ciphers/create",
        json={"cipher": login_cipher(organizationId=str(organization_id)), "collectionIds": [str(servers)]},
        headers=bob.headers,
    )
    assert response.status_code == 400, response.text  # a deleted collection takes no new items
