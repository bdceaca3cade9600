"""Provider users' read-model rows remember when the provider recorded the event they reflect (issue 11 #5).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 13:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("provider_users", sa.Column("source_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("provider_users", "source_at")
