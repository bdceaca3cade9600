"""Each client link keeps its organization's member counts (confirmed users, seats taken), so the client list reads
no `org_members` at all: counting each client's members per listing was ~75 % of PostgreSQL's time for a list of
10,000 clients (a bitmap scan per client, issue 12 #4). The stored JSON (`listing_json`, migration 0008) now holds
the whole of `ClientDetailsResponse`, counts included, and the list is a `string_agg` of it.

Who keeps the counts: whatever writes `org_members` (the member projections, whose writes are idempotent and
ordered by `source_at`: a redelivered or older event writes no row, so it counts nothing). A statement trigger on
`org_members` recounts the organizations a statement touched and updates their link when a count moved; a link
counts its organization's members when it is inserted. Both take the same transaction lock per organization, so a
member event committing while a link is being added is either counted by the link or updates it, never neither.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 19:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.script import ScriptDirectory

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The statement triggers on `org_members` that recount a link's members (`RECOUNT`), one per kind of statement, each
# with the transition tables of its kind.
RECOUNT_TRIGGERS = {
    "insert": "INSERT ON org_members REFERENCING NEW TABLE AS new_rows",
    "update": "UPDATE ON org_members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "DELETE ON org_members REFERENCING OLD TABLE AS old_rows",
}

# What is counted, in one place: confirmed members, and those who take a seat: Invited (0), Accepted (1), Confirmed
# (2); not Revoked (-1), nor a removed member's tombstone (-1).
MEMBER_COUNTS = """
CREATE FUNCTION org_member_counts(organization uuid, OUT confirmed integer, OUT occupying integer)
LANGUAGE sql STABLE AS $$
    SELECT count(*) FILTER (WHERE status = 2), count(*) FILTER (WHERE status IN (0, 1, 2))
    FROM org_members WHERE organization_id = organization
$$
"""

# Both triggers take this lock per organization (the two-key form, apart from the relay's one-key locks).
LOCK_MEMBERS = """
CREATE FUNCTION lock_org_members(organization uuid) RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('provider.org_members'), hashtext(organization::text))
$$
"""

# 0008's function (the link's JSON, written on every insert and update) with the counts: a new link counts its
# organization's members under the lock a recount takes (a new statement, so a fresh snapshot in READ COMMITTED: it
# sees the members a recount holding the lock saw), and the JSON ends with them and its closing brace.
COUNT_NEW_LINK = """
    IF TG_OP = 'INSERT' THEN
        PERFORM lock_org_members(NEW.organization_id);
        SELECT * INTO NEW.user_count, NEW.occupied_seats FROM org_member_counts(NEW.organization_id);
    END IF;
"""
JSON_END_BEFORE = """',"status":2,');"""
JSON_END = """',"status":2,"userCount":', NEW.user_count, ',"occupiedSeats":', NEW.occupied_seats,
        ',"remainingSeats":', greatest(NEW.seats - NEW.occupied_seats, 0), '}');"""


def _listing_json_of_0008() -> str:
    """0008's function as 0008 wrote it (a migration's text never changes), to replace it."""
    config = op.get_context().config
    assert config is not None  # run through alembic's command, which gives its config
    before = ScriptDirectory.from_config(config).get_revision("0008")
    assert before is not None
    function: str = before.module.LISTING_JSON
    return function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def _with_counts(function: str) -> str:
    assert function.count("BEGIN\n") == 1, "0008's function changed"
    assert function.count(JSON_END_BEFORE) == 1, "0008's function changed"
    return function.replace("BEGIN\n", "BEGIN" + COUNT_NEW_LINK, 1).replace(JSON_END_BEFORE, JSON_END, 1)


# One function for the three statement triggers below: each names only the transition tables its event has, and
# PL/pgSQL plans a statement when it first runs it, so each trigger runs only its own branch.
RECOUNT = """
CREATE FUNCTION org_members_recount_client() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT organization_id ORDER BY organization_id) INTO touched FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT organization_id ORDER BY organization_id) INTO touched FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT organization_id ORDER BY organization_id) INTO touched
        FROM (SELECT organization_id FROM new_rows UNION ALL SELECT organization_id FROM old_rows) AS changed;
    END IF;
    IF touched IS NULL THEN
        RETURN NULL;  -- a redelivered or older event: its upsert wrote nothing
    END IF;
    PERFORM lock_org_members(organization) FROM unnest(touched) AS organization ORDER BY organization;  -- no deadlock
    UPDATE provider_organizations AS po
    SET user_count = counted.confirmed, occupied_seats = counted.occupying
    FROM unnest(touched) AS changed(organization), LATERAL org_member_counts(changed.organization) AS counted
    WHERE po.organization_id = changed.organization
      AND (po.user_count, po.occupied_seats) IS DISTINCT FROM (counted.confirmed, counted.occupying);
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    for name in ("user_count", "occupied_seats"):
        op.add_column("provider_organizations", sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    # Room on each page for a link's new version: a member event's update of the counts can then stay on its page
    # and write no entry in the link's five indexes (a HOT update), and the table does not grow with the events.
    op.execute("ALTER TABLE provider_organizations SET (fillfactor = 80)")
    for function in (MEMBER_COUNTS, LOCK_MEMBERS, _with_counts(_listing_json_of_0008()), RECOUNT):
        op.get_bind().exec_driver_sql(function)  # as it is: `text()` would take `:MI`, `:SS` for parameters
    for event, clause in RECOUNT_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER org_members_recount_client_{event} AFTER {clause} "
            "FOR EACH STATEMENT EXECUTE FUNCTION org_members_recount_client()"
        )
    # Every link counted, and its JSON rewritten by the update.
    op.execute(
        "UPDATE provider_organizations AS po SET (user_count, occupied_seats) = "
        "(SELECT * FROM org_member_counts(po.organization_id))"
    )


def downgrade() -> None:
    for event in RECOUNT_TRIGGERS:
        op.execute(f"DROP TRIGGER org_members_recount_client_{event} ON org_members")
    for function in ("org_members_recount_client()", "lock_org_members(uuid)", "org_member_counts(uuid)"):
        op.execute(f"DROP FUNCTION {function}")
    op.get_bind().exec_driver_sql(_listing_json_of_0008())
    for name in ("user_count", "occupied_seats"):
        op.drop_column("provider_organizations", name)
    op.execute("ALTER TABLE provider_organizations RESET (fillfactor)")
    op.execute("UPDATE provider_organizations SET listing_json = NULL")  # the trigger rewrites every link
