"""Vault's initial schema: ciphers, folders, per-user prefs, collection links, revision dates, the read models
(users, organizations, members, collections and their access, provider users and client links), outbox/inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 04:53:21.285177
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ciphers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.SmallInteger(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("reprompt", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("fields", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("password_history", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("(user_id IS NULL) <> (organization_id IS NULL)", name=op.f("ck_ciphers_one_owner")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ciphers")),
    )
    op.create_index("ix_ciphers_organization_id", "ciphers", ["organization_id"], unique=False)
    op.create_index("ix_ciphers_user_id", "ciphers", ["user_id"], unique=False)
    op.create_table(
        "collection_access",
        sa.Column("collection_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("read_only", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("hide_passwords", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("manage", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("collection_id", "user_id", name=op.f("pk_collection_access")),
    )
    op.create_index("ix_collection_access_user_id", "collection_access", ["user_id"], unique=False)
    op.create_table(
        "collections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collections")),
    )
    op.create_index("ix_collections_organization_id", "collections", ["organization_id"], unique=False)
    op.create_table(
        "folders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_folders")),
    )
    op.create_index("ix_folders_user_id", "folders", ["user_id"], unique=False)
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_inbox")),
    )
    op.create_table(
        "org_members",
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("type", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("access_all", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("edit_any_collection", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("permissions", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_org_members")),
    )
    op.create_index("ix_org_members_organization_id", "org_members", ["organization_id"], unique=False)
    op.create_index("ix_org_members_user_id", "org_members", ["user_id"], unique=False)
    op.create_table(
        "organizations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=True),
        sa.Column("envelope", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    op.create_index("ix_outbox_unsent", "outbox", ["id"], unique=False, postgresql_where=sa.text("sent_at IS NULL"))
    op.create_table(
        "provider_clients",
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("linked", sa.Boolean(), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("provider_access_to_items", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_provider_clients")),
    )
    op.create_index("ix_provider_clients_provider_id", "provider_clients", ["provider_id"], unique=False)
    op.create_table(
        "provider_users",
        sa.Column("provider_user_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("confirmed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("provider_user_id", name=op.f("pk_provider_users")),
    )
    op.create_index("ix_provider_users_provider_id", "provider_users", ["provider_id"], unique=False)
    op.create_index("ix_provider_users_user_id", "provider_users", ["user_id"], unique=False)
    op.create_table(
        "user_revisions",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("revised_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_revisions")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_table(
        "cipher_user_prefs",
        sa.Column("cipher_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("folder_id", sa.Uuid(), nullable=True),
        sa.Column("favorite", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cipher_id"], ["ciphers.id"], name=op.f("fk_cipher_user_prefs_cipher_id_ciphers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["folder_id"], ["folders.id"], name=op.f("fk_cipher_user_prefs_folder_id_folders"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("cipher_id", "user_id", name=op.f("pk_cipher_user_prefs")),
    )
    op.create_index("ix_cipher_user_prefs_folder_id", "cipher_user_prefs", ["folder_id"], unique=False)
    op.create_index("ix_cipher_user_prefs_user_id", "cipher_user_prefs", ["user_id"], unique=False)
    op.create_table(
        "collection_ciphers",
        sa.Column("collection_id", sa.Uuid(), nullable=False),
        sa.Column("cipher_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cipher_id"], ["ciphers.id"], name=op.f("fk_collection_ciphers_cipher_id_ciphers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("collection_id", "cipher_id", name=op.f("pk_collection_ciphers")),
    )
    op.create_index("ix_collection_ciphers_cipher_id", "collection_ciphers", ["cipher_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_collection_ciphers_cipher_id", table_name="collection_ciphers")
    op.drop_table("collection_ciphers")
    op.drop_index("ix_cipher_user_prefs_user_id", table_name="cipher_user_prefs")
    op.drop_index("ix_cipher_user_prefs_folder_id", table_name="cipher_user_prefs")
    op.drop_table("cipher_user_prefs")
    op.drop_table("users")
    op.drop_table("user_revisions")
    op.drop_index("ix_provider_users_user_id", table_name="provider_users")
    op.drop_index("ix_provider_users_provider_id", table_name="provider_users")
    op.drop_table("provider_users")
    op.drop_index("ix_provider_clients_provider_id", table_name="provider_clients")
    op.drop_table("provider_clients")
    op.drop_index("ix_outbox_unsent", table_name="outbox", postgresql_where=sa.text("sent_at IS NULL"))
    op.drop_table("outbox")
    op.drop_table("organizations")
    op.drop_index("ix_org_members_user_id", table_name="org_members")
    op.drop_index("ix_org_members_organization_id", table_name="org_members")
    op.drop_table("org_members")
    op.drop_table("inbox")
    op.drop_index("ix_folders_user_id", table_name="folders")
    op.drop_table("folders")
    op.drop_index("ix_collections_organization_id", table_name="collections")
    op.drop_table("collections")
    op.drop_index("ix_collection_access_user_id", table_name="collection_access")
    op.drop_table("collection_access")
    op.drop_index("ix_ciphers_user_id", table_name="ciphers")
    op.drop_index("ix_ciphers_organization_id", table_name="ciphers")
    op.drop_table("ciphers")
