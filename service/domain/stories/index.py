"""StoryIndex: online, single-pass story assignment and cross-language event linking.

Each original is compared with the held articles that share its heaviest terms, entity keys or
numbers (one packed multimap, the dedup index's PackedRuns), scored pair by pair
(evidence + scoring), and joins the story of its best match when the join probability, less a
time decay, passes the threshold; otherwise it founds a story. Single link to the best member
rather than a story centroid: a rewrite resembles one report of the story (the agency it
rewrote), not the average of them, and no per-story term vector has to be kept.

A story is one event in one language; its event is shared with stories of other languages:
when an article founds or joins a story whose event has only that language, its best match
in another language (on language-free evidence: entity keys, numbers, dates, the
cross-lingual vector) links the story into that story's event.

Per-article state is fixed-width numpy columns (no Python object per article except its id in
a dict); a slot is freed by expiry and the columns are compacted when a quarter are dead.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from service.domain.dedup.packed_runs import PackedRuns
from service.domain.stories import scoring
from service.domain.stories.evidence import DF_BITS, MAX_DATES_YEARS, YEAR_KEYS, Rows, df_bucket, evidence
from service.domain.stories.features import MAX_NAMES, MAX_NUMBERS, MAX_TERMS, VECTOR_DIM, StoryFeatures
from service.domain.stories.records import RELATIONS, Assignment, Relation, StoryRecord, StoryView
from service.domain.stories.stories import Stories

DEFAULT_WINDOW = 3 * 24 * 3600.0
POSTED_TERMS = 16  # the heaviest terms are posted; the rest only count in the cosine
MAX_CANDIDATES = 48  # candidates scored per article (most shared keys first)
MAX_POSTINGS_PER_KEY = 2000  # a key held by more articles is a common word, not evidence
COMPACT_DEAD_SHARE = 0.25
_MIN_CAPACITY = 1024
_CROSS_TAG = 1  # postings of language-free keys (entity keys, numbers) carry this tag


class StoryIndex:
    def __init__(self, window_seconds: float = DEFAULT_WINDOW, join_threshold: float = scoring.JOIN_THRESHOLD,
                 cross_threshold: float = scoring.CROSS_THRESHOLD, weights: tuple[npt.NDArray[np.float64],
                 npt.NDArray[np.float64]] = (scoring.SAME_LANGUAGE, scoring.CROSS_LANGUAGE)) -> None:
        """weights: (same-language, cross-language) logistic weights over scoring.FEATURES."""
        if not (isinstance(window_seconds, (int, float)) and math.isfinite(window_seconds) and window_seconds > 0):
            raise ValueError("window_seconds must be a finite number of seconds > 0 "
                             f"(e.g. {DEFAULT_WINDOW:.0f} for 3 days), got {window_seconds!r}")
        for name, value in (("join_threshold", join_threshold), ("cross_threshold", cross_threshold)):
            if not (isinstance(value, (int, float)) and 0.0 < value < 1.0):
                raise ValueError(f"{name} is a probability and must be in (0, 1) "
                                 f"(defaults {scoring.JOIN_THRESHOLD} / {scoring.CROSS_THRESHOLD}), got {value!r}")
        self._window = float(window_seconds)
        self._join = float(join_threshold)
        self._cross = float(cross_threshold)
        if any(np.shape(w) != (len(scoring.FEATURES),) for w in weights):
            raise ValueError(f"weights must be two vectors of {len(scoring.FEATURES)} numbers ({scoring.FEATURES})")
        self._weights = weights
        self.stories = Stories()
        self._postings = PackedRuns()
        self._slot_of: dict[str, int] = {}
        self._ids: list[str] = []
        self._slots = self._dead = 0
        self._df: dict[str, npt.NDArray[np.uint32]] = {}
        self._documents: dict[str, int] = {}
        self._allocate(_MIN_CAPACITY)

    def __len__(self) -> int:
        return self._slots - self._dead

    @property
    def nbytes(self) -> int:
        """Bytes of numpy state (columns, postings, document frequencies, stories); ids excluded."""
        columns = sum(int(getattr(self, name).nbytes) for name in _COLUMNS)
        return columns + self._postings.nbytes + sum(d.nbytes for d in self._df.values()) + self.stories.nbytes

    # -- the decisions -------------------------------------------------------------------

    def assign(self, article_id: str, features: StoryFeatures) -> Assignment:
        """Join the best open story of the article's language or found one. Idempotent: an
        article already held gets its first answer back (a replay never changes a verdict)."""
        held = self.assignment_of(article_id)
        if held is not None:
            return held
        lang = features.lang
        candidates = self._candidates(features)
        same = candidates[self._lang[candidates] == self._lang_code(lang)] if candidates.size else candidates
        story, score = -1, 1.0
        if same.size:
            probability = self._probabilities(features, same, same_language=True)
            best = int(np.argmax(probability))
            if probability[best] >= self._join:
                story, score = int(self._story[same[best]]), float(probability[best])
        relation: Relation = "rewrite" if story >= 0 else "founded"
        if story < 0:
            story = self.stories.found(article_id, lang, features.time, features.headline)
        slot = self._add(article_id, features, story, relation, score)
        self.stories.join(story, features.time, features.source)
        self._maybe_link(features, story, candidates)
        return self._assignment(slot)

    def add_copy(self, article_id: str, original_id: str, time: float, source: str = "") -> Assignment | None:
        """A syndicated copy (the dedup verdict) joins its original's story; None if the original
        is not held (never assigned, or expired): the caller then assigns it as an original."""
        held = self.assignment_of(article_id)
        if held is not None:
            return held
        original = self._slot_of.get(original_id)
        if original is None:
            return None
        story = int(self._story[original])
        slot = self._add(article_id, None, story, "copy", 1.0, time=time, lang=self.stories.lang(story))
        self.stories.join(story, time, source)
        return self._assignment(slot)

    def assignment_of(self, article_id: str) -> Assignment | None:
        slot = self._slot_of.get(article_id)
        return None if slot is None else self._assignment(slot)

    def story(self, story_id: str) -> StoryView | None:
        return self.stories.view(story_id)

    def restore(self, record: StoryRecord) -> None:
        """Rebuild from the table: replay every record in the order they were written."""
        if record.article_id in self._slot_of:
            return
        story = self.stories.slot(record.story_id)
        if story is None:
            headline = record.features.headline if record.features is not None else ""
            story = self.stories.found(record.story_id, record.lang, record.time, headline)
        self._add(record.article_id, record.features, story, record.relation, record.score,
                  time=record.time, lang=record.lang)
        self.stories.join(story, record.time, record.source)
        self.stories.set_event(story, record.event_id)

    def drop_expired(self, now: float) -> list[str]:
        """Forget articles older than the window (their stories close when none is left);
        returns the ids dropped, to delete them from the table."""
        held = np.flatnonzero(self._alive[: self._slots])
        old = held[self._time[held] < now - self._window]
        dropped = [self._ids[int(slot)] for slot in old]
        for slot in old.tolist():
            self._remove(slot)
        if self._dead and self._dead >= COMPACT_DEAD_SHARE * self._slots:
            self._compact()
        return dropped

    # -- matching ------------------------------------------------------------------------

    def _candidates(self, features: StoryFeatures) -> npt.NDArray[np.int64]:
        terms = np.asarray(features.terms[:POSTED_TERMS], dtype=np.uint32)
        cross = np.asarray(_cross_keys(features), dtype=np.uint32)
        keys = np.concatenate((terms, cross))
        if not keys.size:
            return np.empty(0, dtype=np.int64)
        tags = np.concatenate((np.zeros(terms.size, np.uint32), np.full(cross.size, _CROSS_TAG, np.uint32)))
        slots, _ = self._postings.slots_of(keys, MAX_POSTINGS_PER_KEY, tags)
        if not slots.size:
            return slots
        slots, hits = np.unique(slots, return_counts=True)
        live = self._alive[slots] & self._has_features[slots] \
            & (np.abs(self._time[slots] - features.time) <= self._window)
        slots, hits = slots[live], hits[live]
        if slots.size > MAX_CANDIDATES:
            keep = np.argsort(-hits, kind="stable")[:MAX_CANDIDATES]
            slots = np.sort(slots[keep])
        return slots

    def _probabilities(self, features: StoryFeatures, slots: npt.NDArray[np.int64],
                       same_language: bool) -> npt.NDArray[np.float64]:
        rows = self._rows.take(slots)
        lang = features.lang
        df = self._df.get(lang)
        if df is None:
            df = np.zeros(1 << DF_BITS, dtype=np.uint32)
        found = evidence(features, rows, df, self._documents.get(lang, 0), same_language)
        weights = self._weights[0] if same_language else self._weights[1]
        return scoring.probability(found, weights, scoring.decay(features.time - self._time[slots], self._window))

    def _maybe_link(self, features: StoryFeatures, story: int, candidates: npt.NDArray[np.int64]) -> None:
        """Link the story into another language's event, once, on its best cross-language match."""
        if not candidates.size or len(self.stories.event_languages(story)) > 1:
            return
        other = candidates[self._lang[candidates] != self._lang_code(features.lang)]
        if not other.size:
            return
        probability = self._probabilities(features, other, same_language=False)
        best = int(np.argmax(probability))
        if probability[best] >= self._cross:
            self.stories.link(story, int(self._story[other[best]]))

    # -- slots ---------------------------------------------------------------------------

    def _add(self, article_id: str, features: StoryFeatures | None, story: int, relation: Relation, score: float,
             time: float | None = None, lang: str | None = None) -> int:
        slot = self._slots
        self._ensure_capacity(slot + 1)
        self._slot_of[article_id] = slot
        self._ids.append(article_id)
        self._story[slot] = story
        self._relation[slot] = RELATIONS.index(relation)
        self._score[slot] = score
        self._alive[slot] = True
        self._slots += 1
        if features is None:
            self._time[slot] = time if time is not None else 0.0
            self._lang[slot] = self._lang_code(lang or "")
            self._has_features[slot] = False
            return slot
        self._time[slot] = features.time
        self._lang[slot] = self._lang_code(features.lang)
        self._has_features[slot] = True
        self._rows.put(slot, features)
        terms = np.asarray(features.terms[:POSTED_TERMS], dtype=np.uint32)
        self._postings.add(terms, slot)
        self._postings.add(np.asarray(_cross_keys(features), dtype=np.uint32), slot, tag=_CROSS_TAG)
        self._count_documents(features.lang, features, +1)
        return slot

    def _remove(self, slot: int) -> None:
        self._alive[slot] = False
        self._dead += 1
        del self._slot_of[self._ids[slot]]
        if self._has_features[slot]:
            lang = self.stories.lang(int(self._story[slot]))
            self._count_documents(lang, self._row_keys(slot), -1)
        self.stories.leave(int(self._story[slot]))

    def _row_keys(self, slot: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
        terms, names = self._terms[slot], self._names[slot]
        return tuple(terms[self._counts[slot] > 0].tolist()), tuple(names[names != 0].tolist())

    def _count_documents(self, lang: str, features: StoryFeatures | tuple[tuple[int, ...], tuple[int, ...]],
                         sign: int) -> None:
        terms, names = (features.terms, features.names) if isinstance(features, StoryFeatures) else features
        df = self._df.setdefault(lang, np.zeros(1 << DF_BITS, dtype=np.uint32))
        buckets = np.unique(df_bucket(np.asarray((*terms, *names), dtype=np.uint32)))
        if sign > 0:
            df[buckets] += np.uint32(1)
        else:
            df[buckets] -= np.minimum(df[buckets], np.uint32(1))
        self._documents[lang] = self._documents.get(lang, 0) + sign

    def _assignment(self, slot: int) -> Assignment:
        story = int(self._story[slot])
        return Assignment(self._ids[slot], self.stories.story_id(story), self.stories.event_id(story),
                          RELATIONS[int(self._relation[slot])], float(self._score[slot]), self.stories.lang(story))

    def _lang_code(self, lang: str) -> int:
        return _LANG_CODES.get(lang, 255)

    def _allocate(self, capacity: int) -> None:
        for name, (dtype, width) in _COLUMNS.items():
            shape = (capacity,) if width == 0 else (capacity, width)
            setattr(self, name, np.zeros(shape, dtype=dtype))
        self._bind_rows()

    def _bind_rows(self) -> None:
        self._rows = Rows(self._terms, self._counts, self._names, self._numbers, self._years, self._dates,
                          self._vectors)

    def _ensure_capacity(self, needed: int) -> None:
        capacity = self._time.shape[0]
        if needed <= capacity:
            return
        self._resize(max(needed, 2 * capacity), np.arange(self._slots))

    def _resize(self, capacity: int, keep: npt.NDArray[np.int64]) -> None:
        for name in _COLUMNS:
            old = getattr(self, name)
            grown = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            grown[: keep.size] = old[keep]
            setattr(self, name, grown)
        self._bind_rows()

    def _compact(self) -> None:
        alive = self._alive[: self._slots]
        keep = np.flatnonzero(alive)
        slot_map = np.where(alive, np.cumsum(alive) - 1, -1).astype(np.int64)
        self._postings.compact(slot_map)
        self._ids = [self._ids[s] for s in keep.tolist()]
        self._slot_of = {article_id: slot for slot, article_id in enumerate(self._ids)}
        self._resize(max(_MIN_CAPACITY, keep.size + keep.size // 4), keep)
        self._slots, self._dead = int(keep.size), 0
        story_map = self.stories.compact()
        self._story[: self._slots] = story_map[self._story[: self._slots]]

    # typed views of the columns (set in _allocate)
    _time: npt.NDArray[np.float64]
    _story: npt.NDArray[np.int64]
    _relation: npt.NDArray[np.uint8]
    _score: npt.NDArray[np.float32]
    _alive: npt.NDArray[np.bool_]
    _has_features: npt.NDArray[np.bool_]
    _lang: npt.NDArray[np.uint8]
    _terms: npt.NDArray[np.uint32]
    _counts: npt.NDArray[np.uint8]
    _names: npt.NDArray[np.uint32]
    _numbers: npt.NDArray[np.uint64]
    _years: npt.NDArray[np.uint16]
    _dates: npt.NDArray[np.uint16]
    _vectors: npt.NDArray[np.int8]


_COLUMNS: dict[str, tuple[type, int]] = {
    "_time": (np.float64, 0), "_story": (np.int64, 0), "_relation": (np.uint8, 0), "_score": (np.float32, 0),
    "_alive": (np.bool_, 0), "_has_features": (np.bool_, 0), "_lang": (np.uint8, 0),
    "_terms": (np.uint32, MAX_TERMS), "_counts": (np.uint8, MAX_TERMS), "_names": (np.uint32, MAX_NAMES),
    "_numbers": (np.uint64, MAX_NUMBERS), "_years": (np.uint16, MAX_DATES_YEARS),
    "_dates": (np.uint16, MAX_DATES_YEARS), "_vectors": (np.int8, VECTOR_DIM),
}
_YEAR_KEYS = frozenset(YEAR_KEYS.tolist())
_LANG_CODES = {"ar": 0, "en": 1, "fr": 2, "es": 3, "de": 4, "tr": 5, "fa": 6, "ur": 7, "he": 8, "ru": 9}


def _cross_keys(features: StoryFeatures) -> list[int]:
    """Keys that mean the same in every language: entity keys and number values (not years)."""
    values = {n >> 32 for n in features.numbers} - _YEAR_KEYS
    return sorted(set(features.names) | values)

