"""Plain aiokafka producer/consumer helpers for the CLI (`feed`, `tail`, `dev`, `replay`) and the tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from service.adapters.kafka.connection import Connection

METADATA_WAIT_SECONDS = 10.0


async def produce(connection: Connection, topic: str, records: Iterable[tuple[bytes | None, bytes]]) -> int:
    """Publish (key, value) pairs and wait until the broker acknowledged all of them."""
    producer = AIOKafkaProducer(**connection.client_options(), acks="all", linger_ms=5)
    await producer.start()
    try:
        batch = [await producer.send(topic, value=value, key=key) for key, value in records]
        await asyncio.gather(*batch)
        return len(batch)
    finally:
        await producer.stop()


async def partitions_of(consumer: AIOKafkaConsumer, topics: Sequence[str]) -> list[TopicPartition]:
    """Every partition of `topics`, waiting briefly for metadata of topics created a moment ago."""
    deadline = time.monotonic() + METADATA_WAIT_SECONDS
    while True:
        # What consumer.topics() fetches, kept: Kafka's bootstrap metadata names no topic (noida-db's names all).
        cluster = await consumer._client.fetch_all_metadata()
        known = {topic: sorted(cluster.partitions_for_topic(topic) or ()) for topic in topics}
        if all(known.values()) or time.monotonic() > deadline:
            return [TopicPartition(topic, p) for topic, parts in known.items() for p in parts]
        await asyncio.sleep(0.1)


async def end_offsets(connection: Connection, topics: Sequence[str]) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(**connection.client_options(), enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = await partitions_of(consumer, topics)
        return dict(await consumer.end_offsets(partitions)) if partitions else {}
    finally:
        await consumer.stop()


async def consume(
    connection: Connection,
    topics: Sequence[str],
    *,
    start: dict[TopicPartition, int] | None = None,
    from_beginning: bool = False,
    idle_seconds: float | None = None,
    read_committed: bool = False,
) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Read the topics without a consumer group (nothing committed); stop after `idle_seconds` of silence.

    `start` gives exact offsets per partition; otherwise from the beginning or from the end.
    `read_committed` hides records of aborted or still open transactions (exactly-once output).
    """
    consumer = AIOKafkaConsumer(
        **connection.client_options(), enable_auto_commit=False, group_id=None,
        isolation_level="read_committed" if read_committed else "read_uncommitted",
    )  # fmt: skip
    await consumer.start()
    try:
        partitions = await partitions_of(consumer, topics)
        consumer.assign(partitions)
        for tp in partitions:
            if start is not None:
                consumer.seek(tp, start.get(tp, 0))
        if start is None and partitions:
            await (consumer.seek_to_beginning(*partitions) if from_beginning else consumer.seek_to_end(*partitions))
        last_seen = time.monotonic()
        while True:
            batches = await consumer.getmany(timeout_ms=200) if partitions else {}
            for records in batches.values():
                for record in records:
                    last_seen = time.monotonic()
                    yield record
            if idle_seconds is not None and time.monotonic() - last_seen > idle_seconds:
                return
            if not partitions:
                await asyncio.sleep(0.2)
    finally:
        await consumer.stop()


async def group_progress(
    connection: Connection, group_id: str, topics: Sequence[str]
) -> dict[str, tuple[int | None, int]]:
    """'topic[partition]' → (offset the group committed or None, end offset): where a consumer group stands."""
    consumer = AIOKafkaConsumer(**connection.client_options(), group_id=group_id, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = await partitions_of(consumer, topics)
        ends = await consumer.end_offsets(partitions) if partitions else {}
        return {f"{tp.topic}[{tp.partition}]": (await consumer.committed(tp), ends[tp]) for tp in partitions}
    finally:
        await consumer.stop()


async def read_to_end(
    connection: Connection, topics: Sequence[str], *, read_committed: bool = True
) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Every record of `topics` from the beginning up to their end offsets as of the call, then stop."""
    ends = {tp: end for tp, end in (await end_offsets(connection, topics)).items() if end > 0}
    if not ends:
        return
    consumer = AIOKafkaConsumer(
        **connection.client_options(), enable_auto_commit=False, group_id=None,
        isolation_level="read_committed" if read_committed else "read_uncommitted",
    )  # fmt: skip
    await consumer.start()
    try:
        consumer.assign(list(ends))
        await consumer.seek_to_beginning(*ends)
        while ends:
            for tp, records in (await consumer.getmany(*ends, timeout_ms=500)).items():
                for record in records:
                    if record.offset < ends[tp]:
                        yield record
            for tp in list(ends):  # transaction markers and aborted records count toward the end too
                if await consumer.position(tp) >= ends[tp]:
                    del ends[tp]
    finally:
        await consumer.stop()
