"""JSON bodies rendered once, compactly, with orjson; composed answers can be megabytes, so skip pydantic."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


def render(value: Any) -> bytes:
    return orjson.dumps(value)


def parse(body: bytes) -> Any:
    """JSON from bytes; ValueError (orjson's JSONDecodeError is one) when they are not JSON."""
    return orjson.loads(body)


def json_response(value: Any, status_code: int = 200) -> Response:
    return Response(render(value), status_code=status_code, media_type="application/json")


def raw_json_response(body: bytes, status_code: int = 200) -> Response:
    return Response(body, status_code=status_code, media_type="application/json")
