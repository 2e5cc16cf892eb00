"""The dedup index kept in step with its changelog-backed Faust table.

The table (article id → entry) is the durable truth: it survives restarts and moves with its
partition on rebalance. The numpy index in memory is derived from it and rebuilt whenever this
worker is (re)assigned the dedup partition.
"""

from __future__ import annotations

import logging
import struct
import time
from collections.abc import Callable, MutableMapping

from service.domain.dedup.decision import Verdict, decide
from service.domain.dedup.fingerprint import Fingerprint
from service.domain.dedup.index import DedupIndex

logger = logging.getLogger(__name__)

_ENTRY_HEAD = struct.Struct(">dH")  # received_at, len(cluster_id)
EXPIRE_EVERY_SECONDS = 60.0


def encode_entry(cluster_id: str, received_at: float, fp: Fingerprint) -> bytes:
    cluster = cluster_id.encode()
    return _ENTRY_HEAD.pack(received_at, len(cluster)) + cluster + fp.to_bytes()


def decode_entry(data: bytes) -> tuple[str, float, Fingerprint]:
    received_at, cluster_len = _ENTRY_HEAD.unpack_from(data)
    start = _ENTRY_HEAD.size
    cluster_id = data[start : start + cluster_len].decode()
    return cluster_id, received_at, Fingerprint.from_bytes(data[start + cluster_len :])


class DedupState:
    """Decides originals vs copies; must only be called while iterating the dedup stream."""

    def __init__(
        self, table: MutableMapping[bytes, bytes], window_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        self._table = table
        self._window = window_seconds
        self._clock = clock
        self._index = DedupIndex(window_seconds)
        self._stale = True
        self._last_expiry = 0.0

    @property
    def index(self) -> DedupIndex:
        return self._index

    def mark_stale(self) -> None:
        """Partitions moved: rebuild from the table before the next decision."""
        self._stale = True

    def decide(self, article_id: str, fp: Fingerprint, received_at: float) -> Verdict:
        if self._stale:
            self._rebuild()
        self._maybe_expire()
        verdict = decide(self._index, article_id, fp, received_at)
        key = article_id.encode()
        if not verdict.is_duplicate and key not in self._table:  # a replayed original is stored already
            self._table[key] = encode_entry(verdict.cluster_id, received_at, fp)
        return verdict

    def _rebuild(self) -> None:
        started = time.perf_counter()
        index = DedupIndex(self._window)
        now = self._clock()
        for key, value in list(self._table.items()):
            cluster_id, received_at, fp = decode_entry(value)
            if now - received_at <= self._window:
                index.add(key.decode(), cluster_id, fp, received_at)
        self._index = index
        self._stale = False
        logger.info(
            "dedup index rebuilt from table",
            extra={"articles": len(index), "seconds": round(time.perf_counter() - started, 3)},
        )

    def _maybe_expire(self) -> None:
        now = self._clock()
        if now - self._last_expiry < EXPIRE_EVERY_SECONDS:
            return
        self._last_expiry = now
        for article_id in self._index.drop_expired(now):
            self._table.pop(article_id.encode(), None)
