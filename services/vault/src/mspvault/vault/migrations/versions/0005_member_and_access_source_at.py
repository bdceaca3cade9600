"""Members and collection access lists remember when the organization recorded what they reflect (issue 11 #5).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("org_members", sa.Column("source_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("collections", sa.Column("access_as_of", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("collections", "access_as_of")
    op.drop_column("org_members", "source_at")
