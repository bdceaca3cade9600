"""The item event log: Bitwarden events recorded from the vault's own cipher events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.Integer(), nullable=False),
        sa.Column("date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acting_user_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("cipher_id", sa.Uuid(), nullable=True),
        sa.Column("collection_id", sa.Uuid(), nullable=True),
        sa.Column("group_id", sa.Uuid(), nullable=True),
        sa.Column("policy_id", sa.Uuid(), nullable=True),
        sa.Column("organization_user_id", sa.Uuid(), nullable=True),
        sa.Column("provider_user_id", sa.Uuid(), nullable=True),
        sa.Column("provider_organization_id", sa.Uuid(), nullable=True),
        sa.Column("device_type", sa.SmallInteger(), nullable=True),
        sa.Column("ip_address", sa.String(length=50), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_cipher_id_date", "audit_events", ["cipher_id", "date", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_cipher_id_date", table_name="audit_events")
    op.drop_table("audit_events")
