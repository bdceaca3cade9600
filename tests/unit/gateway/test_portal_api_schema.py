"""The portal's committed OpenAPI document (portal/src/lib/api/openapi.json) is the gateway's current one.

The portal's typed API client is generated from that file, so a server change that was not carried to the
portal fails here, not in a user's browser. Fix: `.venv/bin/python portal/scripts/dump_openapi.py`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "portal" / "scripts" / "dump_openapi.py"


def _dump_openapi() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dump_openapi", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dump() -> ModuleType:
    return _dump_openapi()


@pytest.fixture(scope="module")
def document(dump: ModuleType) -> dict[str, Any]:
    result: dict[str, Any] = dump.public_openapi()
    return result


def test_committed_document_matches_the_services(dump: ModuleType, document: dict[str, Any]) -> None:
    committed = dump.DOCUMENT.read_text(encoding="utf-8")
    assert committed == dump.render(document), "the API changed: run `.venv/bin/python portal/scripts/dump_openapi.py`"


def test_document_carries_what_the_portal_calls(document: dict[str, Any]) -> None:
    paths = document["paths"]
    for path in (
        "/identity/accounts/prelogin/password",
        "/identity/accounts/register",
        "/identity/connect/token",
        "/api/sync",
        "/api/providers/{provider_id}/organizations",
        "/api/organizations/{org_id}/users/{member_id}/accept",
        "/api/providers/{provider_id}/users/{provider_user_id}/accept",
        "/api/ciphers",
    ):
        assert path in paths, path
    assert not [path for path in paths if path.startswith("/internal")]
