"""Each service measures its own consumer group's lag and exports it to Prometheus.

Measured from the broker (committed offset vs the partition's true end, through the ops Kafka adapter), not from
the consumer's in-memory position vs high watermark: a stuck or paused consumer stops fetching, so its high
watermark goes stale exactly when the lag matters.
"""

from __future__ import annotations

import asyncio
import contextlib

from prometheus_client import Gauge

from mspvault.shared.messaging.security import KafkaAuth
from mspvault.shared.observability.logging import get_logger
from mspvault.shared.ops.kafka_admin import KafkaAdmin

log = get_logger(__name__)

LAG = Gauge("mspvault_consumer_lag", "Records not yet consumed", ["group", "topic", "partition"])
LAG_SECONDS = Gauge(
    "mspvault_consumer_lag_seconds", "Age of the oldest record not yet consumed", ["group", "topic", "partition"]
)
INTERVAL_SECONDS = 15.0


async def measure_once(admin: KafkaAdmin, group: str, topics: list[str]) -> int:
    """Set the gauges for `group` on `topics`; returns the total lag."""
    total = 0
    for entry in await admin.lag(group, topics, with_time=True):
        labels = (group, entry.topic, str(entry.partition))
        LAG.labels(*labels).set(entry.lag)
        LAG_SECONDS.labels(*labels).set(entry.lag_seconds or 0.0)
        total += entry.lag
    return total


async def run_lag_monitor(
    bootstrap: str,
    group: str,
    topics: list[str],
    stop: asyncio.Event,
    interval: float = INTERVAL_SECONDS,
    *,
    auth: KafkaAuth | None = None,
) -> None:
    """Measure every `interval` seconds until `stop`; a measurement in flight is cancelled at stop, so a broker
    that does not answer never delays the service's shutdown."""
    if not topics:
        return
    worker = asyncio.create_task(_measure_forever(bootstrap, group, topics, interval, auth or KafkaAuth()))
    try:
        await stop.wait()
    finally:
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker


async def _measure_forever(bootstrap: str, group: str, topics: list[str], interval: float, auth: KafkaAuth) -> None:
    while True:
        try:
            async with KafkaAdmin.open(bootstrap, client_id=f"mspvault-{group}-lag", auth=auth) as admin:
                while True:
                    await measure_once(admin, group, topics)
                    await asyncio.sleep(interval)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a broker outage must not end the service; try again later
            log.warning("lag.measure_failed", error=type(error).__name__)
            await asyncio.sleep(interval)
