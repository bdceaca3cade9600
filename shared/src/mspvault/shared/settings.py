"""Typed settings, one base and one subclass per service, each with its own env prefix.

Nothing is read at import time: each process builds its settings once in its composition root, and a bad value
stops it at start with a message that names the variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mspvault.shared.messaging.security import KafkaAuth

# The invite secret's development default. Known to everyone who reads this file, so a serving process refuses it
# (`refusals`); the dev launcher gives each data directory a random secret of its own instead.
DEV_INVITE_SECRET = "dev-only-invite-secret-change-me"


class KafkaClientSettings(BaseSettings):
    """How the process authenticates to the broker (`messaging.security.KafkaAuth`): PLAINTEXT on the development
    broker; SASL with one user per service in production (docker-compose.yml, deploy/kubernetes)."""

    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = Field(default=None, description="CA bundle that signs the brokers (SSL, SASL_SSL).")

    @model_validator(mode="after")
    def _sasl_needs_a_user(self) -> Self:
        if self.kafka_security_protocol.startswith("SASL_") and not (
            self.kafka_sasl_username and self.kafka_sasl_password
        ):
            raise ValueError("kafka_sasl_username and kafka_sasl_password are required with a SASL protocol")
        return self

    def kafka_auth(self) -> KafkaAuth:
        password = self.kafka_sasl_password.get_secret_value() if self.kafka_sasl_password else None
        return KafkaAuth(
            self.kafka_security_protocol,
            self.kafka_sasl_mechanism,
            self.kafka_sasl_username,
            password,
            self.kafka_ssl_cafile,
        )


class ServiceSettings(KafkaClientSettings):
    """What every service needs: its database, the broker, its HTTP port, and where identity publishes keys."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: ClassVar[str] = "service"

    database_url: str = Field(description="SQLAlchemy URL, postgresql+asyncpg://…")
    kafka_bootstrap: str = Field(description="host:port[,host:port] of the Kafka-protocol broker")
    kafka_idempotent_producer: bool = Field(
        default=True,
        description="On for Apache Kafka; the embedded broker (Tansu) refuses InitProducerId, so off there.",
    )
    topic_partitions: int = Field(default=6, ge=1, le=1024)
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=0, le=65535)
    identity_url: str = Field(
        default="http://127.0.0.1:8001", description="Internal base URL of the identity service (JWKS)."
    )
    issuer: str = Field(default="mspvault", description="Issuer of identity's access tokens (checked everywhere).")
    log_level: str = "INFO"
    log_json: bool = True
    relay_poll_seconds: float = Field(default=0.5, gt=0, description="Outbox poll when no NOTIFY arrives.")
    # Measured on the embedded broker: FastStream's defaults (fetch wait 500 ms, consumer timeout 200 ms) put
    # ~200 ms on every event hop; these bring it to a few ms at the cost of cheap idle fetches.
    consumer_fetch_max_wait_ms: int = Field(default=50, ge=1)
    consumer_timeout_ms: int = Field(
        default=500,
        ge=1,
        description="How long an idle consumer waits for records before it looks again (records end the wait).",
    )
    consumer_max_attempts: int = Field(default=5, ge=1, description="Tries before an event goes to the DLQ.")
    consumer_retry_base_seconds: float = Field(default=0.05, ge=0)
    shutdown_delay_seconds: float = Field(
        default=0.0, ge=0, description="On SIGTERM: seconds served while not ready, before the listener closes."
    )
    graceful_timeout_seconds: float = Field(default=20.0, ge=0, description="On SIGTERM: in-flight requests' time.")
    migration_wait_seconds: float = Field(default=900.0, gt=0, description="`wait-migrated` gives up after it.")
    security_stamp_poll_seconds: float = Field(
        default=0.5, gt=0, description="How often rotated security stamps are re-read (sessions end within it)."
    )
    security_stamp_window_seconds: int = Field(
        default=86_400,
        ge=60,
        description="Rotations kept in memory; must exceed identity's access-token lifetime (older tokens expired).",
    )

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("postgresql://"):
            return "postgresql+asyncpg://" + value.removeprefix("postgresql://")
        if not value.startswith("postgresql+asyncpg://"):
            raise ValueError("database_url must be a postgresql+asyncpg:// URL")
        return value

    @property
    def events_topic(self) -> str:
        return f"{self.service_name}.events"

    def env_name(self, field: str) -> str:
        prefix = self.model_config.get("env_prefix", "")
        return f"{prefix}{field}".upper()

    def refusals(self) -> list[str]:
        """Why this configuration must not serve (empty when it may): values fine for a test, never for a server."""
        return []


