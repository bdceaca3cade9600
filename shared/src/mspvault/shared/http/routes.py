"""Route registration the services share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def put_or_post(router: APIRouter, path: str, **route: Any) -> Callable[[Endpoint], Endpoint]:
    """Register the endpoint for PUT `path`, as documented, and for POST on the same path, kept out of the schema:
    Bitwarden's older clients (and Vaultwarden's routes) send POST where the API says PUT."""

    def register(endpoint: Endpoint) -> Endpoint:
        router.post(path, include_in_schema=False, **route)(endpoint)
        return router.put(path, **route)(endpoint)

    return register
