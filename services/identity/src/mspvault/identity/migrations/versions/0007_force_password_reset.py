"""ForcePasswordReset (issue 14): an account an admin recovered must choose its own master password at the next
login (Bitwarden's `User.ForcePasswordReset`); existing accounts are not.

Revision ID: 0007_force_password_reset
Revises: 0006_email_verification
Create Date: 2026-12-02 19:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_force_password_reset"
down_revision: str | None = "0006_email_verification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("force_password_reset", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("users", "force_password_reset")
