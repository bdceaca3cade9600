"""The newest security stamp of each user whose sessions ended, read by every process to refuse their old tokens.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 15:30:00.000000
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
    op.create_table(
        "security_stamps",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("stamp", sa.String(length=64), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_security_stamps")),
    )
    op.create_index(op.f("ix_security_stamps_recorded_at"), "security_stamps", ["recorded_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_security_stamps_recorded_at"), table_name="security_stamps")
    op.drop_table("security_stamps")
