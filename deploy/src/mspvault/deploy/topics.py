"""`python -m mspvault.deploy.topics`: create every service's events topic and its DLQ (a one-shot deploy step).

MSPVAULT_KAFKA_BOOTSTRAP (required) and MSPVAULT_TOPIC_PARTITIONS (default 6), MSPVAULT_TOPIC_REPLICATION (default
1); waits up to MSPVAULT_STARTUP_TIMEOUT seconds (default 60) for the broker. Existing topics are left as they are.
"""

from __future__ import annotations

import asyncio
import os
import sys

from mspvault.shared.infra.kafka import kafka_answers
from mspvault.shared.infra.polling import poll_until
from mspvault.shared.infra.topics import DEFAULT_PARTITIONS, ensure_topics


async def _run() -> int:
    bootstrap = os.environ.get("MSPVAULT_KAFKA_BOOTSTRAP", "").strip()
    if not bootstrap:
        print("MSPVAULT_KAFKA_BOOTSTRAP is required", file=sys.stderr)
        return 2
    partitions = int(os.environ.get("MSPVAULT_TOPIC_PARTITIONS", DEFAULT_PARTITIONS))
    replication = int(os.environ.get("MSPVAULT_TOPIC_REPLICATION", "1"))
    limit = float(os.environ.get("MSPVAULT_STARTUP_TIMEOUT", "60"))
    await poll_until(lambda: kafka_answers(bootstrap), timeout=limit, interval=0.5, what=f"broker {bootstrap}")
    created = await ensure_topics(bootstrap, partitions=partitions, replication_factor=replication)
    print(f"topics created: {', '.join(created) or 'none (all existed)'}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_run()))
