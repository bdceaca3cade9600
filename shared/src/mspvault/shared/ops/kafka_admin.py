"""The one adapter through which operator tooling reads the broker: topics and offsets, groups and lag, records.

It speaks standard Kafka first. The embedded broker (Tansu, docs: reference/broker-notes.md) has two known quirks,
worked around here and only when the broker is Tansu (found by its cluster id, or forced by `flavor`):
- ListOffsets(latest) after a batched produce answers the last batch's base offset + 1, not the last record's
  offset + 1. The true end is found by fetching from that offset: the fetch returns the whole last batch, and its
  high watermark is right.
- The admin client's OffsetFetch for a whole group breaks the connection. Committed offsets are read instead with a
  consumer that carries the group id but never subscribes, so it never joins (or rebalances) the live group.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Literal

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from mspvault.shared.messaging.security import KafkaAuth

Flavor = Literal["kafka", "tansu"]

# Topics Kafka keeps for itself; never shown as application topics.
INTERNAL_PREFIXES = ("__",)
FETCH_TIMEOUT_MS = 1000
READER_FETCH_WAIT_MS = 5


@dataclass(frozen=True)
class PartitionOffsets:
    topic: str
    partition: int
    start: int  # log start offset: the oldest record still kept
    end: int  # the offset the next record will get (high watermark)

    @property
    def messages(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    committed: int | None  # None: the group never committed here (it reads from the log start)
    end: int
    lag: int
    lag_seconds: float | None = None  # how long the oldest unconsumed record has waited (when asked for)


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None
    headers: dict[str, str]


def detect_flavor(cluster_id: str | None) -> Flavor:
    return "tansu" if (cluster_id or "").lower().startswith("tansu") else "kafka"


class KafkaAdmin:
    """Use as `async with KafkaAdmin.open(bootstrap) as admin:`; one admin client and one group-less reader."""

    def __init__(
        self,
        bootstrap: str,
        *,
        flavor: Flavor | None = None,
        client_id: str = "mspvault-ops",
        auth: KafkaAuth | None = None,
    ) -> None:
        self.bootstrap = bootstrap
        self._auth = (auth or KafkaAuth()).aiokafka()
        self._forced_flavor = flavor
        self._flavor: Flavor | None = flavor
        self._client_id = client_id
        self._admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id=client_id, **self._auth)
        self._reader = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            **self._auth,
            client_id=f"{client_id}-reader",
            enable_auto_commit=False,
            group_id=None,
            # The reader hops between partitions; a fetch parked at a partition's end would hold up the next hop.
            fetch_max_wait_ms=READER_FETCH_WAIT_MS,
        )
        self._reader_lock = asyncio.Lock()  # one assignment at a time on the shared reader

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls,
        bootstrap: str,
        *,
        flavor: Flavor | None = None,
        client_id: str = "mspvault-ops",
        auth: KafkaAuth | None = None,
    ) -> AsyncIterator[KafkaAdmin]:
        admin = cls(bootstrap, flavor=flavor, client_id=client_id, auth=auth)
        await admin.start()
        try:
            yield admin
        finally:
            await admin.close()

    async def start(self) -> None:
        await self._admin.start()
        await self._reader.start()

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self._reader.stop()
        with contextlib.suppress(Exception):
            await self._admin.close()

    async def flavor(self) -> Flavor:
        if self._flavor is None:
            cluster = await self._admin.describe_cluster()
            self._flavor = detect_flavor(cluster.get("cluster_id"))
        return self._flavor

    # --- topics and offsets -------------------------------------------------------------------------------------

    async def topics(self) -> dict[str, int]:
        """Application topics and their partition counts."""
        names = [n for n in await self._admin.list_topics() if not n.startswith(INTERNAL_PREFIXES)]
        if not names:
            return {}
        described = await self._admin.describe_topics(names)
        return {str(t["topic"]): len(t["partitions"]) for t in described if t["error_code"] == 0 and t["partitions"]}

    async def ensure_topic(self, name: str, *, partitions: int = 1, config: dict[str, str] | None = None) -> None:
        try:
            response = await self._admin.create_topics(
                [NewTopic(name, num_partitions=partitions, replication_factor=1, topic_configs=config or {})]
            )
        except TopicAlreadyExistsError:
            return
        for _, code, *_ in getattr(response, "topic_errors", []):
            if code not in (0, TopicAlreadyExistsError.errno):
                raise RuntimeError(f"creating topic {name!r} failed with error code {code}")

    async def partition_offsets(self, topics: Iterable[str] | None = None) -> list[PartitionOffsets]:
        counts = await self.topics()
        wanted = sorted(counts if topics is None else [t for t in topics if t in counts])
        tps = [TopicPartition(t, p) for t in wanted for p in range(counts[t])]
        if not tps:
            return []
        starts = await self._reader.beginning_offsets(tps)
        ends = await self.end_offsets(tps)
        return [PartitionOffsets(tp.topic, tp.partition, starts[tp], ends[tp]) for tp in tps]

    async def end_offsets(self, tps: Iterable[TopicPartition]) -> dict[TopicPartition, int]:
        """The offset the next record will get, per partition (true record count on every broker)."""
        wanted = list(tps)
        reported: dict[TopicPartition, int] = await self._reader.end_offsets(wanted)
        if await self.flavor() != "tansu":
            return dict(reported)
        return await self._true_ends(reported)

    async def _true_ends(self, reported: dict[TopicPartition, int]) -> dict[TopicPartition, int]:
        """Fetch from each `reported - 1` (the base offset of the partition's last batch) at once: the fetch returns
        that whole batch, and its high watermark is right."""
        ends = dict(reported)
        pending = {tp for tp, end in reported.items() if end > 0}
        if not pending:
            return ends
        async with self._reading(sorted(pending, key=lambda tp: (tp.topic, tp.partition))):
            for tp in pending:
                self._reader.seek(tp, reported[tp] - 1)
            deadline = time.monotonic() + FETCH_TIMEOUT_MS / 1000
            while pending and time.monotonic() < deadline:
                batch = await self._reader.getmany(*pending, timeout_ms=FETCH_TIMEOUT_MS)
                for tp, records in batch.items():
                    if records:
                        ends[tp] = max(ends[tp], records[-1].offset + 1, self._reader.highwater(tp) or 0)
                        pending.discard(tp)
        return ends

    @contextlib.asynccontextmanager
    async def _reading(self, tps: list[TopicPartition]) -> AsyncIterator[None]:
        """Hold the shared reader on `tps` for one read, then release them: an assigned reader keeps prefetching
        in the background (every READER_FETCH_WAIT_MS once at the end), and the lag monitor's reader, left on
        every partition with data, made each idle service fetch ~100 times a second between measurements."""
        async with self._reader_lock:
            self._reader.assign(tps)
            try:
                yield
            finally:
                self._reader.unsubscribe()

    # --- consumer groups ----------------------------------------------------------------------------------------

    async def groups(self) -> list[str]:
        listed = await self._admin.list_consumer_groups()
        return sorted(str(entry[0]) for entry in listed)

    async def committed(self, group: str, topics: Iterable[str] | None = None) -> dict[TopicPartition, int]:
        """The group's committed offsets (only partitions where it committed), optionally for some topics."""
        wanted = None if topics is None else set(topics)
        if await self.flavor() != "tansu":
            offsets = await self._admin.list_consumer_group_offsets(group)
            return {
                tp: meta.offset
                for tp, meta in offsets.items()
                if meta.offset >= 0 and (wanted is None or tp.topic in wanted)
            }
        counts = await self.topics()
        candidates = [
            TopicPartition(t, p) for t, n in counts.items() if wanted is None or t in wanted for p in range(n)
        ]
        # A consumer with the group id that never subscribes: OffsetFetch without JoinGroup.
        probe = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            **self._auth,
            client_id=f"{self._client_id}-offsets",
            group_id=group,
            enable_auto_commit=False,
        )
        await probe.start()
        try:
            found = await asyncio.gather(*(probe.committed(tp) for tp in candidates))
        finally:
            await probe.stop()
        return {tp: offset for tp, offset in zip(candidates, found, strict=True) if offset is not None}

    async def lag(
        self, group: str, topics: Iterable[str] | None = None, *, with_time: bool = False
    ) -> list[PartitionLag]:
        """Per partition the group reads (every partition of `topics`, or those it committed on): end − committed."""
        committed = await self.committed(group, topics)
        counts = await self.topics()
        if topics is None:
            subscribed = sorted({tp.topic for tp in committed})
        else:
            subscribed = sorted(t for t in set(topics) if t in counts)
        tps = [TopicPartition(t, p) for t in subscribed for p in range(counts.get(t, 0))]
        if not tps:
            return []
        starts = await self._reader.beginning_offsets(tps)
        ends = await self.end_offsets(tps)
        now_ms = time.time() * 1000
        result: list[PartitionLag] = []
        for tp in tps:
            position = committed.get(tp)
            lag = max(0, ends[tp] - (starts[tp] if position is None else max(position, starts[tp])))
            waited: float | None = None
            if with_time:
                waited = 0.0
                if lag:
                    oldest = await self.read(tp.topic, tp.partition, ends[tp] - lag, limit=1)
                    waited = max(0.0, (now_ms - oldest[0].timestamp_ms) / 1000) if oldest else None
            result.append(PartitionLag(group, tp.topic, tp.partition, position, ends[tp], lag, waited))
        return result

    # --- records --------------------------------------------------------------------------------------------------

    async def read(self, topic: str, partition: int, start: int, *, limit: int, end: int | None = None) -> list[Record]:
        """Up to `limit` records of one partition from offset `start` (stops at the partition's end)."""
        tp = TopicPartition(topic, partition)
        stop = end if end is not None else (await self.end_offsets([tp]))[tp]
        records: list[Record] = []
        if start >= stop or limit <= 0:
            return records
        async with self._reading([tp]):
            self._reader.seek(tp, start)
            while len(records) < limit:
                batch = await self._reader.getmany(tp, timeout_ms=FETCH_TIMEOUT_MS, max_records=limit)
                fetched = batch.get(tp, [])
                if not fetched:
                    break
                for message in fetched:
                    if message.offset >= stop or len(records) >= limit:
                        break
                    records.append(_record(message))
                if fetched[-1].offset + 1 >= stop:
                    break
        return records

    async def tail(self, topic: str, per_partition: int) -> list[Record]:
        """The last `per_partition` records of every partition of `topic`, newest first."""
        records: list[Record] = []
        for offsets in await self.partition_offsets([topic]):
            first = max(offsets.start, offsets.end - per_partition)
            records += await self.read(topic, offsets.partition, first, limit=per_partition, end=offsets.end)
        return sorted(records, key=lambda r: (r.timestamp_ms, r.partition, r.offset), reverse=True)

    async def read_all(self, topic: str, *, limit_per_partition: int = 1000) -> list[Record]:
        """Every kept record of `topic` (up to a limit per partition), oldest first per partition."""
        records: list[Record] = []
        for offsets in await self.partition_offsets([topic]):
            first = max(offsets.start, offsets.end - limit_per_partition)
            records += await self.read(topic, offsets.partition, first, limit=limit_per_partition, end=offsets.end)
        return records


def _record(message: object) -> Record:
    headers = {
        str(name): value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        for name, value in (getattr(message, "headers", None) or ())
    }
    return Record(
        topic=str(getattr(message, "topic", "")),
        partition=int(getattr(message, "partition", 0)),
        offset=int(getattr(message, "offset", 0)),
        timestamp_ms=int(getattr(message, "timestamp", 0) or 0),
        key=getattr(message, "key", None),
        value=getattr(message, "value", None),
        headers=headers,
    )
