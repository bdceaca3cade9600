"""Create the event topics up front, so partition counts are ours and not the broker's auto-create default."""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

from mspvault.shared.contracts.topics import all_topics
from mspvault.shared.messaging.security import KafkaAuth

DEFAULT_PARTITIONS = 6


async def ensure_topics(
    bootstrap: str,
    names: Iterable[str] | None = None,
    partitions: int = DEFAULT_PARTITIONS,
    *,
    replication_factor: int = 1,
    auth: KafkaAuth | None = None,
) -> list[str]:
    """Create each topic with `partitions` partitions unless it exists; return the names created now.

    `names` defaults to `<service>.events` and `<service>.events.dlq` for every service. A topic that already
    exists is left as it is (its partition count included).
    """
    wanted = list(all_topics() if names is None else names)
    if not wanted:
        return []
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, client_id="mspvault-topics", **(auth or KafkaAuth()).aiokafka()
    )
    await admin.start()
    try:
        response = await admin.create_topics(
            [NewTopic(name, num_partitions=partitions, replication_factor=replication_factor) for name in wanted]
        )
    finally:
        await admin.close()
    created: list[str] = []
    for name, code, *message in response.topic_errors:
        if code == 0:
            created.append(name)
        elif code != TopicAlreadyExistsError.errno:
            error = for_code(code)
            raise error(f"creating topic {name!r} failed: {message[0] if message else ''}")
    return created


async def topic_partitions(bootstrap: str, names: Iterable[str]) -> dict[str, int]:
    """Partition count of each named topic, as the broker's metadata reports it (absent topics are left out)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="mspvault-topics")
    await admin.start()
    try:
        # Describe only topics that exist: a metadata request for a missing topic may auto-create it.
        existing = set(await admin.list_topics())
        wanted = [name for name in names if name in existing]
        described = await admin.describe_topics(wanted) if wanted else []
    finally:
        await admin.close()
    return {str(t["topic"]): len(t["partitions"]) for t in described if t["error_code"] == 0}
