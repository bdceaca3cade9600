"""Import and export with the official `bw` CLI (issue 14).

- Bob (Acme's Service User) opens a new client organization and imports a 1,000-item Bitwarden JSON file with four
  collections into it (`bw import bitwardenjson … --organizationid`): the gateway has the organization service create
  the collections, the vault stores the items in one transaction. `bw export --organizationid … --format json` gives
  back the same items, decrypted, in the same collections.
- A new user imports a Bitwarden CSV and a LastPass CSV into their own vault; folders come from the files.
- Refusals: Carol (a plain member without the import permission) and Dave (a stranger) get 404 from the import and
  the export routes; a file with a bad entry is refused whole, with the entry named.
Runs on the suite's one system, in an organization and an account of its own, so the other modules' views stay as
they were.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

import httpx

from mspvault.client.demo import DemoWorld
from mspvault.client.onboarding import Connection, Person, sign_up, wait_for
from tests.interop.bwcli import Bw, ids
from tests.interop.conftest import BwLogin, LibraryLogin

ITEMS = 1_000
COLLECTIONS = ("Servers", "Network", "Finance", "Helpdesk")
TYPES = ("login", "secureNote", "card", "identity", "sshKey")


def _item(number: int, collection_ids: list[str]) -> dict[str, Any]:
    kind = TYPES[number % len(TYPES)]
    item: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "organizationId": None,
        "folderId": None,
        "type": TYPES.index(kind) + 1,
        "reprompt": number % 2,
        "name": f"item {number:04d} ({kind})",
        "notes": f"notes of item {number} — ünïcødé ✓" if number % 3 else None,
        "favorite": False,
        "fields": [{"name": f"field {number}", "value": f"value {number}", "type": number % 2, "linkedId": None}],
        "collectionIds": collection_ids,
    }
    if kind == "login":
        item["login"] = {
            "uris": [{"match": None, "uri": f"https://host{number}.northwind.example/login"}],
            "username": f"user{number}",
            "password": f"pw-{number}-{uuid.uuid4().hex[:12]}",
            "totp": None,
        }
    elif kind == "secureNote":
        item["secureNote"] = {"type": 0}
    elif kind == "card":
        item["card"] = {
            "cardholderName": f"Holder {number}",
            "brand": "Visa",
            "number": f"4111111111{number:06d}",
            "expMonth": "12",
            "expYear": "2030",
            "code": f"{number % 1000:03d}",
        }
    elif kind == "identity":
        item["identity"] = {"title": "Mr", "firstName": f"First{number}", "lastName": f"Last{number}"}
        item["identity"] |= {"email": f"id{number}@northwind.example", "company": "Northwind"}
    else:
        item["sshKey"] = {
            "privateKey": f"-----BEGIN OPENSSH PRIVATE KEY-----\nkey{number}\n-----END OPENSSH PRIVATE KEY-----",
            "publicKey": f"ssh-ed25519 AAAA{number} northwind",
            "keyFingerprint": f"SHA256:fingerprint{number}",
        }
    return item


def northwind_file() -> dict[str, Any]:
    collections: list[dict[str, str]] = [{"id": str(uuid.uuid4()), "name": name} for name in COLLECTIONS]
    items = []
    for number in range(ITEMS):
        # Most items in one collection, some in two, every tenth in none.
        first, second = collections[number % 4]["id"], collections[(number + 1) % 4]["id"]
        placed = [] if number % 10 == 9 else [first, second] if number % 7 == 0 else [first]
        items.append(_item(number, placed))
    return {"encrypted": False, "collections": collections, "items": items}


# Fields of each type compared between the file and the export (the CLI fills the others with nulls).
COMPARED = {
    "login": ("username", "password", "totp"),
    "secureNote": ("type",),
    "card": ("cardholderName", "brand", "number", "expMonth", "expYear", "code"),
    "identity": ("title", "firstName", "lastName", "email", "company"),
    "sshKey": ("privateKey", "publicKey", "keyFingerprint"),
}


def comparable(item: dict[str, Any], collection_names: dict[str, str]) -> dict[str, Any]:
    kind = TYPES[item["type"] - 1]
    data = item.get(kind) or {}
    shape: dict[str, Any] = {
        "type": item["type"],
        "reprompt": item.get("reprompt") or 0,
        "notes": item.get("notes"),
        "fields": [(f.get("name"), f.get("value"), f.get("type")) for f in item.get("fields") or []],
        "data": {name: data.get(name) for name in COMPARED[kind]},
        "collections": sorted(collection_names[cid] for cid in item.get("collectionIds") or []),
    }
    if kind == "login":
        shape["uris"] = [uri.get("uri") for uri in data.get("uris") or []]
    return shape


async def _new_client_org(library: LibraryLogin, world: DemoWorld, bob: Bw) -> str:
    admin = await library(world.bob)
    tag = uuid.uuid4().hex[:6]
    name = f"Northwind {tag}"
    created = await admin.providers.create_client(
        world.acme_id, name=name, owner_email=f"owner.{tag}@northwind.example", seats=5
    )
    organization_id = created.organization_id or ""

    async def listed() -> bool:
        nonlocal organization_id
        for link in await admin.providers.list_clients(world.acme_id):
            if link.get("organizationName") == name:
                organization_id = str(link.get("organizationId"))
        return bool(organization_id)

    await wait_for(listed, what="the new client organization in Acme's list", timeout=60)

    async def in_bobs_bw() -> bool:
        (await bob.run("sync", "--force")).ok()
        return organization_id in ids(await bob.list("organizations"))

    await wait_for(in_bobs_bw, what="the new client organization in Bob's `bw`", timeout=120)
    return organization_id


async def test_a_1000_item_org_import_round_trips_through_bw_export(
    bw_login: BwLogin, library: LibraryLogin, world: DemoWorld, connection: Connection, tmp_path: Path
) -> None:
    bob = await bw_login(world.bob)
    organization_id = await _new_client_org(library, world, bob)
    source = northwind_file()
    path = tmp_path / "northwind.json"
    path.write_text(json.dumps(source))

    imported = await bob.run("import", "bitwardenjson", str(path), "--organizationid", organization_id, timeout=900)
    imported.ok()

    exported_path = tmp_path / "export.json"
    await wait_for(
        lambda: _export_has(bob, organization_id, exported_path, ITEMS), what="the import in the export", timeout=120
    )
    exported = json.loads(exported_path.read_text())
    # The file's four, created by the import, and the one every client organization starts with.
    assert sorted(c["name"] for c in exported["collections"]) == sorted([*COLLECTIONS, "Default collection"])
    source_names = {c["id"]: c["name"] for c in source["collections"]}
    export_names = {c["id"]: c["name"] for c in exported["collections"]}
    before = {item["name"]: comparable(item, source_names) for item in source["items"]}
    after = {item["name"]: comparable(item, export_names) for item in exported["items"]}
    assert set(after) == set(before)
    different = [name for name in before if before[name] != after[name]]
    assert not different, (
        f"{len(different)} items changed, e.g. {different[0]}: {before[different[0]]} → {after[different[0]]}"
    )

    # The export imported again into the same organization: its collections exist now (matched by id, none created,
    # no separate check), so the items come in a second time into the same five collections.
    (
        await bob.run("import", "bitwardenjson", str(exported_path), "--organizationid", organization_id, timeout=900)
    ).ok()
    again_path = tmp_path / "again.json"
    await wait_for(
        lambda: _export_has(bob, organization_id, again_path, 2 * ITEMS), what="the second import", timeout=120
    )
    again = json.loads(again_path.read_text())
    assert sorted(c["id"] for c in again["collections"]) == sorted(export_names)

    # Nobody else may import into or export Northwind: Carol is no member of it, Dave a stranger (404, never 403).
    for person in (world.carol, world.dave):
        async with connection.client() as client:
            await client.login(person.email, person.password)
            token = client.session.access_token
        async with httpx.AsyncClient(base_url=connection.server, verify=str(connection.ca)) as http:
            auth = {"Authorization": f"Bearer {token}"}
            body: dict[str, Any] = {"ciphers": [], "collections": [], "collectionRelationships": []}
            refused = await http.post(
                f"/api/ciphers/import-organization?organizationId={organization_id}", json=body, headers=auth
            )
            assert refused.status_code == 404, refused.text
            for path_ in (
                f"/api/organizations/{organization_id}/export",
                f"/api/ciphers/organization-details?organizationId={organization_id}",
            ):
                denied = await http.get(path_, headers=auth)
                assert denied.status_code == 404, f"{person.name} {path_}: {denied.status_code} {denied.text[:200]}"


def _items_in(path: Path) -> int:
    return len(json.loads(path.read_text())["items"])


async def _export_has(bob: Bw, organization_id: str, path: Path, count: int) -> bool:
    """Export (to a fresh file each time) and say whether it holds `count` items."""
    result = await bob.run(
        "export", "--organizationid", organization_id, "--format", "json", "--output", str(path), timeout=600
    )
    result.ok()
    return await asyncio.to_thread(_items_in, path) == count


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


async def test_bitwarden_and_lastpass_csv_into_a_personal_vault(
    bw_login: BwLogin, connection: Connection, world: DemoWorld, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    person = Person("Erin", f"erin.{tag}@importer.example", f"correct horse battery {tag}")
    client = await sign_up(connection, person)
    await client.aclose()
    erin = await bw_login(person)

    bitwarden = [
        {
            "folder": "Servers" if n % 2 else "",
            "favorite": "1" if n == 0 else "",
            "type": "login" if n % 3 else "note",
            "name": f"bw csv {n}",
            "notes": f"note {n}",
            "fields": f"field{n}: value{n}",
            "reprompt": "0",
            "login_uri": f"https://bw{n}.example" if n % 3 else "",
            "login_username": f"bwuser{n}" if n % 3 else "",
            "login_password": f"bwpass{n}" if n % 3 else "",
            "login_totp": "",
        }
        for n in range(30)
    ]
    (tmp_path / "bitwarden.csv").write_text(_csv(bitwarden))
    (await erin.run("import", "bitwardencsv", str(tmp_path / "bitwarden.csv"), timeout=300)).ok()

    lastpass = [
        {
            "url": f"https://lp{n}.example",
            "username": f"lpuser{n}",
            "password": f"lppass{n}",
            "totp": "",
            "extra": f"extra {n}",
            "name": f"lastpass {n}",
            "grouping": "Shared-Web" if n % 2 else "Email",
            "fav": "0",
        }
        for n in range(20)
    ]
    (tmp_path / "lastpass.csv").write_text(_csv(lastpass))
    (await erin.run("import", "lastpasscsv", str(tmp_path / "lastpass.csv"), timeout=300)).ok()

    (await erin.run("sync", "--force")).ok()
    items = {item["name"]: item for item in await erin.list("items")}
    folders = {folder["id"]: folder["name"] for folder in await erin.list("folders")}
    assert {f"bw csv {n}" for n in range(30)} | {f"lastpass {n}" for n in range(20)} <= set(items)
    assert {"Servers", "Shared-Web", "Email"} <= set(folders.values())
    assert items["bw csv 1"]["login"]["password"] == "bwpass1"
    assert folders[items["bw csv 1"]["folderId"]] == "Servers"
    assert items["bw csv 0"]["favorite"] is True
    assert items["lastpass 3"]["login"]["username"] == "lpuser3"
    assert items["lastpass 3"]["notes"] == "extra 3"
    assert folders[items["lastpass 3"]["folderId"]] == "Shared-Web"

    # A file with a bad entry is refused whole, the entry named: the CLI cannot make one, so post it directly.
    async with connection.client() as own:
        await own.login(person.email, person.password)
        token = own.session.access_token
    async with httpx.AsyncClient(base_url=connection.server, verify=str(connection.ca)) as http:
        good = {"type": 2, "name": items["bw csv 0"]["name"], "secureNote": {"type": 0}}
        raw = await http.get("/api/sync", headers={"Authorization": f"Bearer {token}"})
        stored_name = raw.json()["ciphers"][0]["name"]  # any EncString of Erin's
        body: dict[str, Any] = {
            "ciphers": [{**good, "name": stored_name}, {**good, "name": "plain text"}],
            "folders": [],
        }
        refused = await http.post("/api/ciphers/import", json=body, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 400, refused.text
    assert list(refused.json()["validationErrors"]) == ["Ciphers[1].name"]
    (await erin.run("sync", "--force")).ok()
    assert len(await erin.list("items")) == 50
