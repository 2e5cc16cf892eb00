"""Create the service's topics explicitly (partition counts, compaction) before anything consumes."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from service.stream.app import TopicSpec

logger = logging.getLogger(__name__)


def bootstrap_servers(broker_url: str) -> str:
    """'kafka://h1:9092;h2:9092' (Faust's form) → 'h1:9092,h2:9092' (aiokafka's)."""
    hosts = broker_url.replace(";", ",").split(",")
    return ",".join(host.split("://", 1)[-1].strip().rstrip("/") for host in hosts if host.strip())


async def ensure_topics(broker_url: str, specs: Sequence[TopicSpec], replication: int = 1) -> list[str]:
    """Create the missing topics; returns the names created. Existing topics are left as they are."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(broker_url), request_timeout_ms=15000)
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
            logger.info("created topics", extra={"topics": created})
        return created
    finally:
        await admin.close()