class MailingServiceSettings(ServiceSettings):
    """A service that sends mail: where its mail goes and the portal's address the links in it open."""

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    public_url: str = "https://127.0.0.1:8443"


class IdentitySettings(MailingServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MSPVAULT_IDENTITY_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "identity"

    access_token_seconds: int = Field(default=3600, ge=60)
    refresh_token_days: int = Field(default=30, ge=1, description="Absolute expiry of a refresh-token family.")
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65536, ge=8192)
    password_hash_parallelism: int = Field(default=4, ge=1)
    password_hash_concurrency: int = Field(default=4, ge=1, description="Server-side hashes run at once.")
    password_hash_queue: int = Field(
        default=32, ge=0, description="Hashes that may wait for a slot; beyond them logins get 503 + Retry-After."
    )
    operators: list[str] = Field(
        default_factory=list, description="Emails of platform operators (honoured once the account verified it)."
    )
    email_verification_hours: int = Field(default=48, ge=1, description="How long an email verification link works.")
    organization_url: str = Field(
        default="http://127.0.0.1:8003",
        description="Internal base URL of the organization service: account recovery and deletion ask it.",
    )
    provider_url: str = Field(
        default="http://127.0.0.1:8002",
        description="Internal base URL of the provider service: account deletion asks it, as the caller.",
    )


