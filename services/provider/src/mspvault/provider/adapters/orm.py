"""The provider service's tables: what it owns, the read models it keeps from other services, and plumbing."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from mspvault.shared.audit.storage import audit_columns
from mspvault.shared.auth.stamps import security_stamps_table
from mspvault.shared.db.base import new_metadata
from mspvault.shared.db.revisions import user_revisions_table
from mspvault.shared.mail import mail_table
from mspvault.shared.messaging.tables import messaging_tables

metadata = new_metadata()
tables = messaging_tables(metadata)
mail_outbox = mail_table(metadata)

providers = Table(
    "providers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(50), nullable=False),
    Column("business_name", String(50)),
    Column("billing_email", String(256)),
    Column("type", SmallInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("use_events", Boolean, nullable=False),
    Column("seat_minimum_teams", Integer, nullable=False, server_default="0"),
    Column("seat_minimum_enterprise", Integer, nullable=False, server_default="0"),
    Column("creation_date", DateTime(timezone=True), nullable=False),
    Column("revision_date", DateTime(timezone=True), nullable=False),
)

provider_users = Table(
    "provider_users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("provider_id", Uuid, ForeignKey("providers.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Uuid),
    Column("email", String(320), nullable=False),
    Column("type", SmallInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("status_before_revoke", SmallInteger),
    Column("key", Text),
    Column("invite_nonce", String(64)),
    Column("creation_date", DateTime(timezone=True), nullable=False),
    Column("revision_date", DateTime(timezone=True), nullable=False),
    Index("uq_provider_users_provider_id_email", "provider_id", "email", unique=True),
    # One row per account and provider; also the lookup of "my providers" for sync.
    Index(
        "uq_provider_users_user_id_provider_id",
        "user_id",
        "provider_id",
        unique=True,
        postgresql_where=text("user_id IS NOT NULL"),
    ),
)

provider_organizations = Table(
    "provider_organizations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("provider_id", Uuid, ForeignKey("providers.id", ondelete="CASCADE"), nullable=False),
    # An organization belongs to at most one provider.
    Column("organization_id", Uuid, nullable=False, unique=True),
    Column("key", Text),
    Column("settings", JSONB, nullable=False),
    Column("seats", Integer, nullable=False),
    Column("plan_type", SmallInteger, nullable=False),
    Column("organization_name", String(256), nullable=False),
    Column("creation_date", DateTime(timezone=True), nullable=False),
    Column("revision_date", DateTime(timezone=True), nullable=False),
    # The organization's member counts (confirmed users, seats taken) and the link's JSON in the client list with
    # them: written by triggers, never by the code (migrations 0008, 0009): the counts when the link is inserted and
    # whenever a statement changes the organization's `org_members`, the JSON on every insert and update. The table
    # keeps a fifth of each page free (fillfactor 80, 0009), so those updates stay on their page.
    Column("user_count", Integer, nullable=False, server_default="0"),
    Column("occupied_seats", Integer, nullable=False, server_default="0"),
    Column("listing_json", Text),
    # Client listing and sync read the links of one provider in (name, id) order, a page at a time from a key.
    Index("ix_provider_organizations_provider_id_name_id", "provider_id", "organization_name", "id"),
    # A provider user's revision date reads the provider's latest link change (`queries.revision_date`).
    Index("ix_provider_organizations_provider_id_revision_date", "provider_id", "revision_date"),
    # The client search: a name containing what was typed, ignoring case (pg_trgm answers ILIKE '%…%').
    Index(
        "ix_provider_organizations_name_trgm",
        "organization_name",
        postgresql_using="gin",
        postgresql_ops={"organization_name": "gin_trgm_ops"},
        # Without a pending list, a search costs what the planner expects right after clients are added.
        postgresql_with={"fastupdate": "off"},
    ),
)

# ---- read models fed by events ----------------------------------------------------------------------------------
users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(320)),
    Column("name", String(256)),
    Column("public_key", Text),
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(256), nullable=False),
    Column("provider_id", Uuid),
    Column("plan_type", SmallInteger, nullable=False),
    Column("seats", Integer),
    Column("enabled", Boolean, nullable=False, server_default=text("true")),
)

org_members = Table(
    "org_members",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("organization_id", Uuid, nullable=False),
    Column("user_id", Uuid),
    Column("type", SmallInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    # When the organization recorded the event this row reflects; older events are ignored (issue 11 #5).
    Column("source_at", DateTime(timezone=True)),
    Index("ix_org_members_organization_id", "organization_id"),
    Index("ix_org_members_user_id", "user_id"),
)

user_revisions = user_revisions_table(metadata)

# ---- the audit log ----------------------------------------------------------------------------------------------
# Bitwarden events: the provider's own (provider_id), what its users did inside client organizations (provider_id,
# the acting provider), and everything that happened in its clients while they were (client_provider_id).
audit_events = Table(
    "audit_events",
    metadata,
    *audit_columns(),
    Column("client_provider_id", Uuid),
    Index("ix_audit_events_provider_id_date", "provider_id", "date", "id"),
    Index("ix_audit_events_provider_id_acting_user_id_date", "provider_id", "acting_user_id", "date", "id"),
    Index("ix_audit_events_client_provider_id_date", "client_provider_id", "date", "id"),
)

# The newest security stamp of each user whose sessions ended (`SecurityStampRotated`): tokens carrying another are
# refused (`mspvault.shared.auth.stamps`).
security_stamps = security_stamps_table(metadata)
