"""The resolved PostgreSQL server: queries, one fresh database per call, idempotent creation, persistence."""

from __future__ import annotations

import asyncpg
import pytest

from mspvault.shared.infra.postgres import (
    PostgresServer,
    asyncpg_url,
    start_postgres,
    validate_database_name,
    with_database,
)

pytestmark = pytest.mark.integration


async def _fetch(url: str, sql: str) -> object:
    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def test_the_server_accepts_a_query(postgres: PostgresServer) -> None:
    assert await _fetch(postgres.admin_url, "SELECT 40 + 2") == 42


async def test_new_database_gives_each_call_its_own_empty_database(new_database) -> None:
    first, second = await new_database("alpha"), await new_database("alpha")
    assert first != second
    assert first.startswith("postgresql+asyncpg://")
    conn = await asyncpg.connect(asyncpg_url(first))
    try:
        await conn.execute("CREATE TABLE only_here (id int)")
    finally:
        await conn.close()
    assert await _fetch(second, "SELECT to_regclass('only_here') IS NULL") is True
    assert str(await _fetch(first, "SELECT current_database()")).startswith("alpha_")


async def test_create_database_is_idempotent(postgres: PostgresServer, unique_id: str) -> None:
    name = f"idem_{unique_id}"
    try:
        first = await postgres.create_database(name)
        assert await postgres.create_database(name) == first == postgres.url_for(name)
        assert await _fetch(first, "SELECT current_database()") == name
    finally:
        await postgres.drop_database(name)


@pytest.mark.parametrize("name", ["Upper", "with-dash", "x; DROP DATABASE postgres", "", "9starts_with_digit"])
def test_database_names_that_would_need_quoting_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="invalid database name"):
        validate_database_name(name)


def test_with_database_keeps_the_socket_directory() -> None:
    url = "postgresql+asyncpg://postgres@/postgres?host=/tmp/pg sock"
    assert with_database(url, "vault") == "postgresql+asyncpg://postgres@/vault?host=/tmp/pg sock"
    assert asyncpg_url(with_database(url, "vault")) == "postgresql://postgres@/vault?host=/tmp/pg sock"


async def test_env_url_wins_and_is_left_running(postgres: PostgresServer) -> None:
    server = await start_postgres(env={"MSPVAULT_POSTGRES_URL": postgres.admin_url.replace("+asyncpg", "")})
    assert server.kind == "external"
    assert server.admin_url == postgres.admin_url
    server.stop()  # an external server is not ours to stop
    assert await _fetch(postgres.admin_url, "SELECT 1") == 1


async def test_embedded_data_survives_a_restart(tmp_path) -> None:
    pgdata = tmp_path / "pg"
    server = await start_postgres(data_dir=pgdata, mode="embedded", env={})
    try:
        url = await server.create_database("kept")
        conn = await asyncpg.connect(asyncpg_url(url))
        try:
            await conn.execute("CREATE TABLE survivor (id int); INSERT INTO survivor VALUES (7)")
        finally:
            await conn.close()
    finally:
        server.stop()

    again = await start_postgres(data_dir=pgdata, mode="embedded", env={})
    try:
        assert again.kind == "embedded"
        assert await _fetch(again.url_for("kept"), "SELECT id FROM survivor") == 7
    finally:
        again.stop()
    assert (pgdata / "PG_VERSION").exists()  # "stop", not "delete": the data directory stays
