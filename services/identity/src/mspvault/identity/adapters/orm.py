"""Identity's tables (SQLAlchemy Core). Domain objects are mapped by hand in `repository.py`."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
)

from mspvault.shared.auth.stamps import security_stamps_table
from mspvault.shared.db.base import new_metadata
from mspvault.shared.db.revisions import user_revisions_table
from mspvault.shared.mail import mail_table
from mspvault.shared.messaging.tables import messaging_tables

metadata = new_metadata()
tables = messaging_tables(metadata)
mail_outbox = mail_table(metadata)  # two-step login codes, email verification links

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
    Column("email_verified_at", DateTime(timezone=True)),
    # An admin recovered the account: the user must replace that password (update-temp-password) before using it.
    Column("force_password_reset", Boolean, nullable=False, server_default=false()),
)

# The last time anything identity owns changed for a user (the gateway takes the max over all services).
user_revisions = user_revisions_table(metadata, users_table="users")

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

# Platform operators added at run time (`python -m mspvault.identity add-operator EMAIL`), besides settings: bound
# to an account whose email was verified, not to an address someone may register first (issue 11 #2).
operators = Table(
    "operators",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Two-step login (domain/two_factor.py): one row per user who ever set a provider up. The authenticator key and the
# recovery code are kept as they are (both must be shown or checked again, as Bitwarden keeps them); mailed codes
# only as digests.
two_factor = Table(
    "two_factor",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("authenticator_key", String(128)),
    Column("authenticator_last_step", BigInteger, nullable=False, server_default="0"),
    Column("email", String(256)),
    Column("recovery_code", String(64)),
    Column("email_setup_address", String(256)),
    Column("email_setup_digest", String(64)),
    Column("email_setup_expires_at", DateTime(timezone=True)),
    Column("email_login_digest", String(64)),
    Column("email_login_expires_at", DateTime(timezone=True)),
)

# Devices that may skip the second step (twoFactorRemember): the digest of the token handed out once.
remembered_devices = Table(
    "remembered_devices",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("device_identifier", String(128), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# Personal API keys (client_credentials, client_id `user.<id>`): shown again on request, as Bitwarden does, so kept
# as issued; rotating replaces it at once.
api_keys = Table(
    "api_keys",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("client_secret", String(64), nullable=False),
    Column("revision_date", DateTime(timezone=True), nullable=False),
)

# The newest security stamp of each account that rotated one (`mspvault.shared.auth.stamps`): every identity process
# reads it to refuse tokens of ended sessions, as the other services read theirs.
security_stamps = security_stamps_table(metadata)

# Read model of the organizations' API keys (organization.events → OrganizationApiKeyRotated): the digest checks a
# `client_credentials` secret for `organization.<id>`, the stamp goes into its tokens. Identity's only read model.
organization_api_keys = Table(
    "organization_api_keys",
    metadata,
    Column("organization_id", Uuid, primary_key=True),
    Column("client_secret_digest", String(64), nullable=False),
    Column("key_stamp", String(64), nullable=False),
    Column("as_of", DateTime(timezone=True), nullable=False),
)
