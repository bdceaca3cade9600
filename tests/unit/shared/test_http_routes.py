"""`put_or_post`: one endpoint answers PUT (documented) and POST (the older clients' spelling, undocumented)."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, FastAPI

from mspvault.shared.http.routes import put_or_post


def _app() -> FastAPI:
    router = APIRouter(prefix="/items")

    @put_or_post(router, "/{item_id}", summary="Rename an item")
    async def rename(item_id: str) -> dict[str, str]:
        return {"renamed": item_id}

    app = FastAPI()
    app.include_router(router)
    return app


async def test_put_and_post_reach_the_same_endpoint() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://service") as client:
        assert (await client.put("/items/a")).json() == {"renamed": "a"}
        assert (await client.post("/items/b")).json() == {"renamed": "b"}


def test_only_put_is_documented() -> None:
    operations = _app().openapi()["paths"]["/items/{item_id}"]
    assert set(operations) == {"put"}
    assert operations["put"]["summary"] == "Rename an item"
