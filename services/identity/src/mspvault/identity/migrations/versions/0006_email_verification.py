"""Email verification (issue 11 #2): when each account proved its address, and operators bound to accounts instead
of email addresses (the links go through the mail outbox two-step login made).

Existing accounts start unverified. An operator row whose email has an account is kept for that account (it is
honoured once the account verifies its email); one without an account is dropped: it is exactly the hole, an
address anyone could register first.

Revision ID: 0006_email_verification
Revises: 0005_organization_api_keys
Create Date: 2026-12-02 15:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_email_verification"
down_revision: str | None = "0005_organization_api_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("operators", sa.Column("user_id", sa.Uuid(), nullable=True))
    op.execute("UPDATE operators SET user_id = users.id FROM users WHERE users.email = operators.email")
    op.execute("DELETE FROM operators WHERE user_id IS NULL")
    op.drop_constraint("pk_operators", "operators", type_="primary")
    op.drop_column("operators", "email")
    op.alter_column("operators", "user_id", nullable=False)
    op.create_primary_key("pk_operators", "operators", ["user_id"])
    op.create_foreign_key(
        op.f("fk_operators_user_id_users"), "operators", "users", ["user_id"], ["id"], ondelete="CASCADE"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_operators_user_id_users"), "operators", type_="foreignkey")
    op.add_column("operators", sa.Column("email", sa.String(length=256), nullable=True))
    op.execute("UPDATE operators SET email = users.email FROM users WHERE users.id = operators.user_id")
    op.drop_constraint("pk_operators", "operators", type_="primary")
    op.drop_column("operators", "user_id")
    op.alter_column("operators", "email", nullable=False)
    op.create_primary_key("pk_operators", "operators", ["email"])
    op.drop_column("users", "email_verified_at")
