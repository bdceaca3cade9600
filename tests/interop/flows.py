"""What every user does with `bw` in the suite, written once: items of all five types, edit, trash, restore, permanent
delete, move into an organization, lock / unlock / logout; each result cross-checked with our own client library."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

from mspvault.client import MSPVaultClient
from mspvault.client.ciphers import Card, Identity, Login, PlainCipher, SecureNote, SshKey
from mspvault.client.generators import generate_password, generate_ssh_key
from tests.interop.bwcli import Bw, encode

Json = dict[str, Any]


async def item_template(bw: Bw) -> Json:
    """`bw get template item`, cleared of the sample sub-objects, as the base of every item we create."""
    template = (await bw.run("get", "template", "item")).json()
    assert isinstance(template, dict)
    assert template.get("type") == 1, f"unexpected item template: {template}"
    return {**template, "login": None, "secureNote": None, "card": None, "identity": None, "fields": []}


def five_items(base: Json, label: str) -> dict[str, Json]:
    """One item of each type, with every secret freshly generated. Keys are the item names."""
    ssh = generate_ssh_key(f"{label}@interop")
    items = {
        f"{label} login": {
            "type": 1,
            "notes": "login made with bw",
            "login": {
                "uris": [{"match": None, "uri": f"https://{label}.interop.example/login"}],
                "username": f"{label}-user",
                "password": generate_password(),
                "totp": None,
            },
            "fields": [{"name": "PIN", "value": "4711", "type": 1, "linkedId": None}],
        },
        f"{label} note": {"type": 2, "notes": "a secure note, made with bw", "secureNote": {"type": 0}},
        f"{label} card": {
            "type": 3,
            "card": {
                "cardholderName": f"{label} Holder",
                "brand": "Visa",
                "number": "4111111111111111",
                "expMonth": "7",
                "expYear": "2031",
                "code": "321",
            },
        },
        f"{label} identity": {
            "type": 4,
            "identity": {
                "title": "Ms",
                "firstName": label.capitalize(),
                "middleName": None,
                "lastName": "Interop",
                "address1": "1 Test Street",
                "address2": None,
                "address3": None,
                "city": "Springfield",
                "state": None,
                "postalCode": "12345",
                "country": "US",
                "company": "Interop Ltd",
                "email": f"{label}@interop.example",
                "phone": "+1 555 0100",
                "ssn": None,
                "username": label,
                "passportNumber": None,
                "licenseNumber": None,
            },
        },
        f"{label} ssh key": {
            "type": 5,
            "sshKey": {"privateKey": ssh.private_key, "publicKey": ssh.public_key, "keyFingerprint": ssh.fingerprint},
        },
    }
    return {name: {**copy.deepcopy(base), "name": name, "notes": None, **body} for name, body in items.items()}


def assert_same_item(made_by_bw: Json, plain: PlainCipher) -> None:
    """The item as `bw` shows it (decrypted by the CLI) equals what our library decrypts from the server's copy."""
    assert plain.name == made_by_bw["name"]
    assert plain.notes == made_by_bw.get("notes")
    assert int(plain.type) == made_by_bw["type"]
    assert plain.organization_id == made_by_bw.get("organizationId")
    content = plain.content
    if isinstance(content, Login):
        login = made_by_bw["login"]
        assert (content.username, content.password) == (login["username"], login["password"])
        assert [u.uri for u in content.uris] == [u["uri"] for u in login.get("uris") or []]
    elif isinstance(content, SecureNote):
        assert content.note_type == made_by_bw["secureNote"]["type"]
    elif isinstance(content, Card):
        card = made_by_bw["card"]
        assert (content.cardholder_name, content.number, content.code) == (
            card["cardholderName"],
            card["number"],
            card["code"],
        )
        assert (content.brand, content.exp_month, content.exp_year) == (
            card["brand"],
            card["expMonth"],
            card["expYear"],
        )
    elif isinstance(content, Identity):
        identity = made_by_bw["identity"]
        assert (content.first_name, content.last_name, content.email, content.company) == (
            identity["firstName"],
            identity["lastName"],
            identity["email"],
            identity["company"],
        )
    elif isinstance(content, SshKey):
        key = made_by_bw["sshKey"]
        assert (content.private_key, content.public_key, content.key_fingerprint) == (
            key["privateKey"],
            key["publicKey"],
            key["keyFingerprint"],
        )
    made_fields = [(f["name"], f["value"], f["type"]) for f in made_by_bw.get("fields") or []]
    assert [(f.name, f.value, int(f.type)) for f in plain.fields] == made_fields


async def library_view(client: MSPVaultClient) -> dict[str, PlainCipher]:
    """Everything the user's sync holds, decrypted by our library, by id."""
    sync = await client.vault.sync()
    return {str(plain.id): plain for plain in client.vault.decrypt_all(sync)}


