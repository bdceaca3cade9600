"""The organization's API key (issue 14: client_credentials as organization.<id>, scope api.organization).

Revision ID: 0008_organization_api_keys
Revises: 0007_reset_password_key
Create Date: 2026-12-02 15:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_organization_api_keys"
down_revision: str | None = "0007_reset_password_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organization_api_keys",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("client_secret", sa.String(64), nullable=False),
        sa.Column("stamp", sa.String(64), nullable=False),
        sa.Column("revision_date", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_api_keys_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_organization_api_keys")),
    )


def downgrade() -> None:
    op.drop_table("organization_api_keys")
