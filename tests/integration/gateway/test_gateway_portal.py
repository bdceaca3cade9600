"""The Provider Portal served at `/` from its build folder: a strict CSP on every answer, `index.html` revalidated,
hashed assets cached for a year, nothing outside the folder, and the API routes untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mspvault.gateway.routes.portal import CONTENT_SECURITY_POLICY
from tests.integration.gateway.conftest import GatewayUnderTest

INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head></html>'
SCRIPT = "console.log('portal');"


@pytest.fixture
def portal_dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "index-Ab12Cd34.js").write_text(SCRIPT)
    (dist / "assets" / "argon2-Ef56.wasm").write_bytes(b"\0asm\1\0\0\0")
    (dist / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (dist / ".mspvault-sources").write_text("stamp")
    (tmp_path / "secret.txt").write_text("outside the build")
    return dist


def test_the_policy_allows_only_this_origin_and_no_inline_script() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["default-src"] == directives["connect-src"] == directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "http" not in CONTENT_SECURITY_POLICY  # no third-party origin


async def test_the_page_is_served_at_the_root_and_revalidated(gateway: GatewayUnderTest) -> None:
    for path in ("/", "/index.html"):
        response = await gateway.client.get(path)
        assert response.status_code == 200
        assert response.text == INDEX
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "etag" in response.headers  # so a revalidation can be answered cheaply


async def test_hashed_assets_are_cached_for_a_year(gateway: GatewayUnderTest) -> None:
    script = await gateway.client.get("/assets/index-Ab12Cd34.js")
    assert script.status_code == 200
    assert script.text == SCRIPT
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert script.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    wasm = await gateway.client.get("/assets/argon2-Ef56.wasm")
    assert wasm.headers["content-type"] == "application/wasm"


async def test_top_level_files_of_the_build_are_served_and_revalidated(
    gateway: GatewayUnderTest, portal_dist: Path
) -> None:
    icon = await gateway.client.get("/favicon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/svg+xml"
    assert icon.headers["cache-control"] == "no-cache"
    (portal_dist / "robots.txt").write_text("User-agent: *")  # a rebuild adds a file: served without a restart
    robots = await gateway.client.get("/robots.txt")
    assert robots.text == "User-agent: *"


@pytest.mark.parametrize(
    "path",
    [
        "/assets/missing-123.js",
        "/assets/../secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/.mspvault-sources",
        "/secret.txt",
        "/assets/",
    ],
)
async def test_nothing_outside_the_build_nor_its_stamp_is_served(gateway: GatewayUnderTest, path: str) -> None:
    response = await gateway.client.get(path)
    assert response.status_code == 404
    assert "outside the build" not in response.text
    assert all(not stub.seen for stub in gateway.stubs.values())


async def test_the_api_and_the_other_pages_are_untouched(gateway: GatewayUnderTest) -> None:
    config = await gateway.client.get("/api/config")
    assert config.status_code == 200
    assert config.json()["object"] == "config"
    assert "content-security-policy" not in config.headers
    identity = await gateway.client.post("/identity/connect/token", data={"grant_type": "password"})
    assert identity.json()["service"] == "identity"
    ciphers = await gateway.client.get("/api/ciphers", headers=gateway.auth())
    assert ciphers.json()["service"] == "vault"
    ops = await gateway.client.get("/ops")
    assert ops.status_code == 200
    assert "script-src 'self';" in ops.headers["content-security-policy"]  # the operator page keeps its own
    assert (await gateway.client.get("/alive")).status_code == 200
    assert (await gateway.client.get("/openapi.json")).json()["openapi"]
    assert (await gateway.client.get("/api")).status_code == 401


def unbuild(dist: Path, *, keep_folder: bool) -> None:
    shutil.rmtree(dist)
    if keep_folder:
        dist.mkdir()


@pytest.mark.parametrize("keep_folder", [False, True], ids=["no-folder", "empty-folder"])
async def test_an_unbuilt_portal_gets_a_clear_page(
    gateway: GatewayUnderTest, portal_dist: Path, keep_folder: bool
) -> None:
    unbuild(portal_dist, keep_folder=keep_folder)
    response = await gateway.client.get("/")
    assert response.status_code == 404
    assert "make portal" in response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["cache-control"] == "no-store"
