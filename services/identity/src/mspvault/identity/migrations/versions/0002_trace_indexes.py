"""Index outbox and inbox by correlation id, so the operator console's trace need not scan either table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_correlation_id", "outbox", ["correlation_id"])
    op.create_index("ix_inbox_correlation_id", "inbox", ["correlation_id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_correlation_id", table_name="inbox")
    op.drop_index("ix_outbox_correlation_id", table_name="outbox")
