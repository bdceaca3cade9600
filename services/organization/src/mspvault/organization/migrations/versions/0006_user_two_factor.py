"""The users read model keeps whether each user has two-step login on (issue 14: Require two-step login policy).

Revision ID: 0006_user_two_factor
Revises: 0005_security_stamps
Create Date: 2026-12-02 15:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_user_two_factor"
down_revision: str | None = "0005_security_stamps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("two_factor_enabled", sa.Boolean(), server_default="false", nullable=False))
    op.add_column("users", sa.Column("two_factor_as_of", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "two_factor_as_of")
    op.drop_column("users", "two_factor_enabled")
