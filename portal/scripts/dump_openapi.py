"""Write the gateway's public OpenAPI document, as `/openapi.json` serves it, without starting anything.

    .venv/bin/python portal/scripts/dump_openapi.py     # then, in portal/: npm run api:types

It builds each service's FastAPI app (nothing connects: engines and brokers start only in the lifespan) and
the gateway's, and merges them exactly as the gateway does (`mspvault.gateway.openapi.merge_openapi`).
Writes portal/src/lib/api/openapi.json; `npm run api:types` turns it into src/lib/api/schema.d.ts. Both are
committed: tests/unit/gateway/test_portal_api_schema.py fails when the API changes and this was not rerun, and
src/lib/api/schema.test.ts fails when schema.d.ts no longer matches openapi.json.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mspvault.gateway.bootstrap import create_app as create_gateway_app
from mspvault.gateway.openapi import merge_openapi
from mspvault.gateway.routes.docs import TITLE
from mspvault.identity.bootstrap import build_parts as identity_parts
from mspvault.organization.bootstrap import build_parts as organization_parts
from mspvault.provider.bootstrap import build_parts as provider_parts
from mspvault.shared.runtime import ServiceParts, create_app
from mspvault.shared.settings import (
    GatewaySettings,
    IdentitySettings,
    OrganizationSettings,
    ProviderSettings,
    ServiceSettings,
    VaultSettings,
)
from mspvault.vault.bootstrap import build_parts as vault_parts

PORTAL = Path(__file__).resolve().parents[1]
DOCUMENT = PORTAL / "src" / "lib" / "api" / "openapi.json"

# Placeholders: the document does not depend on where the database or the broker is.
OFFLINE_DATABASE = "postgresql+asyncpg://offline@localhost/offline"
OFFLINE_BROKER = "localhost:9"

SERVICES: dict[str, tuple[Callable[[Any], ServiceParts], type[ServiceSettings]]] = {
    "identity": (identity_parts, IdentitySettings),
    "provider": (provider_parts, ProviderSettings),
    "organization": (organization_parts, OrganizationSettings),
    "vault": (vault_parts, VaultSettings),
}


def public_openapi() -> dict[str, Any]:
    services = {
        name: create_app(build(settings(database_url=OFFLINE_DATABASE, kafka_bootstrap=OFFLINE_BROKER))).openapi()
        for name, (build, settings) in SERVICES.items()
    }
    gateway = create_gateway_app(GatewaySettings())
    return merge_openapi(gateway.openapi(), services, title=TITLE, version=gateway.version)


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    DOCUMENT.write_text(render(public_openapi()), encoding="utf-8")
    print(f"wrote {DOCUMENT.relative_to(PORTAL.parent)}")
    npm = shutil.which("npm")
    if npm is None or not (PORTAL / "node_modules").is_dir():
        print("now run `npm ci && npm run api:types` in portal/ to regenerate schema.d.ts", file=sys.stderr)
        return
    subprocess.run([npm, "run", "--silent", "api:types"], cwd=PORTAL, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
