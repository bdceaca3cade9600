"""The admin console's Import/Export page in a real browser (issue 14): Alice, a Provider Admin, imports a Bitwarden
JSON file into a client organization (the page encrypts every item with the org key and posts the same request as
`bw import bitwardenjson --organizationid`), the items show in the org vault, and the export she downloads holds the
same items, decrypted in the page, in the same collections. The provider, Alice and the client are set up through
the API (tests/browser/worlds.py); what is tested goes through the UI."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio
from playwright.async_api import expect

from mspvault.deploy.system import System
from tests.browser.conftest import PortalSession
from tests.browser.harness import assert_accessible, shot
from tests.browser.worlds import ProviderWithClient, provider_with_client

FILE: dict[str, Any] = {
    "encrypted": False,
    "collections": [
        {"id": "11111111-1111-4111-8111-111111111111", "organizationId": None, "name": "Imported servers"},
        {"id": "22222222-2222-4222-8222-222222222222", "organizationId": None, "name": "Imported finance"},
    ],
    "items": [
        {
            "type": 1,
            "name": "core-switch",
            "notes": "rack 4",
            "login": {"username": "admin", "password": "sw1tch-pw", "uris": [{"uri": "https://switch.example"}]},
            "collectionIds": ["11111111-1111-4111-8111-111111111111"],
        },
        {"type": 2, "name": "wifi note", "notes": "guest: hello", "secureNote": {"type": 0}, "collectionIds": []},
        {
            "type": 3,
            "name": "company card",
            "card": {"cardholderName": "Contoso", "number": "4111111111111111", "code": "123"},
            "collectionIds": ["22222222-2222-4222-8222-222222222222"],
        },
        {"type": 4, "name": "ceo identity", "identity": {"firstName": "Ada", "lastName": "King"}},
        {"type": 5, "name": "deploy key", "sshKey": {"privateKey": "k", "publicKey": "p", "keyFingerprint": "f"}},
    ],
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def contoso(system: System) -> AsyncIterator[ProviderWithClient]:
    async with provider_with_client(system, seats=5) as world:
        yield world


async def test_a_provider_admin_imports_a_file_and_exports_it_back(
    portal: PortalSession,
    contoso: ProviderWithClient,
    tmp_path: Path,
) -> None:
    page = await portal.log_in(contoso.alice, f"/organizations/{contoso.org_id}/import-export")
    await expect(page.get_by_role("heading", name="Import and export", level=2)).to_be_visible()
    await assert_accessible(page)
    await shot(page, "org-import-export")

    upload = tmp_path / "contoso.json"
    upload.write_text(json.dumps(FILE))
    await page.get_by_label(f"Bitwarden JSON file to import into {contoso.org_name}").set_input_files(str(upload))
    await expect(page.get_by_role("status").filter(has_text="Imported 5 items into 2 collections.")).to_be_visible(
        timeout=60_000
    )

    console = page.get_by_role("navigation", name=f"{contoso.org_name} admin console")
    await console.get_by_role("link", name="Vault", exact=True).click()
    await expect(page.get_by_role("button", name="core-switch", exact=True)).to_be_visible()
    await console.get_by_role("link", name="Import/Export", exact=True).click()

    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="Export the organization's vault (.json)").click()
    download = await downloading.value
    saved = tmp_path / "export.json"
    await download.save_as(str(saved))
    exported = json.loads(saved.read_text())
    names = {c["id"]: c["name"] for c in exported["collections"]}
    assert {"Imported servers", "Imported finance"} <= set(names.values())
    items = {item["name"]: item for item in exported["items"]}
    assert set(items) == {item["name"] for item in FILE["items"]}
    assert items["core-switch"]["login"]["password"] == "sw1tch-pw"
    assert [names[c] for c in items["core-switch"]["collectionIds"]] == ["Imported servers"]
    assert items["company card"]["card"]["number"] == "4111111111111111"
    assert items["ceo identity"]["identity"]["lastName"] == "King"
    assert items["deploy key"]["sshKey"]["privateKey"] == "k"
    await shot(page, "org-import-export-done")
    portal.requests.assert_no_leak({"imported password": "sw1tch-pw", "master password": contoso.alice.password})
    portal.problems.assert_clean()
