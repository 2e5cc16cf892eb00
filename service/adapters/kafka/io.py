"""Plain aiokafka producer/consumer helpers for the CLI (`feed`, `tail`, `dev`) and the tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from service.adapters.kafka.admin import bootstrap_servers


async def produce(broker_url: str, topic: str, records: Iterable[tuple[bytes | None, bytes]]) -> int:
    """Publish (key, value) pairs and wait until the broker acknowledged all of them."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(broker_url), acks="all", linger_ms=5)
    await producer.start()
    try:
        batch = [await producer.send(topic, value=value, key=key) for key, value in records]
        await asyncio.gather(*batch)
        return len(batch)
    finally:
        await producer.stop()


async def end_offsets(broker_url: str, topics: Sequence[str]) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(broker_url), enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(topic, p) for topic in topics for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        return dict(await consumer.end_offsets(partitions)) if partitions else {}
    finally:
        await consumer.stop()


async def consume(
    broker_url: str,
    topics: Sequence[str],
    *,
    start: dict[TopicPartition, int] | None = None,
    from_beginning: bool = False,
    idle_seconds: float | None = None,
) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Read the topics without a consumer group (nothing committed); stop after `idle_seconds` of silence.

    `start` gives exact offsets per partition; otherwise from the beginning or from the end.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers(broker_url), enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    try:
        await consumer.topics()  # refreshes cluster metadata so partitions_for_topic is current
        partitions = [
            TopicPartition(topic, p) for topic in topics for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        for tp in partitions:
            if start is not None:
                consumer.seek(tp, start.get(tp, 0))
        if start is None:
            await (consumer.seek_to_beginning(*partitions) if from_beginning else consumer.seek_to_end(*partitions))
        last_seen = time.monotonic()
        while True:
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    last_seen = time.monotonic()
                    yield record
            if idle_seconds is not None and time.monotonic() - last_seen > idle_seconds:
                return
    finally:
        await consumer.stop()


async def group_progress(broker_url: str, group_id: str, topics: Sequence[str]) -> dict[str, tuple[int | None, int]]:
    """'topic[partition]' → (offset the group committed or None, end offset): where a consumer group stands."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers(broker_url), group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(topic, p) for topic in topics for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        ends = await consumer.end_offsets(partitions) if partitions else {}
        return {f"{tp.topic}[{tp.partition}]": (await consumer.committed(tp), ends[tp]) for tp in partitions}
    finally:
        await consumer.stop()
