"""Identity's read model of the organizations' API keys (issue 14: client_credentials as organization.<id>).

Revision ID: 0005_organization_api_keys
Revises: 0004_security_stamps
Create Date: 2026-12-02 15:55:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_organization_api_keys"
down_revision: str | None = "0004_security_stamps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organization_api_keys",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("client_secret_digest", sa.String(64), nullable=False),
        sa.Column("key_stamp", sa.String(64), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_organization_api_keys")),
    )


def downgrade() -> None:
    op.drop_table("organization_api_keys")
