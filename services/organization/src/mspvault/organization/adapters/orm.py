"""The organization service's tables: its own data, its read models, the outbox/inbox and the mail outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

from mspvault.shared.audit import audit_columns
from mspvault.shared.auth.stamps import security_stamps_table
from mspvault.shared.db.base import new_metadata
from mspvault.shared.db.revisions import user_revisions_table
from mspvault.shared.mail import mail_table
from mspvault.shared.messaging.tables import messaging_tables

metadata = new_metadata()
tables = messaging_tables(metadata)
mail_outbox = mail_table(metadata)


def _timestamps() -> list[Column[Any]]:
    return [
        Column("creation_date", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("revision_date", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


organizations = Table(
    "organizations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("billing_email", String(320), nullable=False),
    Column("plan_type", SmallInteger, nullable=False),
    Column("seats", Integer),
    Column("max_collections", Integer),
    Column("enabled", Boolean, nullable=False, server_default="true"),
    # The provider (MSP) this organization is a client of; its confirmed users act as Owners here.
    Column("provider_id", Uuid, index=True),
    Column("public_key", Text),
    Column("encrypted_private_key", Text),
    Column("features", JSONB, nullable=False),
    *_timestamps(),
)

members = Table(
    "members",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organization_id", Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Uuid),
    Column("email", String(320), nullable=False),
    Column("type", SmallInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("pre_revoke_status", SmallInteger),
    Column("key", Text),
    Column("permissions", JSONB),
    Column("access_secrets_manager", Boolean, nullable=False, server_default="false"),
    Column("external_id", String(300)),
    Column("invite_nonce", String(64)),
    # Account recovery: the member's user key wrapped to the organization's public key (type-4 EncString).
    Column("reset_password_key", Text),
    *_timestamps(),
    UniqueConstraint("organization_id", "email", name="uq_members_organization_id_email"),
    UniqueConstraint("organization_id", "user_id", name="uq_members_organization_id_user_id"),
    Index("ix_members_user_id", "user_id"),
)

collections = Table(
    "collections",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organization_id", Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("external_id", String(300)),
    *_timestamps(),
)


def _collection_grants(name: str, holder: str, holders: str) -> Table:
    """Who reaches which collection, and how (the grant's three flags): a row per collection and holder (a member or
    a group, a row of `holders`); deleting either end deletes the row."""
    return Table(
        name,
        metadata,
        Column("collection_id", Uuid, ForeignKey("collections.id", ondelete="CASCADE"), nullable=False),
        Column(holder, Uuid, ForeignKey(f"{holders}.id", ondelete="CASCADE"), nullable=False, index=True),
        Column("read_only", Boolean, nullable=False, server_default="false"),
        Column("hide_passwords", Boolean, nullable=False, server_default="false"),
        Column("manage", Boolean, nullable=False, server_default="false"),
        PrimaryKeyConstraint("collection_id", holder),
    )


collection_users = _collection_grants("collection_users", "member_id", "members")

groups = Table(
    "groups",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organization_id", Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("external_id", String(300)),
    *_timestamps(),
)

group_members = Table(
    "group_members",
    metadata,
    Column("group_id", Uuid, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", Uuid, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    PrimaryKeyConstraint("group_id", "member_id"),
)

collection_groups = _collection_grants("collection_groups", "group_id", "groups")

policies = Table(
    "policies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organization_id", Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
    Column("type", SmallInteger, nullable=False),
    Column("enabled", Boolean, nullable=False, server_default="false"),
    Column("data", JSONB),
    *_timestamps(),
    UniqueConstraint("organization_id", "type", name="uq_policies_organization_id_type"),
)

# The organization's API key (domain/api_key.py): shown again to Owners, so kept as issued.
organization_api_keys = Table(
    "organization_api_keys",
    metadata,
    Column("organization_id", Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
    Column("client_secret", String(64), nullable=False),
    Column("stamp", String(64), nullable=False),
    Column("revision_date", DateTime(timezone=True), nullable=False),
)

# --- read models fed by other services' events -------------------------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(320), nullable=False, index=True),
    Column("name", String(300)),
    Column("public_key", Text),
    # Whether the user has two-step login on (identity's TwoFactor* events), and when identity recorded the event
    # it reflects: the Require two-step login policy reads it; an older event replayed later is skipped.
    Column("two_factor_enabled", Boolean, nullable=False, server_default="false"),
    Column("two_factor_as_of", DateTime(timezone=True)),
)

providers = Table(
    "providers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(300), nullable=False),
    Column("type", SmallInteger, nullable=False, server_default="0"),
    Column("enabled", Boolean, nullable=False, server_default="true"),
)

# Only confirmed, unrevoked provider users reach client organizations; the rest are kept for ordering's sake.
provider_users = Table(
    "provider_users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("provider_id", Uuid, nullable=False, index=True),
    Column("user_id", Uuid),
    Column("type", SmallInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("revoked", Boolean, nullable=False, server_default="false"),
    # When the provider recorded the event this row reflects: older events are ignored (a replay after a revocation
    # must not restore access). A removed provider user stays as a revoked row for the same reason.
    Column("source_at", DateTime(timezone=True)),
    Index("ix_provider_users_user_id", "user_id"),
)

user_revisions = user_revisions_table(metadata, default_now=True)

# The organization's audit log (Bitwarden events), fed by its own events and the vault's for org items.
audit_events = Table(
    "audit_events",
    metadata,
    *audit_columns(),
    # Pages are read newest first, per organization, and per acting user within one.
    Index("ix_audit_events_organization_id_date", "organization_id", "date", "id"),
    Index("ix_audit_events_organization_id_acting_user_id_date", "organization_id", "acting_user_id", "date", "id"),
)

__all__ = [
    "audit_events",
    "collection_groups",
    "collection_users",
    "collections",
    "group_members",
    "groups",
    "mail_outbox",
    "members",
    "metadata",
    "organization_api_keys",
    "organizations",
    "policies",
    "provider_users",
    "providers",
    "tables",
    "user_revisions",
    "users",
]

# The newest security stamp of each user whose sessions ended (`SecurityStampRotated`): tokens carrying another are
# refused (`mspvault.shared.auth.stamps`).
security_stamps = security_stamps_table(metadata)
