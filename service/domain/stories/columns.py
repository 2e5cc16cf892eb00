"""Per-article state of a StoryIndex as fixed-width numpy columns (no Python object per article).

Row i is slot i; unused cells are 0. Rows are appended, marked dead on expiry and squeezed out
by `keep` (compaction), so slot numbers stay dense for the postings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from service.domain.stories.facts import DATE, MAX_MARKS, MAX_NUMBERS, VALUE_BITS
from service.domain.stories.features import MAX_NAMES, MAX_TERMS, StoryFeatures

CROSS_KEYS = MAX_NAMES + MAX_NUMBERS + MAX_MARKS  # names, number values, dates
_SPEC: dict[str, tuple[type, int]] = {
    "time": (np.float64, 0), "story": (np.int64, 0), "relation": (np.uint8, 0), "score": (np.float32, 0),
    "alive": (np.bool_, 0), "matchable": (np.bool_, 0), "lang": (np.uint8, 0),
    "terms": (np.uint32, MAX_TERMS), "counts": (np.uint8, MAX_TERMS), "cross": (np.uint32, CROSS_KEYS),
    "numbers": (np.uint64, MAX_NUMBERS), "marks": (np.uint16, MAX_MARKS),
}
_MIN_CAPACITY = 1024
_DATE_KEY = np.uint32(0xDA7E0000)  # a date's cross key: this prefix | month * 32 + day


@dataclass
class Columns:
    time: npt.NDArray[np.float64]
    story: npt.NDArray[np.int64]
    relation: npt.NDArray[np.uint8]
    score: npt.NDArray[np.float32]
    alive: npt.NDArray[np.bool_]
    matchable: npt.NDArray[np.bool_]  # has features (copies have none: they never match)
    lang: npt.NDArray[np.uint8]
    terms: npt.NDArray[np.uint32]
    counts: npt.NDArray[np.uint8]
    cross: npt.NDArray[np.uint32]  # cross_keys of the features: computed once, read by every lookup
    numbers: npt.NDArray[np.uint64]
    marks: npt.NDArray[np.uint16]

    @classmethod
    def empty(cls, capacity: int = _MIN_CAPACITY) -> Columns:
        return cls(**{name: np.zeros((capacity, width) if width else capacity, dtype=dtype)
                      for name, (dtype, width) in _SPEC.items()})

    @property
    def capacity(self) -> int:
        return int(self.time.shape[0])

    @property
    def nbytes(self) -> int:
        return sum(int(getattr(self, name).nbytes) for name in _SPEC)

    def put_features(self, slot: int, features: StoryFeatures, cross: npt.NDArray[np.uint32]) -> None:
        """Store an article's features and its cross keys (`features_cross_keys`)."""
        for column, values in ((self.terms, features.terms), (self.counts, features.counts), (self.cross, cross),
                               (self.numbers, features.numbers), (self.marks, features.marks)):
            kept = values[: column.shape[1]]
            column[slot] = 0
            column[slot, : len(kept)] = kept
        self.matchable[slot] = True

    def grown(self, needed: int, used: int) -> Columns:
        """Self if it has room for `needed` rows, else a copy of the first `used` rows with room."""
        if needed <= self.capacity:
            return self
        return self.keep(np.arange(used), max(needed, 2 * self.capacity))

    def keep(self, rows: npt.NDArray[np.int64], capacity: int | None = None) -> Columns:
        """The given rows, in order, as rows 0.. of new columns."""
        capacity = capacity or max(_MIN_CAPACITY, rows.size + rows.size // 4)
        out = Columns.empty(capacity)
        for name in _SPEC:
            getattr(out, name)[: rows.size] = getattr(self, name)[rows]
        return out


def features_cross_keys(features: StoryFeatures) -> npt.NDArray[np.uint32]:
    """The article's language-free keys, without padding."""
    keys = cross_keys(np.asarray([features.names], dtype=np.uint32).reshape(1, -1),
                      np.asarray([features.numbers], dtype=np.uint64).reshape(1, -1),
                      np.asarray([features.marks], dtype=np.uint16).reshape(1, -1))[0]
    out: npt.NDArray[np.uint32] = keys[keys != 0]
    return out


def cross_keys(names: npt.NDArray[np.uint32], numbers: npt.NDArray[np.uint64],
               marks: npt.NDArray[np.uint16]) -> npt.NDArray[np.uint32]:
    """Language-free keys of each row (entity keys, number values, dates), unique, 0-padded."""
    values = ((numbers >> np.uint64(32)) & np.uint64(VALUE_BITS)).astype(np.uint32)
    dated = (marks >> np.uint16(12)) == DATE
    dates = np.where(dated, _DATE_KEY | (marks & np.uint16(0x7FF)).astype(np.uint32), np.uint32(0))
    keys = np.sort(np.concatenate((names, values, dates.astype(np.uint32)), axis=1), axis=1)
    keys[:, 1:][keys[:, 1:] == keys[:, :-1]] = 0  # repeats (one value in two contexts) count once
    return keys
