"""Models no route returns (an answer written by hand is made of them) still reach the service's OpenAPI document."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

from mspvault.shared.runtime import document_models


class Seats(BaseModel):
    count: int


class Client(BaseModel):
    name: str
    seats: Seats


def test_documented_models_are_components_beside_the_routes_own() -> None:
    app = FastAPI()

    @app.get("/count")
    def count() -> Seats:
        return Seats(count=1)

    document_models(app, [Client])
    document = app.openapi()
    schemas = document["components"]["schemas"]
    assert schemas["Client"]["properties"]["seats"] == {"$ref": "#/components/schemas/Seats"}
    assert set(schemas["Seats"]["properties"]) == {"count"}
    assert "/count" in document["paths"]
    assert app.openapi() is document  # built once