async def create_every_type_in_a_folder(bw: Bw, library: MSPVaultClient, label: str) -> dict[str, Json]:
    """`bw create folder` and `bw create item` × 5 types; then our library decrypts each item the CLI encrypted.
    Returns what bw printed for each created item, by id."""
    folder_name = f"{label} folder {uuid.uuid4().hex[:6]}"
    encoded = (await bw.run("encode", stdin=json.dumps({"name": folder_name}))).ok().strip()
    assert encoded == encode({"name": folder_name})  # `bw encode` is plain base64, as the suite's own helper
    folder = (await bw.run("create", "folder", encoded)).json()
    assert folder["name"] == folder_name
    assert folder_name in {f["name"] for f in await bw.list("folders")}

    base = await item_template(bw)
    created: dict[str, Json] = {}
    for name, item in five_items({**base, "folderId": folder["id"]}, label).items():
        made = await bw.create("item", item)
        assert (made["name"], made["type"], made["folderId"]) == (name, item["type"], folder["id"])
        created[made["id"]] = made
    assert {i["id"] for i in await bw.list("items", "--folderid", folder["id"])} == set(created)

    seen = await library_view(library)
    for item_id, made in created.items():
        assert item_id in seen, f"our library's sync lacks {made['name']!r} made with bw"
        assert_same_item(made, seen[item_id])
        assert seen[item_id].folder_id == folder["id"]
    return created


async def edit_trash_restore_and_purge(bw: Bw, library: MSPVaultClient, label: str) -> None:
    """`bw edit item`, `bw delete item` (to the trash), `bw restore item`, `bw delete item --permanent`."""
    base = await item_template(bw)
    item = five_items(base, label)[f"{label} login"]
    made = await bw.create("item", item)
    item_id = made["id"]

    edited = copy.deepcopy(made)
    new_password = generate_password()
    edited["name"] = f"{label} login (edited)"
    edited["login"]["password"] = new_password
    after_edit = (await bw.run("edit", "item", item_id, encode(edited))).json()
    assert (after_edit["name"], after_edit["login"]["password"]) == (edited["name"], new_password)
    assert (await bw.get_item(item_id))["login"]["password"] == new_password
    mine = (await library_view(library))[item_id]
    assert isinstance(mine.content, Login)
    assert (mine.name, mine.content.password) == (edited["name"], new_password)

    (await bw.run("delete", "item", item_id)).ok()
    assert item_id in {i["id"] for i in await bw.list("items", "--trash")}
    assert item_id not in {i["id"] for i in await bw.list("items")}
    assert (await library_view(library))[item_id].deleted_date is not None

    restored = (await bw.run("restore", "item", item_id)).ok()
    assert restored.strip() == "" or "restored" in restored.lower() or item_id in restored
    assert item_id in {i["id"] for i in await bw.list("items")}
    assert (await library_view(library))[item_id].deleted_date is None

    (await bw.run("delete", "item", item_id, "--permanent")).ok()
    gone = await bw.run("get", "item", item_id)
    assert gone.code != 0, f"a permanently deleted item is still there: {gone.detail()}"
    assert item_id not in await library_view(library)


async def move_into(bw: Bw, organization_id: str, collection_id: str, label: str, org_reader: MSPVaultClient) -> Json:
    """`bw move` a personal login into an org collection: `org_reader` (another user of that org, our library)
    then decrypts it with the org key, so bw really re-encrypted it for the org."""
    base = await item_template(bw)
    item = five_items(base, label)[f"{label} login"]
    made = await bw.create("item", item)
    assert made.get("organizationId") is None

    (await bw.run("move", made["id"], organization_id, encode([collection_id]))).ok()
    moved = await bw.get_item(made["id"])
    assert (moved["organizationId"], moved["collectionIds"]) == (organization_id, [collection_id])
    assert moved["login"]["password"] == item["login"]["password"]

    theirs = (await library_view(org_reader)).get(made["id"])
    assert theirs is not None, "the moved item is not in the other org user's sync"
    assert_same_item(moved, theirs)
    assert theirs.collection_ids == [collection_id]
    return moved


async def create_in_org(
    bw: Bw, organization_id: str, collection_id: str, label: str, org_reader: MSPVaultClient
) -> None:
    """`bw create item` with organizationId + collectionIds (POST /api/ciphers/create)."""
    base = await item_template(bw)
    item = five_items(base, label)[f"{label} note"]
    item |= {"organizationId": organization_id, "collectionIds": [collection_id], "notes": f"org note by {label}"}
    made = await bw.create("item", item)
    assert (made["organizationId"], made["collectionIds"]) == (organization_id, [collection_id])
    theirs = (await library_view(org_reader)).get(made["id"])
    assert theirs is not None, "an org item made with bw is not in the other org user's sync"
    assert_same_item(made, theirs)


async def lock_unlock_logout(bw: Bw, password: str) -> None:
    assert (await bw.run("status")).json()["status"] == "unlocked"
    (await bw.run("lock")).ok()
    bw.session = None
    assert (await bw.run("status")).json()["status"] == "locked"
    await bw.unlock(password)
    assert (await bw.run("status")).json()["status"] == "unlocked"
    assert await bw.list("items")  # the unlocked vault decrypts again
    (await bw.run("logout")).ok()
    bw.session = None
    assert (await bw.run("status")).json()["status"] == "unauthenticated"
