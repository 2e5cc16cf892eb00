"""The evidence of one article against candidate articles, as rows of scoring.FEATURES.

Candidates are rows of the index's fixed-width columns (terms, counts, names, numbers, years,
dates, vectors; unused cells are 0), so every feature but the number contexts is a few numpy
operations over all candidates at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from service.domain.stories import scoring
from service.domain.stories.features import MAX_NAMES, MAX_NUMBERS, MAX_TERMS, VECTOR_DIM, StoryFeatures
from service.domain.stories.terms import YEAR_RANGE, key32

YEAR_KEYS = np.array(sorted(key32(str(year)) for year in range(*YEAR_RANGE)), dtype=np.uint32)
MAX_DATES_YEARS = 8
DF_BITS = 20  # document frequencies are counted in 2**20 buckets per language (4 MB): collisions are rare
_LOW32 = np.uint64(0xFFFFFFFF)

U32 = npt.NDArray[np.uint32]
Floats = npt.NDArray[np.float64]


@dataclass
class Rows:
    """Candidate rows gathered from the index columns (row i = candidate i)."""

    terms: U32
    counts: npt.NDArray[np.uint8]
    names: U32
    numbers: npt.NDArray[np.uint64]
    years: npt.NDArray[np.uint16]
    dates: npt.NDArray[np.uint16]
    vectors: npt.NDArray[np.int8]

    @classmethod
    def of(cls, items: Sequence[StoryFeatures]) -> Rows:
        """Rows built straight from features (for measuring; the index keeps its own columns)."""
        n = len(items)
        rows = cls(np.zeros((n, MAX_TERMS), np.uint32), np.zeros((n, MAX_TERMS), np.uint8),
                   np.zeros((n, MAX_NAMES), np.uint32), np.zeros((n, MAX_NUMBERS), np.uint64),
                   np.zeros((n, MAX_DATES_YEARS), np.uint16), np.zeros((n, MAX_DATES_YEARS), np.uint16),
                   np.zeros((n, VECTOR_DIM), np.int8))
        for i, f in enumerate(items):
            rows.put(i, f)
        return rows

    def put(self, i: int, f: StoryFeatures) -> None:
        for column, values in ((self.terms, f.terms), (self.counts, f.counts), (self.names, f.names),
                               (self.numbers, f.numbers), (self.years, f.years), (self.dates, f.dates)):
            column[i] = 0
            kept = values[: column.shape[1]]
            column[i, : len(kept)] = kept
        self.vectors[i] = np.frombuffer(f.vector, dtype=np.int8) if len(f.vector) == VECTOR_DIM else 0

    def take(self, which: npt.NDArray[np.int64] | list[int]) -> Rows:
        return Rows(self.terms[which], self.counts[which], self.names[which], self.numbers[which],
                    self.years[which], self.dates[which], self.vectors[which])


def evidence(query: StoryFeatures, rows: Rows, df: U32, documents: int, same_language: bool) -> Floats:
    """One row of scoring.FEATURES per candidate."""
    n = rows.terms.shape[0]
    out = np.zeros((n, len(scoring.FEATURES)), dtype=np.float64)
    if same_language:
        out[:, 0] = _tfidf_cosine(query.terms, query.counts, rows.terms, rows.counts, df, documents)
    ones = np.ones(len(query.names), dtype=np.uint8)
    out[:, 1] = _tfidf_cosine(query.names, tuple(ones.tolist()), rows.names, (rows.names != 0).astype(np.uint8),
                              df, documents)
    if query.vector:
        q = np.frombuffer(query.vector, dtype=np.int8).astype(np.float32)
        out[:, 2] = (rows.vectors.astype(np.float32) @ q) / (127.0 * 127.0)
    qnames = np.array(sorted(set(query.names)), dtype=np.uint32)
    out[:, 3] = np.minimum((np.isin(rows.names, qnames) & (rows.names != 0)).sum(axis=1), scoring.NAMES_CAP) \
        / scoring.NAMES_CAP
    values = (rows.numbers >> np.uint64(32)).astype(np.uint32)
    big = (rows.numbers != 0) & ~np.isin(values, YEAR_KEYS)
    qvalues = np.array(sorted({n >> 32 for n in query.numbers}), dtype=np.uint32)
    qbig = np.setdiff1d(qvalues, YEAR_KEYS)
    shared = (big & np.isin(values, qbig)).sum(axis=1)
    out[:, 4] = np.minimum(shared, scoring.BIG_CAP) / scoring.BIG_CAP
    out[:, 5] = (qbig.size > 0) & big.any(axis=1) & (shared == 0)
    if same_language and query.numbers:
        for i in np.flatnonzero((rows.numbers != 0).any(axis=1)).tolist():
            conflicts, agreements = _contexts(query.numbers, rows.numbers[i])
            out[i, 6] = min(conflicts, scoring.CONTEXT_CAP) / scoring.CONTEXT_CAP
            out[i, 7] = min(agreements, scoring.CONTEXT_CAP) / scoring.CONTEXT_CAP
    out[:, 8] = _disjoint(query.years, rows.years)
    out[:, 9] = np.isin(rows.dates, np.array(query.dates, dtype=np.uint16)).any(axis=1) & (len(query.dates) > 0) \
        & (rows.dates != 0).any(axis=1)
    out[:, 10] = _disjoint(query.dates, rows.dates)
    out[:, 11] = 1.0
    return out


def df_bucket(keys: U32) -> npt.NDArray[np.intp]:
    return (keys & np.uint32((1 << DF_BITS) - 1)).astype(np.intp)


def _tfidf_cosine(q_keys: tuple[int, ...], q_counts: tuple[int, ...], keys: U32, counts: npt.NDArray[np.uint8],
                  df: U32, documents: int) -> Floats:
    if not q_keys:
        return np.zeros(keys.shape[0])
    qk = np.asarray(q_keys, dtype=np.uint32)
    qw = scoring.log_tf(np.asarray(q_counts, dtype=np.uint8)) * scoring.idf(df[df_bucket(qk)], documents)
    qn = float(np.linalg.norm(qw)) or 1.0
    order = np.argsort(qk)
    qk, qw = qk[order], qw[order] / qn
    w = scoring.log_tf(counts) * scoring.idf(df[df_bucket(keys)], documents)
    norms = np.linalg.norm(w, axis=1)
    norms[norms == 0] = 1.0
    at = np.minimum(np.searchsorted(qk, keys), qk.size - 1)
    hit = (qk[at] == keys) & (counts > 0)
    out: Floats = (np.where(hit, w * qw[at], 0.0)).sum(axis=1) / norms
    return out


def _disjoint(query: tuple[int, ...], rows: npt.NDArray[np.uint16]) -> npt.NDArray[np.bool_]:
    if not query:
        return np.zeros(rows.shape[0], dtype=np.bool_)
    present = rows != 0
    shared = np.isin(rows, np.array(query, dtype=rows.dtype)) & present
    out: npt.NDArray[np.bool_] = present.any(axis=1) & ~shared.any(axis=1)
    return out


def _contexts(query: tuple[int, ...], row: npt.NDArray[np.uint64]) -> tuple[int, int]:
    """(contexts where the numbers disagree, contexts where one number agrees): "292 captives" vs
    "314 captives" is another exchange; a context with no number in common is a conflict."""
    mine: dict[int, set[int]] = {}
    for n in query:
        if n & 0xFFFFFFFF:
            mine.setdefault(n & 0xFFFFFFFF, set()).add(n >> 32)
    theirs: dict[int, set[int]] = {}
    for n in row[row != 0].tolist():
        if n & 0xFFFFFFFF:
            theirs.setdefault(n & 0xFFFFFFFF, set()).add(n >> 32)
    common = mine.keys() & theirs.keys()
    agreements = sum(1 for c in common if mine[c] & theirs[c])
    return len(common) - agreements, agreements
