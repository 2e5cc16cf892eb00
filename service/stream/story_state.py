"""The story index kept in step with its changelog-backed Faust table (like dedup_state.py).

The table (article id → StoryRecord) is the durable truth: it survives restarts and moves with
its partition. The index in memory is rebuilt from it, oldest record first, whenever this worker
is (re)assigned the stories partition.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

from service.domain.stories.features import StoryFeatures
from service.domain.stories.index import StoryIndex
from service.domain.stories.records import Assignment, Relation, StoryRecord, StoryView
from service.domain.verdicts import StoryRequest

logger = logging.getLogger(__name__)

EXPIRE_EVERY_SECONDS = 60.0
# A copy is usually placed before its original, whose NLP comes first; it waits for the original
# (the enrich side asks again every minute) but not forever: the original may have been
# dead-lettered, or may have left the window.
COPY_WAIT_SECONDS = 300.0


@dataclass(frozen=True)
class Placed:
    assignment: Assignment
    story: StoryView | None


class StoryState:
    """Places articles in stories; must only be called while iterating the stories stream."""

    def __init__(
        self, table: MutableMapping[bytes, bytes], window_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        self._table = table
        self._window = window_seconds
        self._clock = clock
        self._index = StoryIndex(window_seconds)
        self._stale = True
        self._last_expiry = 0.0
        self._waiting_copies: dict[str, StoryRequest] = {}  # copy id → its request, until its original is placed
        self._waiting_since: dict[str, float] = {}

    @property
    def index(self) -> StoryIndex:
        return self._index

    def mark_stale(self) -> None:
        """Partitions moved: rebuild from the table before the next placement."""
        self._stale = True

    def place(self, request: StoryRequest) -> list[Placed]:
        """Place an article (the same answer again for a repeated request) and any copies that waited
        for it. A copy whose original has not been placed yet (its NLP comes later) waits, unless it
        has waited COPY_WAIT_SECONDS: its original was dead-lettered or left the window."""
        if self._stale:
            self._rebuild()
        self._maybe_expire()
        assignment = self._index.assignment_of(request.article_id)
        if assignment is not None:
            return [self._placed(assignment)]
        if request.kind == "copy":
            assignment = self._index.add_copy(request.article_id, request.duplicate_of, request.time, request.source)
            if assignment is None and not self._waited_enough(request):
                return []
            self._waiting_copies.pop(request.article_id, None)
            return [self._store(request, assignment, None)]
        features = StoryFeatures.from_bytes(request.features) if request.features else None
        assignment = self._index.assign(request.article_id, features) if features is not None else None
        placed = [self._store(request, assignment, features)]
        for waiting in [w for w in self._waiting_copies.values() if w.duplicate_of == request.article_id]:
            placed += self.place(waiting)
        return placed

    def _waited_enough(self, request: StoryRequest) -> bool:
        since = self._waiting_since.setdefault(request.article_id, self._clock())
        self._waiting_copies[request.article_id] = request
        return self._clock() - since >= COPY_WAIT_SECONDS

    def _store(self, request: StoryRequest, assignment: Assignment | None, features: StoryFeatures | None) -> Placed:
        record = StoryRecord.of(assignment or _own_story(request), request.time, request.source, features)
        if assignment is None:  # a copy without its original, or an original without features
            self._index.restore(record)
            assignment = self._index.assignment_of(request.article_id)
            assert assignment is not None
        self._waiting_since.pop(request.article_id, None)
        self._table[request.article_id.encode()] = record.to_bytes()
        return self._placed(assignment)

    def _placed(self, assignment: Assignment) -> Placed:
        return Placed(assignment, self._index.story(assignment.story_id))

    def _rebuild(self) -> None:
        started = time.perf_counter()
        index = StoryIndex(self._window)
        now = self._clock()
        records = [StoryRecord.from_bytes(value) for value in self._table.values()]
        for record in sorted(records, key=lambda record: record.time):
            if now - record.time <= self._window:
                index.restore(record)
        self._index = index
        self._stale = False
        logger.info(
            "story index rebuilt from table",
            extra={"articles": len(index), "seconds": round(time.perf_counter() - started, 3)},
        )

    def _maybe_expire(self) -> None:
        now = self._clock()
        if now - self._last_expiry < EXPIRE_EVERY_SECONDS:
            return
        self._last_expiry = now
        for article_id in self._index.drop_expired(now):
            self._table.pop(article_id.encode(), None)


def _own_story(request: StoryRequest) -> Assignment:
    """A copy of an original no longer held (or an original without features): a story of its own,
    named after the original it repeats."""
    story = request.duplicate_of or request.article_id
    relation: Relation = "copy" if request.kind == "copy" else "founded"
    return Assignment(request.article_id, story, story, relation, 1.0, request.lang)
