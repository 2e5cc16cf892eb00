"""The story index kept in step with its changelog-backed Faust table (see table_state.py),
rebuilt oldest record first, and the copies that wait for their original."""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

from service.domain.stories.features import StoryFeatures
from service.domain.stories.index import StoryIndex, Thresholds
from service.domain.stories.records import Assignment, Relation, StoryRecord, StoryView
from service.domain.verdicts import StoryRequest
from service.stream.table_state import TableState

# A copy is often asked about before its original (whose NLP comes first). It waits for it a
# little, then gets a provisional answer (its original's id as story and event), because until
# it is answered its article holds back the commits of its partition on the enrich side. When the
# original comes, the copy joins the original's story for real (a StoryEvent says so).
COPY_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class Placed:
    assignment: Assignment
    story: StoryView | None


class StoryState(TableState[StoryIndex]):
    """Places articles in stories; must only be called while iterating the stories stream."""

    name = "story index"

    def __init__(self, table: MutableMapping[bytes, bytes], window_seconds: float,
                 clock: Callable[[], float] = time.time, thresholds: Thresholds | None = None) -> None:
        self._thresholds = thresholds or Thresholds()  # before the base class builds the first index
        super().__init__(table, window_seconds, clock)
        self._waiting: dict[str, tuple[StoryRequest, float]] = {}  # copy id → (request, since)
        self._provisional: dict[str, list[StoryRequest]] = {}  # original id → copies answered for it

    def _empty(self) -> StoryIndex:
        return self._thresholds.index(self._window)

    def _rebuilt(self, entries: list[tuple[bytes, bytes]], now: float) -> StoryIndex:
        index = self._thresholds.index(self._window)
        records = [StoryRecord.from_bytes(value) for _, value in entries]
        for record in sorted(records, key=lambda record: record.time):  # in the order they were written
            if now - record.time <= self._window:
                index.restore(record)
        return index

    def place(self, request: StoryRequest) -> list[Placed]:
        """Place an article (a repeated request gets the same answer) and the copies that waited for it;
        a copy whose original is not placed yet waits (see release_overdue)."""
        self._ready()
        assignment = self._index.assignment_of(request.article_id)
        if assignment is not None:
            return [self._placed(assignment)]
        if request.kind == "copy":
            assignment = self._index.add_copy(request.article_id, request.duplicate_of, request.time, request.source)
            if assignment is None:
                self._waiting.setdefault(request.article_id, (request, self._clock()))
                return []
            self._waiting.pop(request.article_id, None)
            return [self._store(request, assignment, None)]
        features = StoryFeatures.from_bytes(request.features) if request.features else None
        assignment = self._index.assign(request.article_id, features) if features is not None else None
        placed = [self._store(request, assignment, features)]
        waited = [w for w, _ in self._waiting.values() if w.duplicate_of == request.article_id]
        for copy in [*waited, *self._provisional.pop(request.article_id, [])]:
            placed += self.place(copy)
        return placed

    def release_overdue(self) -> list[Placed]:
        """Copies that waited COPY_WAIT_SECONDS for their original: a provisional answer each."""
        now = self._clock()
        released = []
        for copy_id, (request, since) in list(self._waiting.items()):
            if now - since >= COPY_WAIT_SECONDS:
                del self._waiting[copy_id]
                self._provisional.setdefault(request.duplicate_of, []).append(request)
                released.append(Placed(_own_story(request), None))
        return released

    def _store(self, request: StoryRequest, assignment: Assignment | None, features: StoryFeatures | None) -> Placed:
        record = StoryRecord.of(assignment or _own_story(request), request.time, request.source, features)
        if assignment is None:  # an original without features: a story of its own
            self._index.restore(record)
            assignment = self._index.assignment_of(request.article_id)
            assert assignment is not None
        self._table[request.article_id.encode()] = record.to_bytes()
        return self._placed(assignment)

    def _placed(self, assignment: Assignment) -> Placed:
        return Placed(assignment, self._index.story(assignment.story_id))


def _own_story(request: StoryRequest) -> Assignment:
    """A copy's provisional place (its original's id), or an original without features founding its own."""
    story = request.duplicate_of or request.article_id
    relation: Relation = "copy" if request.kind == "copy" else "founded"
    return Assignment(request.article_id, story, story, relation, 1.0, request.lang)
