"""Every service has the same folders with the same meanings (docs/architecture.md), and its layers point inwards:
the domain imports no framework and no outer layer; the service layer names what it needs in ports.py and imports
no adapter or entrypoint; no service imports another. Read from the source (ast), nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "provider", "organization", "vault")
FRAMEWORKS = ("sqlalchemy", "fastapi", "starlette", "faststream", "aiokafka", "asyncpg", "httpx")
EVERY_SERVICE_HAS = (
    "domain",
    "service_layer/commands.py",
    "service_layer/ports.py",
    "adapters/orm.py",
    "adapters/repository.py",
    "adapters/queries.py",
    "entrypoints/http/__init__.py",
    "entrypoints/consumers.py",
    "bootstrap.py",
)
RETIRED_MODULE_NAMES = ("views", "render", "bitwarden_json", "api_models", "store")


def package(service: str) -> Path:
    return ROOT / "services" / service / "src" / "mspvault" / service


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def sources(service: str, layer: str) -> list[Path]:
    return sorted((package(service) / layer).rglob("*.py"))


def offending(service: str, layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sources(service, layer)
        for module in sorted(imported_modules(path))
        if any(module == banned or module.startswith(banned + ".") for banned in forbidden)
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_same_folders(service: str) -> None:
    missing = [part for part in EVERY_SERVICE_HAS if not (package(service) / part).exists()]
    assert missing == []


@pytest.mark.parametrize("service", SERVICES)
def test_no_module_carries_a_retired_name(service: str) -> None:
    retired = [
        str(path.relative_to(ROOT))
        for path in package(service).rglob("*.py")
        if path.stem in RETIRED_MODULE_NAMES and "migrations" not in path.parts
    ]
    assert retired == []


@pytest.mark.parametrize("service", SERVICES)
def test_the_domain_imports_no_framework_and_no_outer_layer(service: str) -> None:
    outer = tuple(f"mspvault.{service}.{layer}" for layer in ("service_layer", "adapters", "entrypoints", "bootstrap"))
    assert offending(service, "domain", FRAMEWORKS + outer) == []


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_layer_imports_no_adapter_entrypoint_sql_or_web_framework(service: str) -> None:
    outer = tuple(f"mspvault.{service}.{layer}" for layer in ("adapters", "entrypoints", "bootstrap"))
    assert offending(service, "service_layer", ("sqlalchemy", "fastapi", "starlette", "faststream", *outer)) == []


@pytest.mark.parametrize("service", SERVICES)
def test_services_do_not_import_each_other(service: str) -> None:
    others = tuple(f"mspvault.{other}" for other in (*SERVICES, "gateway") if other != service)
    assert offending(service, ".", others) == []
