"""Account recovery: each member's user key wrapped to the organization's public key, once they enrol.

Revision ID: 0007_reset_password_key
Revises: 0006_user_two_factor
Create Date: 2026-12-02 16:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_reset_password_key"
down_revision: str | None = "0006_user_two_factor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("members", sa.Column("reset_password_key", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("members", "reset_password_key")
