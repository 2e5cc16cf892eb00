"""Create the service's topics explicitly (partition counts, compaction) before anything consumes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from service.adapters.kafka.connection import Connection
from service.stream.app import TopicSpec

logger = logging.getLogger(__name__)


async def ensure_topics(
    connection: Connection, specs: Sequence[TopicSpec], replication: int = 1, timeout: float = 30.0
) -> list[str]:
    """Create the missing topics and wait until each has a leader; returns the names created.

    Existing topics are left as they are. Apache Kafka answers CreateTopics before every partition
    has a leader: a client that looked right away would see no partitions.
    """
    admin = AIOKafkaAdminClient(**connection.client_options(), request_timeout_ms=15000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [spec for spec in specs if spec.name not in existing]
        created = []
        for spec in missing:
            config = {"cleanup.policy": "compact"} if spec.compacted else {}
            topic = NewTopic(
                spec.name, num_partitions=spec.partitions, replication_factor=replication, topic_configs=config
            )
            try:
                await admin.create_topics([topic])
                created.append(spec.name)
            except TopicAlreadyExistsError:
                pass  # another worker created it between our list and create
        if created:
            await _wait_for_leaders(admin, {spec.name: spec.partitions for spec in missing}, timeout)
            logger.info("created topics", extra={"topics": created})
        return created
    finally:
        await admin.close()


async def _wait_for_leaders(admin: AIOKafkaAdminClient, partitions: dict[str, int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        described = await admin.describe_topics(list(partitions))
        led = {t["topic"]: sum(p["leader"] >= 0 for p in t["partitions"]) for t in described if t["error_code"] == 0}
        if all(led.get(name, 0) >= count for name, count in partitions.items()):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"topics without a leader after {timeout}s: {partitions} vs {led}")
        await asyncio.sleep(0.05)
