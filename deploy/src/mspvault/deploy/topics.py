"""`python -m mspvault.deploy.topics`: create every service's events topic and its DLQ (a one-shot deploy step).

MSPVAULT_KAFKA_BOOTSTRAP (required) and MSPVAULT_TOPIC_PARTITIONS (default 6), MSPVAULT_TOPIC_REPLICATION (default
1); waits up to MSPVAULT_STARTUP_TIMEOUT seconds (default 60) for the broker. Existing topics are left as they are.
A broker that wants SASL: MSPVAULT_KAFKA_SECURITY_PROTOCOL, _SASL_MECHANISM, _SASL_USERNAME, _SASL_PASSWORD,
_SSL_CAFILE (an administrator: creating topics is theirs, never a service's).
"""

from __future__ import annotations

import asyncio
import os
import sys

from pydantic_settings import SettingsConfigDict

from mspvault.shared.infra.kafka import kafka_answers
from mspvault.shared.infra.polling import poll_until
from mspvault.shared.infra.topics import DEFAULT_PARTITIONS, ensure_topics
from mspvault.shared.settings import KafkaClientSettings


class TopicsJobSettings(KafkaClientSettings):
    model_config = SettingsConfigDict(env_prefix="MSPVAULT_", extra="ignore", frozen=True)


async def _run() -> int:
    bootstrap = os.environ.get("MSPVAULT_KAFKA_BOOTSTRAP", "").strip()
    if not bootstrap:
        print("MSPVAULT_KAFKA_BOOTSTRAP is required", file=sys.stderr)
        return 2
    partitions = int(os.environ.get("MSPVAULT_TOPIC_PARTITIONS", DEFAULT_PARTITIONS))
    replication = int(os.environ.get("MSPVAULT_TOPIC_REPLICATION", "1"))
    limit = float(os.environ.get("MSPVAULT_STARTUP_TIMEOUT", "60"))
    auth = TopicsJobSettings().kafka_auth()
    await poll_until(
        lambda: kafka_answers(bootstrap, auth=auth), timeout=limit, interval=0.5, what=f"broker {bootstrap}"
    )
    created = await ensure_topics(bootstrap, partitions=partitions, replication_factor=replication, auth=auth)
    print(f"topics created: {', '.join(created) or 'none (all existed)'}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_run()))
