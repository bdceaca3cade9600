"""The base of every service's response models: camelCase aliases, Bitwarden's list envelope, the API-key answer
two services give, and one-shot JSON.

Services declare their own response models on `ApiResponse` (in `entrypoints/http/responses.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, Literal, Protocol, TypeVar

from fastapi import Response
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from mspvault.shared.dates import BitwardenDate

T = TypeVar("T")


class ApiResponse(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


class ListResponse(ApiResponse, Generic[T]):
    """`{"data": [...], "object": "list", "continuationToken": null}`."""

    data: list[T]
    object: Literal["list"] = "list"
    continuation_token: str | None = None


class ApiKey(Protocol):
    @property
    def client_secret(self) -> str: ...

    @property
    def revision_date(self) -> datetime: ...


# Bitwarden's `ApiKeyResponseModel`, for a user's API key (identity) and an organization's (organization) alike.
class ApiKeyResponse(ApiResponse):
    api_key: str
    revision_date: BitwardenDate
    object: Literal["apiKey"] = "apiKey"

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyResponse:
        return cls(api_key=key.client_secret, revision_date=key.revision_date)


def as_json(body: BaseModel) -> Response:
    """Serialize once, here. For lists of thousands (a provider user's sync): returning the model would have FastAPI
    validate it again against the route's response model before serializing it."""
    return Response(body.model_dump_json(), media_type="application/json")
