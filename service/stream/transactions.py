"""Exactly-once (NEWSWIRE_PROCESSING_GUARANTEE=exactly_once): one Kafka transaction per worker at a time.

faust-streaming 0.15.3 keeps one transactional producer per partition and picks the producer of a
record from the partition it is SENT TO, while it commits consumed offsets through the producer of
the partition they were READ FROM. That only lines up when every agent writes to the partition it
reads (Kafka Streams' co-partitioned tasks). Here ingest reads articles.raw and writes
<app>-staged-dedup: the records it sent sat in a transaction of the staged-dedup partition that
nothing ever committed, read_committed consumers never saw them, and the pipeline stalled at the
first stage (tests/integration/test_exactly_once.py with Faust's manager: nothing published in 120 s).

Here every record a worker sends and every offset it commits go through ONE transactional
producer, committed together at each Faust commit, so the pipeline flows and the kill -9 test loses
nothing. It is still not exactly-once: a transaction also holds the outputs of records still being
processed, whose offsets Faust does not commit yet, so after a crash those records are processed
again and their outputs appear twice (667 repeated records in one kill -9 run of 2,000 articles).
Waiting at each commit until nothing was in flight did not fix it (repeats remained, and runs
slowed): the streams keep taking already-fetched records while the commit's requests are on the
wire, and Faust has no pause that holds records without dropping them (its flow control skips and
acks them). Closing that race needs the agents to take no record during a commit.
So at_least_once stays the default and the worker warns when exactly_once is chosen.

The enrich side holds an article un-acked until the global stages answer, and those answers only
become visible to a read_committed consumer when the transaction that sent the questions commits.
Faust commits a transaction only with new consumed offsets, so once the raw topic is drained the
questions would never become visible: the pipeline stalled. ExactlyOnceConsumer therefore also
commits a transaction that sent records since the last commit, with the offsets already committed.

The transactional id is stable per worker (NEWSWIRE_INSTANCE_ID, else host and web port), so a
worker restarted after kill -9 fences its dead predecessor and aborts the transaction it left open.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Iterable, Mapping
from typing import Any

from aiokafka.errors import ProducerFenced
from faust.transport.consumer import TransactionManager
from faust.types import TP, RecordMetadata

from service.stream.faust_consumer import SeekSafeConsumer, SeekSafeTransport


class WorkerTransactions(TransactionManager):  # type: ignore[misc]  # faust is untyped
    sent_since_commit = False

    @property
    def transactional_id(self) -> str:
        conf = self.app.conf
        worker = conf.consumer_group_instance_id or f"{socket.gethostname()}-{conf.web_port}"
        return f"{conf.id}-{worker}"

    async def on_rebalance(self, assigned: set[TP], revoked: set[TP], newly_assigned: set[TP]) -> None:
        await self.producer.maybe_begin_transaction(self.transactional_id)

    async def send(
        self, topic: str, key: bytes | None, value: bytes | None, partition: int | None, timestamp: float | None,
        headers: Any, *, transactional_id: str | None = None,
    ) -> Awaitable[RecordMetadata]:  # fmt: skip
        p = self.consumer.key_partition(topic, key, partition)
        self.sent_since_commit = True
        result: Awaitable[RecordMetadata] = await self.producer.send(
            topic, key, value, p, timestamp, headers, transactional_id=self.transactional_id
        )
        return result

    async def commit(self, offsets: Mapping[TP, int], start_new_transaction: bool = True) -> bool:
        if not offsets:
            return True
        self.sent_since_commit = False
        try:
            await self.producer.commit_transactions(
                {self.transactional_id: dict(offsets)}, self.app.conf.id, start_new_transaction=start_new_transaction
            )
        except ProducerFenced as fenced:
            await self.app.crash(fenced)
        return True


class ExactlyOnceConsumer(SeekSafeConsumer):
    async def _commit_tps(self, tps: Iterable[TP], start_new_transaction: bool) -> bool:
        if await super()._commit_tps(tps, start_new_transaction):
            return True
        if not getattr(self.transactions, "sent_since_commit", False):
            return False
        # Nothing new consumed, but records sent: commit them, with the offsets committed already.
        offsets = {tp: offset for tp in tps if (offset := self._committed_offset.get(tp)) is not None}
        return bool(offsets) and await self._commit_offsets(offsets, start_new_transaction=start_new_transaction)


class ExactlyOnceTransport(SeekSafeTransport):
    """The transport of NEWSWIRE_PROCESSING_GUARANTEE=exactly_once (service/stream/app.py picks it)."""

    Consumer = ExactlyOnceConsumer
    TransactionManager = WorkerTransactions
