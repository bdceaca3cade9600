"""Each client link keeps its JSON for the client list (all of `ClientDetailsResponse` but the member counts),
written by a trigger whenever the row is inserted or updated, whoever writes it: a list of 10,000 clients then
joins stored text instead of writing ~25 pieces per client (~40 ms of PostgreSQL's CPU per list, issue 12 #4).

The shape is held to `ClientDetailsResponse` by the listing's integration test; a change of the shape (or of
`PLAN_NAMES`) is a new migration that replaces the function and rewrites the rows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 16:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Everything but "userCount", "occupiedSeats" and "remainingSeats", which the listing appends with its counts
# (hence the trailing comma). Dates as `mspvault.shared.dates.bitwarden_date` writes them; `settings` is a JSON
# string holding `json.dumps(ClientSettings.to_json())`; plans as `domain.enums.plan_name` names them.
LISTING_JSON = """
CREATE FUNCTION provider_organization_listing_json() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.listing_json := concat(
        '{"id":"', NEW.id, '","providerId":"', NEW.provider_id, '","organizationId":"', NEW.organization_id,
        '","key":', coalesce(to_json(NEW.key)::text, 'null'),
        ',"settings":', CASE WHEN coalesce((NEW.settings ->> 'providerAccessToItems')::boolean, true)
            THEN '"{\\"providerAccessToItems\\": true}"' ELSE '"{\\"providerAccessToItems\\": false}"' END,
        ',"creationDate":"', to_char(NEW.creation_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        '","revisionDate":"', to_char(NEW.revision_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        '","object":"providerOrganizationOrganizationDetails","organizationName":', to_json(NEW.organization_name),
        ',"seats":', NEW.seats,
        ',"plan":', to_json(CASE NEW.plan_type
            WHEN 0 THEN 'Free' WHEN 7 THEN 'Families' WHEN 17 THEN 'Teams (Monthly)' WHEN 18 THEN 'Teams (Annually)'
            WHEN 19 THEN 'Enterprise (Monthly)' WHEN 20 THEN 'Enterprise (Annually)' ELSE 'Plan ' || NEW.plan_type END),
        ',"planType":', NEW.plan_type, ',"status":2,');
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    op.add_column("provider_organizations", sa.Column("listing_json", sa.Text(), nullable=True))
    op.get_bind().exec_driver_sql(LISTING_JSON)  # as it is: `text()` would take `:MI`, `:SS` for parameters
    op.execute(
        "CREATE TRIGGER provider_organizations_listing_json BEFORE INSERT OR UPDATE ON provider_organizations "
        "FOR EACH ROW EXECUTE FUNCTION provider_organization_listing_json()"
    )
    op.execute("UPDATE provider_organizations SET listing_json = NULL")  # the trigger writes every existing link


def downgrade() -> None:
    op.execute("DROP TRIGGER provider_organizations_listing_json ON provider_organizations")
    op.execute("DROP FUNCTION provider_organization_listing_json()")
    op.drop_column("provider_organizations", "listing_json")
