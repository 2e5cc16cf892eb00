"""TF-IDF cosines of one article against candidate rows, with document frequencies kept online.

Frequencies are counted per space (a language's terms, or the language-free cross keys) in
2**DF_BITS hashed buckets: an article adds one to each of its keys' buckets when it is held
and takes it back when it expires, so the weights follow what the window holds. Collisions
only make a rare key look a little more common.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

DF_BITS = 21  # 2M buckets (8 MB) per space: a window of 1M articles has a few 100k distinct stems

U32 = npt.NDArray[np.uint32]
Floats = npt.NDArray[np.float64]


class Frequencies:
    def __init__(self) -> None:
        self._tables: dict[str, U32] = {}
        self._documents: dict[str, int] = {}

    @property
    def nbytes(self) -> int:
        return sum(table.nbytes for table in self._tables.values())

    def count(self, space: str, keys: U32, sign: int) -> None:
        """One document holding `keys` (unique) enters (+1) or leaves (-1) the space."""
        table = self._tables.get(space)
        if table is None:
            table = self._tables[space] = np.zeros(1 << DF_BITS, dtype=np.uint32)
        buckets = np.unique(_bucket(keys))
        if sign > 0:
            table[buckets] += np.uint32(1)
        else:
            table[buckets] -= np.minimum(table[buckets], np.uint32(1))
        self._documents[space] = max(0, self._documents.get(space, 0) + sign)

    def frequency(self, space: str, keys: U32) -> U32:
        table = self._tables.get(space)
        if table is None:
            return np.zeros(keys.shape, dtype=np.uint32)
        found: U32 = table[_bucket(keys)]
        return found

    def idf(self, space: str, frequency: U32) -> Floats:
        """Of keys held by `frequency` documents. Smoothed (+1): early in a stream every word is in
        every held document, and a plain idf of 0 would make every cosine 0."""
        documents = self._documents.get(space, 0)
        out: Floats = np.log((documents + 1.0) / (frequency + 1.0)) + 1.0
        return out


def term_weights(counts: npt.NDArray[np.uint8], idf: Floats) -> Floats:
    """log-tf x idf (count 0: padding, weight 0)."""
    out: Floats = np.where(counts > 0, _log_tf(counts) * idf, 0.0)
    return out


def term_cosines(query: U32, query_counts: npt.NDArray[np.uint8], idf: Floats, rows: U32,
                 row_counts: npt.NDArray[np.uint8], row_idf: Floats) -> Floats:
    """Cosine of the query's log-tf x idf vector with each row's (0-padded: count 0 = no term).

    idf: of the query's keys; row_idf: of every cell of rows, as of now (weights taken when a row
    was added would be stale early in a stream, when every new article moves the frequencies)."""
    if not query.size or not rows.shape[0]:
        return np.zeros(rows.shape[0])
    order = np.argsort(query)
    keys = query[order]
    weights = term_weights(query_counts[order], idf[order])
    weights /= float(np.linalg.norm(weights)) or 1.0
    cells = term_weights(row_counts, row_idf)
    norms = np.linalg.norm(cells, axis=1)
    at = np.minimum(np.searchsorted(keys, rows), keys.size - 1)
    dot = np.where(keys[at] == rows, cells * weights[at], 0.0).sum(axis=1)
    out: Floats = dot / np.where(norms > 0, norms, 1.0)
    return out


def key_cosines(query: U32, idf: Floats, rows: U32, row_idf: Floats) -> Floats:
    """Cosine of binary key sets weighted by idf (0 cells in rows are padding)."""
    ones = np.ones(query.size, dtype=np.uint8)
    return term_cosines(query, ones, idf, rows, (rows != 0).astype(np.uint8), row_idf)


def _log_tf(counts: npt.NDArray[np.uint8]) -> Floats:
    out: Floats = 1.0 + np.log(np.maximum(counts, 1).astype(np.float64))
    return out


def _bucket(keys: U32) -> npt.NDArray[np.intp]:
    return (keys & np.uint32((1 << DF_BITS) - 1)).astype(np.intp)
