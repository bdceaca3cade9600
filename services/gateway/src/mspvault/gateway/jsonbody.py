"""JSON bodies rendered once, compactly; composed answers can be megabytes, so skip pydantic and indentation."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response


def render(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def json_response(value: Any, status_code: int = 200) -> Response:
    return Response(render(value), status_code=status_code, media_type="application/json")


def raw_json_response(body: bytes, status_code: int = 200) -> Response:
    return Response(body, status_code=status_code, media_type="application/json")
