"""Faust's aiokafka consumer, made to keep at-least-once across a seek (faust-streaming 0.15.3).

The loss this prevents (found by the kill -9 fault test, upstream family #216/#221): when a worker
restarts with a backlog, Faust resumes its fetcher before `perform_seek` moves every stream
partition back to its committed offset. Records fetched BEFORE that seek are still being handed
to the streams AFTER it, and Faust's bookkeeping takes them as fresh:

1. the drain loop sets the partition's read offset to the stale record's offset, so the re-read
   of the records between the committed offset and it is dropped ("DROPPED MESSAGE ROFF");
2. it records the jump from the committed offset to the stale record as a "gap" (the device
   meant for compacted topics and transaction markers), and the commit then skips over the gap;
3. where nothing was committed yet, the seek does not move the fetch position at all (aiokafka
   seeks only to committed offsets above 0), so records dropped while recovering are never
   fetched again, and `_new_offset` has no lower bound: one ack commits everything below it.

The fix: the seek runs in the consumer thread as one step that moves every stream partition
(to its committed offset, or to the log start where nothing is committed: the "earliest" reset
policy) and advances a fetch epoch; every fetched batch carries the epoch it was fetched in. A
batch from an earlier epoch is not delivered (the seek made it due again), a read offset moved by
a stale record is put back, gaps measured from stale records are not recorded, and a commit never
passes the first offset not yet processed since the seek. A stale record already inside a stream
is still processed, and again from the re-read: at-least-once allows that (same output, same key).

The consumer also waits less for data (FETCH_MAX_WAIT_MS, Faust fixes 1500 ms): aiokafka sends
one fetch per broker, for the partitions whose records are all consumed, and no other while it
is out. Kafka holds that fetch until one of its partitions has data or the wait passes, so when
those partitions are quiet (the raw topic once read), the busy ones (the work and verdict topics),
consumed meanwhile, are not fetched again for up to the whole wait: the pipeline stalls.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Mapping
from contextlib import aclosing
from typing import Any, cast

import aiokafka
from faust.transport.consumer import RecordMap
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP, Message

# Measured (benchmarks/bench_e2e.py --workers 1 --broker kafka, one worker saturated, runs
# alternated): 1500 ms 103 and 105 articles/s, 50 ms 170 and 193; p99 at a steady 100/s 0.60 and
# 0.63 s against 0.85 and 0.73 s. An idle consumer then asks 20 times a second, a few ms of CPU.
# noida-db answers at once and never holds a fetch: nothing changes there.
FETCH_MAX_WAIT_MS = 50


class EpochRecords(dict[TP, list[Any]]):
    """A fetched batch and the fetch epoch it was fetched in."""

    def __init__(self, records: Mapping[TP, list[Any]], epoch: int) -> None:
        super().__init__(records)
        self.epoch = epoch


class SeekSafeConsumer(aiokafka_driver.Consumer):
    """The aiokafka driver's consumer with a fetch epoch guarding Faust's offset bookkeeping."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Written by the consumer thread in one step (see SeekSafeConsumerThread), read here.
        self.fetch_epoch = 0
        self.seek_positions: dict[TP, int] = {}
        # Main thread only.
        self._seeking = False
        self._batch_epoch = 0
        self._epoch_of_last_yield = 0
        self._epoch_cleaned = 0
        self._read_offsets_after_seek: dict[TP, int | None] = {}
        self._first_fresh_offset: dict[TP, int] = {}
        self._held_by_agents: list[Callable[[], Iterable[Message]]] = []
        super().__init__(*args, **kwargs)

    def let_go_when_draining(self, held: Callable[[], Iterable[Message]]) -> None:
        """`held()` lets go of the messages an agent keeps un-acked until another record settles
        them, and returns them (see `wait_empty`)."""
        self._held_by_agents.append(held)

    async def wait_empty(self) -> None:
        """Faust waits here until every message taken is acked, as the worker stops (the fetcher
        stopped) and as a rebalance revokes its partitions (all of them, paused): the records that
        would settle a held message cannot come. Waiting for those stalled a stop under load until
        the shutdown timeout killed the worker (no commit, no flush), and a rebalance under load for
        good: the member was dropped from the group, and the next rebalance stalled the same way.
        A message let go is not acked, so it stays uncommitted and its partition's owner reads it
        again (as a lost partition's are, agents.on_revoked)."""
        self._let_go_held()
        await super().wait_empty()

    def _clean_unacked_messages(self) -> None:
        super()._clean_unacked_messages()
        self._let_go_held()  # wait_empty's loop: a record read since, and held, is let go too

    def _let_go_held(self) -> None:
        for let_go in self._held_by_agents:
            self._unacked_messages -= set(let_go())

    def _new_consumer_thread(self) -> SeekSafeConsumerThread:
        return SeekSafeConsumerThread(self, loop=self.loop, beacon=self.beacon)

    def is_stream_tp(self, tp: TP) -> bool:
        return self.app.topics.acks_enabled_for(tp.topic)

    async def perform_seek(self) -> None:
        self._seeking = True
        try:
            await super().perform_seek()
        finally:
            self._seeking = False
        self._read_offsets_after_seek = dict(self._read_offset)

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> RecordMap:
        records = await super()._getmany(active_partitions, timeout)
        self._batch_epoch = records.epoch if isinstance(records, EpochRecords) else self.fetch_epoch
        if self._batch_epoch > self._epoch_cleaned:
            self._forget_what_stale_records_implied()
            self._epoch_cleaned = self._batch_epoch
        return records

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        delivered: set[TP] = set()
        fetched = cast(AsyncGenerator[tuple[TP, Message], None], super().getmany(timeout))
        async with aclosing(fetched) as records:
            async for tp, message in records:
                if self._batch_epoch != self.fetch_epoch:
                    self.log.info("Not delivering a batch fetched before the seek, from %s[%d]", tp, message.offset)
                    break
                delivered.add(tp)
                self._first_fresh_offset.setdefault(tp, message.offset)
                self._epoch_of_last_yield = self._batch_epoch
                yield tp, message
        if delivered and self._epoch_of_last_yield != self.fetch_epoch and not self._seeking:
            # A record handed on just before the seek moved its read offset after it: put it back.
            for tp in delivered:
                self._read_offset[tp] = self._read_offsets_after_seek.get(tp)

    async def _add_gap(self, tp: TP, offset_from: int, offset_to: int) -> None:
        if self._epoch_of_last_yield != self.fetch_epoch:
            return  # measured from a stale record against a post-seek read offset: not a gap
        await super()._add_gap(tp, offset_from, offset_to)

    def _new_offset(self, tp: TP) -> int | None:
        acked = self._acked[tp]
        floor = self._commit_floor(tp)
        if acked and floor is not None and min(acked) > self._end_of_gaps_from(tp, floor):
            return None  # the record at the floor is not processed yet
        return super()._new_offset(tp)

    def _commit_floor(self, tp: TP) -> int | None:
        """Everything below this offset is processed or does not exist."""
        known = [self._committed_offset[tp], self.seek_positions.get(tp), self._first_fresh_offset.get(tp)]
        return max((offset for offset in known if offset is not None), default=None)

    def _end_of_gaps_from(self, tp: TP, offset: int) -> int:
        """First offset at or after `offset` that no recorded gap covers."""
        for gap in sorted(self._gap[tp]):
            if gap.begin <= offset < gap.end:
                offset = gap.end
        return offset

    def _forget_what_stale_records_implied(self) -> None:
        """Gaps at or past a new position were measured before the seek: the re-read finds real ones."""
        self._first_fresh_offset = {}
        for tp, gaps in self._gap.items():
            position = self.seek_positions.get(tp)
            if not gaps or position is None:
                continue
            gaps.chop(position, max(gaps.end(), position + 1))


