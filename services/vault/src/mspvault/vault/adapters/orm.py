"""The vault's tables: what it owns (ciphers, folders, per-user prefs, collection links, revision dates) and the read
models it keeps from other services' events (users, organizations, memberships, collections, provider access)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
    false,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB

from mspvault.shared.audit import audit_columns
from mspvault.shared.auth.stamps import security_stamps_table
from mspvault.shared.db.base import new_metadata
from mspvault.shared.db.revisions import user_revisions_table
from mspvault.shared.messaging.tables import MessagingTables, messaging_tables

metadata = new_metadata()
tables: MessagingTables = messaging_tables(metadata)

# --- owned ---------------------------------------------------------------------------------------------------------

ciphers = Table(
    "ciphers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("type", SmallInteger, nullable=False),
    # Exactly one owner: a user (personal item) or an organization.
    Column("user_id", Uuid, nullable=True),
    Column("organization_id", Uuid, nullable=True),
    Column("name", Text, nullable=False),
    Column("notes", Text, nullable=True),
    Column("key", Text, nullable=True),
    Column("reprompt", SmallInteger, nullable=False, server_default="0"),
    Column("data", JSONB, nullable=False),
    Column("fields", JSONB(none_as_null=True), nullable=True),
    Column("password_history", JSONB(none_as_null=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    CheckConstraint("(user_id IS NULL) <> (organization_id IS NULL)", name="one_owner"),
    Index("ix_ciphers_user_id", "user_id"),
    Index("ix_ciphers_organization_id", "organization_id"),
)

folders = Table(
    "folders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("name", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_folders_user_id", "user_id"),
)

# Favorite, folder and archive date are the user's own view of a cipher, not part of it (shared items too).
cipher_user_prefs = Table(
    "cipher_user_prefs",
    metadata,
    Column("cipher_id", Uuid, ForeignKey("ciphers.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Uuid, primary_key=True),
    Column("folder_id", Uuid, ForeignKey("folders.id", ondelete="SET NULL"), nullable=True),
    Column("favorite", Boolean, nullable=False, server_default=false()),
    Column("archived_at", DateTime(timezone=True), nullable=True),
    Index("ix_cipher_user_prefs_user_id", "user_id"),
    Index("ix_cipher_user_prefs_folder_id", "folder_id"),
)

collection_ciphers = Table(
    "collection_ciphers",
    metadata,
    Column("collection_id", Uuid, primary_key=True),
    Column("cipher_id", Uuid, ForeignKey("ciphers.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_collection_ciphers_cipher_id", "cipher_id"),
)

user_revisions = user_revisions_table(metadata)

# --- read models (fed by identity, organization and provider events) ----------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(320), nullable=False),
    Column("name", Text, nullable=True),
    Column("public_key", Text, nullable=True),
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", Text, nullable=False),
    Column("enabled", Boolean, nullable=False, server_default=true()),
)

org_members = Table(
    "org_members",
    metadata,
    Column("member_id", Uuid, primary_key=True),
    Column("organization_id", Uuid, nullable=False),
    Column("user_id", Uuid, nullable=True),
    Column("type", SmallInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("access_all", Boolean, nullable=False, server_default=false()),
    Column("edit_any_collection", Boolean, nullable=False, server_default=false()),
    Column("permissions", JSONB(none_as_null=True), nullable=True),
    # When the organization recorded the event this row reflects; older events are ignored (issue 11 #5), and a
    # removed member stays as a revoked row without an account.
    Column("source_at", DateTime(timezone=True)),
    Index("ix_org_members_user_id", "user_id"),
    Index("ix_org_members_organization_id", "organization_id"),
)

collections = Table(
    "collections",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("organization_id", Uuid, nullable=False),
    # When the organization recorded the access list we hold; an older list is ignored (issue 11 #5).
    Column("access_as_of", DateTime(timezone=True)),
    # Set when the collection was deleted: the row stays as a tombstone, so an access list (or a Created) replayed
    # later cannot bring the collection, and the access it granted, back.
    Column("deleted_at", DateTime(timezone=True)),
    Index("ix_collections_organization_id", "organization_id"),
)

# The effective user list of each collection, replaced whole by every CollectionAccessChanged.
collection_access = Table(
    "collection_access",
    metadata,
    Column("collection_id", Uuid, primary_key=True),
    Column("user_id", Uuid, primary_key=True),
    Column("organization_id", Uuid, nullable=False),
    Column("read_only", Boolean, nullable=False, server_default=false()),
    Column("hide_passwords", Boolean, nullable=False, server_default=false()),
    Column("manage", Boolean, nullable=False, server_default=false()),
    Index("ix_collection_access_user_id", "user_id"),
)

provider_users = Table(
    "provider_users",
    metadata,
    Column("provider_user_id", Uuid, primary_key=True),
    Column("provider_id", Uuid, nullable=False),
    Column("user_id", Uuid, nullable=True),
    Column("confirmed", Boolean, nullable=False, server_default=false()),
    Column("revoked", Boolean, nullable=False, server_default=false()),
    # When the provider recorded the event this row reflects: older events are ignored (a Confirmed replayed after a
    # revocation must not restore access); a removed provider user stays as a revoked row without an account.
    Column("source_at", DateTime(timezone=True)),
    Index("ix_provider_users_user_id", "user_id"),
    Index("ix_provider_users_provider_id", "provider_id"),
)

# Which provider manages which client organization. Links arrive on two topics (provider and organization events)
# with no order between them, so each row remembers the time of the event it reflects and older news is ignored;
# an unlink stays as `linked = false` for the same reason.
provider_clients = Table(
    "provider_clients",
    metadata,
    Column("organization_id", Uuid, primary_key=True),
    Column("provider_id", Uuid, nullable=False),
    Column("linked", Boolean, nullable=False),
    Column("as_of", DateTime(timezone=True), nullable=False),
    # Whether the provider's users reach the client's items (ClientSettingsChanged; set on ClientOrgCreated/Added).
    Column("provider_access_to_items", Boolean, nullable=False, server_default=true()),
    Index("ix_provider_clients_provider_id", "provider_id"),
)

# --- the audit log ---------------------------------------------------------------------------------------------------

# Bitwarden events of items (personal and organization), fed by the vault's own events; read per item.
audit_events = Table(
    "audit_events",
    metadata,
    *audit_columns(),
    Index("ix_audit_events_cipher_id_date", "cipher_id", "date", "id"),
)

# The newest security stamp of each user whose sessions ended (`SecurityStampRotated`): tokens carrying another are
# refused (`mspvault.shared.auth.stamps`).
security_stamps = security_stamps_table(metadata)
