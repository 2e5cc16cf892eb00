"""Sending JSON to the output topics, counted, and turning failures into dead letters."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from typing import Any

import faust
import orjson

from service.adapters.metrics import Metrics
from service.domain.messages import Origin, dead_letter

logger = logging.getLogger(__name__)


class Publisher:
    """Sends JSON values and counts what was published (or failed to be)."""

    def __init__(self, metrics: Metrics, dlq: faust.TopicT, clock: Callable[[], float]) -> None:
        self._metrics = metrics
        self._dlq = dlq
        self._clock = clock

    async def send(self, topic: faust.TopicT, key: str | bytes | None, value: dict[str, Any]) -> None:
        raw_key = key.encode() if isinstance(key, str) else key
        try:
            await topic.send(key=raw_key, value=orjson.dumps(value))
        except Exception:
            self._metrics.publish_failures.labels(topic=topic.get_topic_name()).inc()
            raise
        self._metrics.published.labels(topic=topic.get_topic_name()).inc()

    async def dead_letter(self, origin: Origin, reason: str, detail: str, article_id: str | None = None) -> None:
        key = None if origin.key_b64 is None else base64.b64decode(origin.key_b64)
        await self.send(self._dlq, key, dead_letter(origin, reason, detail, self._clock()))
        self._metrics.dead_letters.labels(reason=reason).inc()
        logger.warning("dead letter", extra={"reason": reason, "detail": detail[:300], "article_id": article_id})

    async def dead_letter_record(self, event: faust.EventT[bytes], detail: str) -> None:
        """An internal record that cannot be read (e.g. from an incompatible version): its own bytes go."""
        message = event.message
        origin = Origin.of(message.topic, message.partition, message.offset, message.key, message.value)
        await self.dead_letter(origin, "processing_error", detail)
