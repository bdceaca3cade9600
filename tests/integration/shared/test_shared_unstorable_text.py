"""Text PostgreSQL cannot store is the caller's mistake, not the server's: a NUL character in a string (SQLSTATE
22021, character_not_in_repertoire) or a `\\u0000` inside a JSON document (22P05, untranslatable_character) is
answered 400 with the shared JSON error body by every service (shared/http/errors.py), where it was a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from mspvault.shared.db.engine import make_engine
from mspvault.shared.http.errors import install_error_handlers

pytestmark = pytest.mark.integration


def app_over(engine: AsyncEngine) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/store/{kind}")
    async def store(kind: str, body: dict[str, str]) -> dict[str, str]:
        statement = {
            "text": "SELECT CAST(:value AS text)",
            "json": "SELECT CAST(:value AS jsonb) ->> 'a'",
            "other": "SELECT 1 / (length(:value) - length(:value))",  # division by zero: 22012, still a 500
        }[kind]
        async with engine.connect() as conn:
            await conn.execute(text(statement), {"value": body["value"]})
        return {"stored": kind}

    return app


@pytest.fixture
async def client(new_database) -> AsyncIterator[httpx.AsyncClient]:
    engine = make_engine(await new_database("unstorable"), pool_size=1)
    transport = httpx.ASGITransport(app=app_over(engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://service.test") as client:
        yield client
    await engine.dispose()


@pytest.mark.parametrize(
    ("kind", "value"),
    [("text", "before\x00after"), ("json", '{"a": "before\\u0000after"}')],
    ids=["nul-in-text-22021", "nul-in-jsonb-22P05"],
)
async def test_text_postgresql_cannot_store_is_a_400_json_answer(
    client: httpx.AsyncClient, kind: str, value: str
) -> None:
    response = await client.post(f"/store/{kind}", json={"value": value})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["object"] == "error"
    assert "cannot be stored" in body["message"]
    assert "before" not in response.text  # the value is not echoed back


async def test_ordinary_text_is_stored_and_other_database_errors_stay_errors(client: httpx.AsyncClient) -> None:
    assert (await client.post("/store/text", json={"value": "plain"})).json() == {"stored": "text"}
    with pytest.raises(Exception, match="division by zero"):  # not mapped to a 400: the server's fault
        await client.post("/store/other", json={"value": "x"})