class SeekSafeConsumerThread(aiokafka_driver.AIOKafkaConsumerThread):
    """Seeks and fetches in the consumer thread, ordered by the fetch epoch."""

    def _create_worker_consumer(self, transport: aiokafka_driver.Transport) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        consumer._fetch_max_wait_ms = FETCH_MAX_WAIT_MS  # read when it starts (creates its fetcher)
        return consumer

    async def seek_to_committed(self) -> Mapping[TP, int]:
        positions = await self.call_thread(self._seek_stream_partitions, self._ensure_consumer())
        return cast(Mapping[TP, int], positions)

    async def _seek_stream_partitions(self, consumer: aiokafka.AIOKafkaConsumer) -> dict[TP, int | None]:
        owner = cast(SeekSafeConsumer, self.consumer)
        committed = {tp: await consumer.committed(tp) for tp in consumer.assignment()}
        uncommitted = [tp for tp, offset in committed.items() if not offset and owner.is_stream_tp(tp)]
        log_start = await consumer.beginning_offsets(uncommitted) if uncommitted else {}
        positions = {tp: offset for tp, offset in committed.items() if offset} | log_start
        # From here to the epoch change there is no await: a batch is fetched wholly before the
        # new positions or wholly after them.
        assigned = consumer.assignment()
        for tp, offset in positions.items():
            if tp in assigned:
                consumer.seek(tp, offset)
        owner.seek_positions = positions
        owner.fetch_epoch += 1
        if log_start:
            owner.log.info("No committed offset: restarting at the log start %r", log_start)
        return committed

    async def _fetch_records(
        self,
        consumer: aiokafka.AIOKafkaConsumer,
        active_partitions: set[TP],
        timeout: float | None = None,
        max_records: int | None = None,
    ) -> RecordMap:
        records = await super()._fetch_records(consumer, active_partitions, timeout=timeout, max_records=max_records)
        return EpochRecords(records, cast(SeekSafeConsumer, self.consumer).fetch_epoch)


class SeekSafeTransport(aiokafka_driver.Transport):
    Consumer = SeekSafeConsumer
