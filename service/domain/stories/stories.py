"""The stories held by a StoryIndex: counters in numpy columns, ids, headlines and event links."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from service.domain.stories.records import StoryView

MAX_SOURCES = 16  # distinct sources kept per story (the count goes on past it)
_MIN_CAPACITY = 1024


class Stories:
    def __init__(self) -> None:
        self._ids: list[str] = []
        self._slot_of: dict[str, int] = {}
        self._lang: list[str] = []
        self._event: list[str] = []
        self._headline: list[str] = []
        self._event_langs: dict[str, frozenset[str]] = {}  # only events with stories in several languages
        self._source_codes: dict[str, int] = {}
        self._source_names: list[str] = [""]
        self._first = np.zeros(_MIN_CAPACITY, dtype=np.float64)
        self._last = np.zeros(_MIN_CAPACITY, dtype=np.float64)
        self._size = np.zeros(_MIN_CAPACITY, dtype=np.int64)
        self._held = np.zeros(_MIN_CAPACITY, dtype=np.int64)  # members still held (not expired)
        self._sources = np.zeros((_MIN_CAPACITY, MAX_SOURCES), dtype=np.uint32)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        return self._first.nbytes + self._last.nbytes + self._size.nbytes + self._held.nbytes + self._sources.nbytes

    def found(self, story_id: str, lang: str, time: float, headline: str) -> int:
        slot = len(self._ids)
        if slot == self._first.shape[0]:
            self._grow(2 * slot)
        self._ids.append(story_id)
        self._slot_of[story_id] = slot
        self._lang.append(lang)
        self._event.append(story_id)
        self._headline.append(headline)
        self._first[slot] = self._last[slot] = time
        return slot

    def join(self, slot: int, time: float, source: str) -> None:
        self._size[slot] += 1
        self._held[slot] += 1
        self._first[slot] = min(self._first[slot], time)
        self._last[slot] = max(self._last[slot], time)
        if source:
            code = self._source_codes.setdefault(source, len(self._source_names))
            if code == len(self._source_names):
                self._source_names.append(source)
            row = self._sources[slot]
            if code not in row:
                free = np.flatnonzero(row == 0)
                if free.size:
                    row[free[0]] = code

    def leave(self, slot: int) -> None:
        self._held[slot] -= 1

    def link(self, slot: int, other: int) -> None:
        """Put story `slot` into the event of story `other` (another language's report of it)."""
        event = self._event[other]
        self._event_langs[event] = self.event_languages(other) | {self._lang[slot]}
        self._event[slot] = event

    def set_event(self, slot: int, event_id: str) -> None:
        if self._event[slot] == event_id:
            return
        self._event[slot] = event_id
        root = self._slot_of.get(event_id)
        known = self._event_langs.get(event_id) or (frozenset({self._lang[root]}) if root is not None else frozenset())
        self._event_langs[event_id] = known | {self._lang[slot]}

    def slot(self, story_id: str) -> int | None:
        return self._slot_of.get(story_id)

    def story_id(self, slot: int) -> str:
        return self._ids[slot]

    def event_id(self, slot: int) -> str:
        return self._event[slot]

    def lang(self, slot: int) -> str:
        return self._lang[slot]

    def event_languages(self, slot: int) -> frozenset[str]:
        return self._event_langs.get(self._event[slot], frozenset({self._lang[slot]}))

    def view(self, story_id: str) -> StoryView | None:
        slot = self._slot_of.get(story_id)
        if slot is None:
            return None
        codes = self._sources[slot]
        return StoryView(
            story_id=story_id, event_id=self._event[slot], lang=self._lang[slot], size=int(self._size[slot]),
            sources=tuple(self._source_names[c] for c in codes[codes != 0].tolist()),
            languages=tuple(sorted(self.event_languages(slot))), first_seen=float(self._first[slot]),
            last_seen=float(self._last[slot]), headline=self._headline[slot],
        )

    def compact(self) -> npt.NDArray[np.int64]:
        """Drop stories with no member held; returns old slot → new slot (-1: dropped)."""
        count = len(self._ids)
        keep = self._held[:count] > 0
        slot_map = np.where(keep, np.cumsum(keep) - 1, -1).astype(np.int64)
        kept = np.flatnonzero(keep).tolist()
        self._ids = [self._ids[s] for s in kept]
        self._slot_of = {story_id: slot for slot, story_id in enumerate(self._ids)}
        self._lang = [self._lang[s] for s in kept]
        self._event = [self._event[s] for s in kept]
        self._headline = [self._headline[s] for s in kept]
        live_events = set(self._event)
        self._event_langs = {e: langs for e, langs in self._event_langs.items() if e in live_events}
        capacity = max(_MIN_CAPACITY, len(kept) + len(kept) // 4)
        for name in ("_first", "_last", "_size", "_held", "_sources"):
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: len(kept)] = old[kept]
            setattr(self, name, new)
        return slot_map

    def _grow(self, capacity: int) -> None:
        for name in ("_first", "_last", "_size", "_held", "_sources"):
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: old.shape[0]] = old
            setattr(self, name, new)
