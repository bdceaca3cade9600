"""The provider's database plans for pages read from memory (`random_page_cost` 1.1 instead of 4, the default for
spinning disks): its tables are small beside the server's cache, so reading a page out of order costs what reading
the next one does.

Why now (issue 12 #4): once the client links carry the dead versions a mass update leaves (0009's own count of every
link doubles the table), the default made the planner read all of a 10,000-client provider's links and sort them,
~7 MB of rows and more than `work_mem` (so on disk, with parallel workers), instead of walking the (provider_id,
organization_name, id) index that gives the list its order: ~75–110 ms instead of ~50 of PostgreSQL per unpaged
list, measured on the same table. The listing's EXPLAIN test holds the plan on such a table.

A database setting: new sessions take it, which is every connection of a service started after its migrations.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 19:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _set(clause: str) -> None:
    # The database's name is the deployment's: `current_database()`, quoted by `format`.
    op.execute(f"DO $$ BEGIN EXECUTE format('ALTER DATABASE %I {clause}', current_database()); END $$")


def upgrade() -> None:
    _set("SET random_page_cost = 1.1")


def downgrade() -> None:
    _set("RESET random_page_cost")
