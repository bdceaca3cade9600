"""Identity's tables (SQLAlchemy Core). Domain objects are mapped by hand in `repository.py`."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, SmallInteger, String, Table, Text, UniqueConstraint, Uuid

from mspvault.shared.db.base import new_metadata
from mspvault.shared.messaging.tables import messaging_tables

metadata = new_metadata()
tables = messaging_tables(metadata)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(256), nullable=False, unique=True),
    Column("name", String(256)),
    Column("master_password_hint", String(256)),
    Column("password_hash", Text, nullable=False),
    Column("kdf_type", SmallInteger, nullable=False),
    Column("kdf_iterations", Integer, nullable=False),
    Column("kdf_memory", Integer),
    Column("kdf_parallelism", Integer),
    Column("protected_user_key", Text, nullable=False),
    Column("public_key", Text),
    Column("wrapped_private_key", Text),
    Column("security_stamp", String(64), nullable=False),
    Column("user_key_id", String(32)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The last time anything identity owns changed for a user (the gateway takes the max over all services).
user_revisions = Table(
    "user_revisions",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("revised_at", DateTime(timezone=True), nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("identifier", String(128), nullable=False),
    Column("type", SmallInteger, nullable=False),
    Column("name", String(256), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user_id", "identifier"),
)

refresh_token_families = Table(
    "refresh_token_families",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("device_id", Uuid, ForeignKey("devices.id", ondelete="CASCADE"), nullable=False),
    Column("current_digest", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

# Every token ever issued in a family (digests only), so a spent one is recognised and revokes its family.
refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("family_id", Uuid, ForeignKey("refresh_token_families.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("issued_at", DateTime(timezone=True), nullable=False),
)

# RS256 keys that sign access tokens. The private key sits in identity's own database, readable only by this
# service's role; the newest key signs, every stored key stays in the JWKS so tokens outlive a rotation.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Platform operators added at run time (`python -m mspvault.identity add-operator EMAIL`), besides settings.
operators = Table(
    "operators",
    metadata,
    Column("email", String(256), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
