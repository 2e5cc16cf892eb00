"""The pause after an empty fetch: noida-db answers empty fetches at once, Apache Kafka holds them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.consumer.fetcher import Fetcher

from service.adapters.kafka.admin import ensure_topics
from service.adapters.kafka.broker_process import BrokerProcess
from service.adapters.kafka.connection import Connection
from service.adapters.kafka.embedded import EmbeddedBroker
from service.stream import fetch_pause
from service.stream.app import TopicSpec

pytestmark = pytest.mark.integration
IDLE_SECONDS = 1.0


@pytest.fixture
def counted_fetches() -> Iterator[list[float]]:
    """Times of every fetch request aiokafka sends, with whatever pause is installed."""
    sent: list[float] = []
    try:
        yield sent
    finally:
        fetch_pause.install(0)


def count_fetch_requests(sent: list[float]) -> None:
    installed = Fetcher._proc_fetch_request

    async def counting(self: Fetcher, *args: Any) -> bool:
        sent.append(time.monotonic())
        result: bool = await installed(self, *args)
        return result

    Fetcher._proc_fetch_request = counting  # type: ignore[method-assign]


async def idle_fetches(connection: Connection, topic: str, pause_seconds: float, sent: list[float]) -> int:
    fetch_pause.install(pause_seconds)
    count_fetch_requests(sent)
    consumer = AIOKafkaConsumer(topic, **connection.client_options(), auto_offset_reset="earliest")
    await consumer.start()
    try:
        await consumer.getmany(timeout_ms=500)  # assignment done, fetching
        sent.clear()
        await asyncio.sleep(IDLE_SECONDS)
        return len(sent)
    finally:
        await consumer.stop()


@pytest.mark.parametrize("pause_ms", [0, 20])
def test_an_idle_consumer_fetches_at_most_once_per_pause(
    broker: BrokerProcess, counted_fetches: list[float], pause_ms: int
) -> None:
    topic = f"idle-fetch-{pause_ms}"
    asyncio.run(ensure_topics(Connection(broker.url), [TopicSpec(topic, 1)]))

    requests = asyncio.run(idle_fetches(Connection(broker.url), topic, pause_ms / 1000, counted_fetches))

    if pause_ms:
        assert requests <= IDLE_SECONDS / (pause_ms / 1000) + 2
    elif isinstance(broker, EmbeddedBroker):  # the premise: noida-db does not hold an empty fetch (500 ms)
        assert requests > 10 * IDLE_SECONDS / 0.5
    else:  # Apache Kafka holds an empty fetch for fetch.max.wait: the pause is not needed there
        assert requests <= IDLE_SECONDS / 0.5 + 2
