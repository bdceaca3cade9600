"""How a process authenticates to Kafka, from its settings: nothing on the development broker, SASL/SCRAM with its
own user in production (docker-compose.yml, the Kubernetes chart)."""

from __future__ import annotations

import pytest
from faststream.security import SASLScram512
from pydantic import ValidationError

from mspvault.shared.messaging.security import KafkaAuth
from mspvault.shared.settings import GatewaySettings, VaultSettings

DB = "postgresql+asyncpg://vault@db/vault"


def test_plaintext_by_default_adds_nothing() -> None:
    auth = VaultSettings(database_url=DB, kafka_bootstrap="k:9092").kafka_auth()
    assert auth == KafkaAuth()
    assert auth.aiokafka() == {}
    assert auth.faststream() is None


def test_sasl_scram_reaches_every_client_and_the_password_is_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSPVAULT_VAULT_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("MSPVAULT_VAULT_KAFKA_SASL_USERNAME", "vault")
    monkeypatch.setenv("MSPVAULT_VAULT_KAFKA_SASL_PASSWORD", "s3cret-pw")
    settings = VaultSettings(database_url=DB, kafka_bootstrap="k:9092")
    assert "s3cret-pw" not in repr(settings)
    auth = settings.kafka_auth()
    assert "s3cret-pw" not in repr(auth)
    assert auth.aiokafka() == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "vault",
        "sasl_plain_password": "s3cret-pw",
    }
    assert isinstance(auth.faststream(), SASLScram512)


def test_sasl_without_a_user_stops_the_process_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSPVAULT_GATEWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    with pytest.raises(ValidationError, match="kafka_sasl_username"):
        GatewaySettings()
