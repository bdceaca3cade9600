"""The shapes Bitwarden clients read from the gateway's own answers, `/api/config` and `/api/sync`, snapshotted.

A snapshot is a JSON-Schema-ish skeleton: every key with the JSON type of its value (lists by their first item);
the `object` discriminators clients switch on are kept as constants.
Removing or retyping a field fails here; refresh on purpose with `MSPVAULT_UPDATE_SNAPSHOTS=1`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from mspvault.gateway.config import server_config
from mspvault.gateway.parts import IdentityPart, OrganizationPart, ProviderPart, VaultPart
from mspvault.gateway.responses import ServerConfig
from mspvault.gateway.sync import merge_sync

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("MSPVAULT_UPDATE_SNAPSHOTS") == "1"

# One item of each part as the services' `/internal/sync` contract describes it (docs/architecture.md); the
# gateway passes items through untouched, so the skeleton records where each part lands.
IDENTITY: IdentityPart = {
    "profile": {
        "id": "u",
        "email": "e",
        "name": "n",
        "key": "2.k",
        "privateKey": "2.p",
        "securityStamp": "s",
        "premium": True,
        "culture": "en-US",
        "object": "profile",
    },
    "userDecryption": {
        "masterPasswordUnlock": {
            "kdf": {"kdfType": 0, "iterations": 600000, "memory": None, "parallelism": None},
            "masterKeyEncryptedUserKey": "2.k",
            "masterKeyWrappedUserKey": "2.k",
            "salt": "e",
        },
        "userKeyId": "0" * 32,
    },
}
PROVIDER: ProviderPart = {
    "providers": [{"id": "p", "key": "4.k", "object": "profileProvider"}],
    "providerOrganizations": [{"id": "o", "key": "2.k", "object": "profileProviderOrganization"}],
}
ORGANIZATION: OrganizationPart = {
    "organizations": [{"id": "o", "key": "4.k", "status": 2, "type": 2, "object": "profileOrganization"}],
    "collections": [
        {
            "id": "c",
            "organizationId": "o",
            "name": "2.n",
            "readOnly": False,
            "hidePasswords": False,
            "manage": False,
            "object": "collectionDetails",
        }
    ],
    "policies": [{"id": "po", "organizationId": "o", "type": 1, "enabled": True, "data": None, "object": "policy"}],
}
VAULT: VaultPart = {
    "folders": [{"id": "f", "name": "2.n", "revisionDate": "d", "object": "folder"}],
    "ciphers": [
        {
            "id": "x",
            "type": 1,
            "organizationId": None,
            "collectionIds": [],
            "name": "2.n",
            "edit": True,
            "viewPassword": True,
            "object": "cipherDetails",
        }
    ],
}


def shape_of(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: f"const:{item}" if key == "object" else shape_of(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [shape_of(value[0])] if value else []
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "null"


def _check(name: str, shape: Any) -> None:
    snapshot = SNAPSHOTS / f"gateway_{name}.json"
    if UPDATE:
        snapshot.write_text(json.dumps(shape, indent=2) + "\n")
        return
    assert snapshot.exists(), f"no snapshot {snapshot.name}; run with MSPVAULT_UPDATE_SNAPSHOTS=1"
    assert shape == json.loads(snapshot.read_text()), f"the {name} shape changed; clients read it"


def test_config_shape() -> None:
    _check("config", shape_of(server_config("https://127.0.0.1:8443", git_hash="h")))


def test_config_is_what_its_model_documents() -> None:
    config = server_config("https://127.0.0.1:8443", git_hash="h")
    assert ServerConfig.model_validate(config).model_dump(mode="json") == config


@pytest.mark.parametrize("exclude_domains", [True, False], ids=["excludeDomains", "withDomains"])
def test_sync_shape(exclude_domains: bool) -> None:
    sync = merge_sync(IDENTITY, PROVIDER, ORGANIZATION, VAULT, exclude_domains=exclude_domains)
    _check("sync_excluded_domains" if exclude_domains else "sync", shape_of(sync))
