"""The provider's copy of organization members remembers when the organization recorded what each row reflects, so
an older member event replayed later changes nothing (issue 11 #5).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 15:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("org_members", sa.Column("source_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("org_members", "source_at")
