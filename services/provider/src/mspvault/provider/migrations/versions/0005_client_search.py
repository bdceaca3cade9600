"""Client listing in (name, id) keyset pages, and a search by part of the name (pg_trgm's GIN index).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 15:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_provider_organizations_provider_id_name_id",
        "provider_organizations",
        ["provider_id", "organization_name", "id"],
    )
    op.drop_index("ix_provider_organizations_provider_id_name", table_name="provider_organizations")
    op.create_index(
        "ix_provider_organizations_name_trgm",
        "provider_organizations",
        ["organization_name"],
        postgresql_using="gin",
        postgresql_ops={"organization_name": "gin_trgm_ops"},
        # Without a pending list, a search costs what the planner expects right after clients are added.
        postgresql_with={"fastupdate": "off"},
    )


def downgrade() -> None:
    op.drop_index("ix_provider_organizations_name_trgm", table_name="provider_organizations")
    op.create_index(
        "ix_provider_organizations_provider_id_name", "provider_organizations", ["provider_id", "organization_name"]
    )
    op.drop_index("ix_provider_organizations_provider_id_name_id", table_name="provider_organizations")
