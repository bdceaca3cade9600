"""A deleted collection stays as a tombstone (`deleted_at`), so an access list replayed after the deletion cannot
re-create it with its grants (issue 11 #5).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:25:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("collections", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM collections WHERE deleted_at IS NOT NULL")
    op.drop_column("collections", "deleted_at")
