"""A provider user's revision date reads the latest change among their provider's client links (creating a client
no longer bumps every provider user's row, issue 12 #4), by this index.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 19:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_provider_organizations_provider_id_revision_date",
        "provider_organizations",
        ["provider_id", "revision_date"],
    )


def downgrade() -> None:
    op.drop_index("ix_provider_organizations_provider_id_revision_date", table_name="provider_organizations")
