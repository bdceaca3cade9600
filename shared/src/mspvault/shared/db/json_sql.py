"""Pieces of JSON written by PostgreSQL, for the hot reads whose answers it writes whole (a 10,000-client listing,
sync parts): built into larger `concat`s by each service's queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, func


def json_string(column: Any) -> Any:
    """A text column as a JSON string literal with its quotes (`to_json` escapes it as `json.dumps` does), `null`
    for NULL."""
    return func.coalesce(cast(func.to_json(column), Text), "null")
