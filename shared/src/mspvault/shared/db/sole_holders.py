"""The rule organizations and providers both apply before an account is deleted, as Bitwarden does: refused while
the account is the only holder of a role (an organization's confirmed Owner, a provider's active Provider Admin)
somewhere. Each service asks it of its own membership table."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, Table, func, select
from sqlalchemy.sql.selectable import NamedFromClause


def sole_holder_count(
    table: Table, user_id: uuid.UUID, *, scope: str, role: Mapping[str, int]
) -> tuple[Select[Any], NamedFromClause]:
    """How many `scope`s (the column naming an organization or a provider) have `user_id` holding `role` (column
    values: a type and a status) and no other row of the same scope holding it. Returns the count's query and the
    user's own rows in it (`mine`), for a caller that narrows which scopes count."""
    mine, others = table.alias("mine"), table.alias("others")

    def holds(rows: FromClause) -> list[ColumnElement[bool]]:
        return [rows.c[name] == value for name, value in role.items()]

    another = select(others.c.id).where(others.c[scope] == mine.c[scope], others.c.id != mine.c.id, *holds(others))
    query = select(func.count()).select_from(mine).where(mine.c.user_id == user_id, *holds(mine), ~another.exists())
    return query, mine