class InvitingServiceSettings(MailingServiceSettings):
    """A service that mails invite links: also the signing secret of the tokens in them."""

    invite_secret: str = Field(default=DEV_INVITE_SECRET, min_length=16)

    def refusals(self) -> list[str]:
        refused = super().refusals()
        if self.invite_secret == DEV_INVITE_SECRET:
            refused.append(
                f"{self.env_name('invite_secret')} is the public development default: set a random secret "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`); `make up` sets one itself"
            )
        return refused


class ProviderSettings(InvitingServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MSPVAULT_PROVIDER_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "provider"


class OrganizationSettings(InvitingServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MSPVAULT_ORGANIZATION_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "organization"


class VaultSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MSPVAULT_VAULT_", extra="ignore", frozen=True)
    service_name: ClassVar[str] = "vault"


class LaneLimit(BaseModel):
    """One route class's lane in the gateway's load shedding (gateway/shedding.py)."""

    model_config = ConfigDict(frozen=True)

    in_flight: int = Field(ge=1, description="requests of the class running at once")
    queue: int = Field(ge=0, description="more that may wait for a place; past it, 503 at once")
    max_wait_seconds: float = Field(gt=0, description="longest wait for a place before a 503")


class GatewaySettings(KafkaClientSettings):
    """The gateway owns no database; it needs the services' internal URLs and its TLS material."""

    model_config = SettingsConfigDict(env_prefix="MSPVAULT_GATEWAY_", extra="ignore", frozen=True)

    http_host: str = "127.0.0.1"
    https_port: int = Field(default=8443, ge=0, le=65535)
    share_port: bool = Field(
        default=False,
        description="Listen with SO_REUSEPORT, so several gateway processes (workers) serve one port; "
        "the launcher sets it when MSPVAULT_GATEWAY_WORKERS is above 1.",
    )
    data_dir: Path = Path(".mspvault")
    public_url: str = "https://127.0.0.1:8443"
    identity_url: str = "http://127.0.0.1:8001"
    provider_url: str = "http://127.0.0.1:8002"
    organization_url: str = "http://127.0.0.1:8003"
    vault_url: str = "http://127.0.0.1:8004"
    kafka_bootstrap: str = ""
    log_level: str = "INFO"
    log_json: bool = True
    request_timeout_seconds: float = Field(default=30.0, gt=0)
    database_url: str | None = Field(
        default=None,
        description="PostgreSQL for the rate-limit counters every gateway replica shares (postgresql+asyncpg://…); "
        "unset, each gateway process counts on its own.",
    )
    # Abuse limits, sliding windows (docs/security.md). Bitwarden allows 10 logins per minute per IP.
    login_per_ip_per_minute: int = Field(default=10, ge=1)
    login_per_account_per_minute: int = Field(
        default=30, ge=1, description="Above the per-IP limit, so one address cannot lock an account's owner out."
    )
    prelogin_per_ip_per_minute: int = Field(default=30, ge=1)
    register_per_ip_per_hour: int = Field(default=10, ge=1)
    invites_per_org_per_hour: int = Field(default=200, ge=1, description="Invited emails per organization/provider.")
    two_factor_codes_per_account_per_hour: int = Field(
        default=10,
        ge=1,
        description="Two-step login codes tried per account and provider: a million codes cannot be guessed at it.",
    )
    revision_feed_fetch_wait_ms: int = Field(
        default=100,
        ge=1,
        description="How long the revision feed's fetch waits for new events: bounds how late a change shows in "
        "a revision-date poll answered from memory, and costs one idle fetch per interval.",
    )
    security_stamp_window_seconds: int = Field(
        default=86_400,
        ge=60,
        description="Rotations kept in memory; must exceed identity's access-token lifetime (older tokens expired).",
    )
    operator_cache_seconds: float = Field(
        default=30.0, gt=0, le=30, description="How long identity's answer to 'is this caller an operator' is kept."
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of the reverse proxies in front of the gateway, e.g. "
        '["10.0.0.0/8"]: only a request from one of them has its X-Forwarded-For believed (for rate limits, logs '
        "and audit). Empty: the connecting address is the client, whatever a caller writes in that header.",
    )
    max_request_body_bytes: int = Field(
        default=4 * 1024 * 1024,
        ge=64 * 1024,
        description="Largest request body the gateway accepts (413 above it); a vault import of thousands of items "
        "fits, a memory-filling upload does not.",
    )
    max_import_body_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=64 * 1024,
        description="Largest body of a vault import (`/api/ciphers/import`, `/api/ciphers/import-organization`): "
        "Bitwarden's limits allow 40,000 items in one request, about 1 KiB each once encrypted.",
    )
    import_timeout_seconds: float = Field(
        default=300.0, gt=0, description="How long the gateway waits for the vault to store one import."
    )
    portal_dir: Path = Field(
        default=Path("portal/dist"), description="the Provider Portal's build (`make portal`), served at /"
    )
    tls_cert_file: Path | None = Field(
        default=None, description="PEM chain to serve (with tls_key_file); unset, the development CA signs one"
    )
    tls_key_file: Path | None = None
    shutdown_delay_seconds: float = Field(
        default=0.0, ge=0, description="On SIGTERM: seconds served while not ready, before the listener closes."
    )
    graceful_timeout_seconds: float = Field(default=20.0, ge=0, description="On SIGTERM: in-flight requests' time.")
    # Load shedding (gateway/shedding.py): a bounded lane per route class, then 503 + Retry-After. Each is JSON in
    # the environment, e.g. MSPVAULT_GATEWAY_SHED_HEAVY='{"in_flight":4,"queue":8,"max_wait_seconds":1.0}'.
    # Heavy's wait is set from `make bench BENCH=sync_load` on a quiet 2-core machine (2026-12-03): with 0.8 s, 1.3 %
    # of 20 syncs/s were shed at capacity; at 3x offered the accepted p95 was 809 ms, room under the 1,450 ms goal.
    shed_heavy: LaneLimit = LaneLimit(in_flight=4, queue=8, max_wait_seconds=1.0)
    shed_login: LaneLimit = LaneLimit(in_flight=8, queue=64, max_wait_seconds=10.0)
    shed_write: LaneLimit = LaneLimit(in_flight=32, queue=256, max_wait_seconds=10.0)
    shed_read: LaneLimit = LaneLimit(in_flight=64, queue=512, max_wait_seconds=10.0)
    shed_retry_after_seconds: int = Field(default=2, ge=1, le=3600)
