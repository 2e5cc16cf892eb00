"""An in-memory index kept in step with its changelog-backed Faust table (dedup, stories).

The table (article id → entry) is the durable truth: it survives restarts and moves with its
partition on rebalance. The index is derived from it, rebuilt whenever this worker is (re)assigned
the partition, and entries older than the window are dropped from both once a minute.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, MutableMapping
from typing import Generic, Protocol, TypeVar

logger = logging.getLogger(__name__)

EXPIRE_EVERY_SECONDS = 60.0


class WindowedIndex(Protocol):
    def __len__(self) -> int: ...

    def drop_expired(self, now: float) -> list[str]: ...


Index = TypeVar("Index", bound=WindowedIndex)


class TableState(Generic[Index]):
    """Subclasses say how to rebuild the index from the table's values; call `_ready()` before use.

    Must only be used while iterating the stream whose partition feeds the table.
    """

    name = "index"

    def __init__(
        self, table: MutableMapping[bytes, bytes], window_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        self._table = table
        self._window = window_seconds
        self._clock = clock
        self._index = self._empty()
        self._stale = True
        self._last_expiry = 0.0

    @property
    def index(self) -> Index:
        return self._index

    def mark_stale(self) -> None:
        """Partitions moved: rebuild from the table before the next use."""
        self._stale = True

    def _empty(self) -> Index:
        raise NotImplementedError

    def _rebuilt(self, entries: list[tuple[bytes, bytes]], now: float) -> Index:
        raise NotImplementedError

    def _ready(self) -> None:
        if self._stale:
            started = time.perf_counter()
            self._index = self._rebuilt(list(self._table.items()), self._clock())
            self._stale = False
            logger.info(
                "%s rebuilt from table", self.name,
                extra={"articles": len(self._index), "seconds": round(time.perf_counter() - started, 3)},
            )
        now = self._clock()
        if now - self._last_expiry >= EXPIRE_EVERY_SECONDS:
            self._last_expiry = now
            for article_id in self._index.drop_expired(now):
                self._table.pop(article_id.encode(), None)
