"""One place that builds Kafka producers, so every publisher uses acks=all and the same idempotence setting."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from mspvault.shared.messaging.security import KafkaAuth


def make_producer(
    bootstrap: str, *, idempotent: bool, client_id: str, auth: KafkaAuth | None = None
) -> AIOKafkaProducer:
    # The embedded broker refuses InitProducerId, so idempotence is a setting; aiokafka keeps one in-flight batch
    # per partition, so per-key order holds either way.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=idempotent,
        client_id=client_id,
        linger_ms=2,
        request_timeout_ms=15000,
        **(auth or KafkaAuth()).aiokafka(),
    )
