"""The Provider Portal at `/`: the files `vite build` leaves in `portal/dist` (settings: `portal_dir`).

`index.html` is revalidated on every load (`no-cache`) so a new build shows at once; everything under `/assets/`
has a content hash in its name and is cached for a year. Every response carries a strict Content-Security-Policy:
scripts only from this origin (plus WebAssembly compilation, for Argon2id), no inline script or style, requests only
to this origin, never framed. Routing is in the URL's hash (`/#/clients`), so the server needs no fallback route.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import FastAPI, HTTPException
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
REVALIDATE = {"Cache-Control": "no-cache"}
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}
# Types the portal ships, stated here rather than taken from the host's mime database (which may lack some).
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}
NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MSPVault: the portal is not built</title></head>
<body><main><h1>The Provider Portal is not built</h1>
<p>Build it with <code>make portal</code> (or <code>make up</code>, which builds it first), then reload.</p>
<p>The API is served as usual under <code>/api</code> and <code>/identity</code>.</p></main></body></html>
"""


class PortalFiles:
    """Answers for the files of one build folder; nothing outside it is ever served."""

    def __init__(self, dist: Path) -> None:
        self.dist = dist.resolve()

    def top_level_files(self) -> list[str]:
        """Files beside index.html that a page may ask for by name (favicon.svg, robots.txt, …): named with an
        extension, so none can shadow a path of the API; not dotfiles (the build's stamp)."""
        if not self.dist.is_dir():
            return []
        return sorted(p.name for p in self.dist.iterdir() if p.is_file() and p.suffix and not p.name.startswith("."))

    async def index(self, _: Request) -> Response:
        index = self.dist / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=404, headers=SECURITY_HEADERS | {"Cache-Control": "no-store"})
        return self._file(index, REVALIDATE)

    async def asset(self, request: Request) -> Response:
        return self._file(self._inside(self.dist / "assets", request.path_params["path"]), IMMUTABLE)

    async def top_level(self, request: Request) -> Response:
        # Files of the build's public/ folder (favicon.svg, robots.txt): not hashed, so revalidated.
        return self._file(self._inside(self.dist, request.path_params["name"]), REVALIDATE)

    def _inside(self, folder: Path, relative: str) -> Path:
        path = (folder / relative).resolve()
        if not path.is_relative_to(folder.resolve()) or not path.is_file() or path.name.startswith("."):
            raise HTTPException(404, "Not found")
        return path

    @staticmethod
    def _file(path: Path, caching: dict[str, str]) -> Response:
        media_type = MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileResponse(path, media_type=media_type, headers=SECURITY_HEADERS | caching)


class FileNameConvertor(Convertor[str]):
    """One path segment with an extension (`favicon.svg`): never `/api`, `/identity`, `/ops` or `/health`."""

    regex = r"[A-Za-z0-9_-][A-Za-z0-9._-]*\.[A-Za-z0-9]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


def install(app: FastAPI, dist: Path) -> None:
    """`/`, `/index.html`, `/assets/*` and the build's other top-level files; registered after the gateway's own
    routes (so `/openapi.json` stays theirs) and before the forwarder, which keeps `/api` and `/identity`."""
    register_url_convertor("filename", FileNameConvertor())
    files = PortalFiles(dist)
    for path in ("/", "/index.html"):
        app.router.add_route(path, files.index, methods=["GET", "HEAD"], include_in_schema=False)
    app.router.add_route("/assets/{path:path}", files.asset, methods=["GET", "HEAD"], include_in_schema=False)
    app.router.add_route("/{name:filename}", files.top_level, methods=["GET", "HEAD"], include_in_schema=False)
