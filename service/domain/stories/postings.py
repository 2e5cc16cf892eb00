"""Postings: (32-bit key, 1-bit tag) → the slots holding it, answering with the newest few per key.

Packed as one uint64 per posting (key << 32 | tag << 31 | slot) in sorted runs, LSM-like: adds
go to a buffer that becomes a run when full, and runs of similar size are merged, so there are
O(log n) runs and no Python object per posting (8 bytes each).

Unlike the dedup index (which skips a shingle held by too many texts: boilerplate), a story
key held by many articles still matters: a big story's own words are in all its reports. A
probe therefore returns the `newest` slots of its key in each run (slots grow with arrival
time, so the tail of a key's range is its newest postings): a rewrite needs one member of its
story to link to, and the newest are the ones the time decay favours.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

UInt64s = npt.NDArray[np.uint64]
Int64s = npt.NDArray[np.int64]

MAX_SLOT = (1 << 31) - 2  # slot 0x7FFFFFFF is reserved: it makes the upper search bound exact
_SLOT_MASK = np.uint64(0x7FFFFFFF)
_MERGE_RATIO = 4  # merge the newest run into the previous one while it is ≥ 1/4 of its size


class Postings:
    def __init__(self, buffer_capacity: int = 4096) -> None:
        self._buffer = np.empty(buffer_capacity, dtype=np.uint64)
        self._buffered = 0
        self._sorted = True
        self._runs: list[UInt64s] = []

    def __len__(self) -> int:
        return self._buffered + sum(run.size for run in self._runs)

    @property
    def nbytes(self) -> int:
        return self._buffer.nbytes + sum(run.nbytes for run in self._runs)

    def add(self, keys: npt.NDArray[np.uint32], slot: int, tag: int = 0) -> None:
        if not 0 <= slot <= MAX_SLOT:
            raise OverflowError(f"slot {slot} is outside 0..{MAX_SLOT}")
        packed = (keys.astype(np.uint64) << np.uint64(32)) | np.uint64(tag << 31 | slot)
        if self._buffered + packed.size > self._buffer.size:
            self._flush()
        if packed.size > self._buffer.size:
            self._push(np.sort(packed))
            return
        self._buffer[self._buffered : self._buffered + packed.size] = packed
        self._buffered += packed.size
        self._sorted = False

    def newest(self, keys: npt.NDArray[np.uint32], tag: int, per_key: int) -> tuple[Int64s, Int64s]:
        """(slot, probe index) of up to `per_key` newest postings of each probe key in each run."""
        low_bound = (keys.astype(np.uint64) << np.uint64(32)) | np.uint64(tag << 31)
        bounds = np.concatenate((low_bound, low_bound | _SLOT_MASK))
        if not self._sorted:
            # Sorted in place at the first lookup after adds: timsort on a sorted prefix plus a few
            # new postings is a cheap merge.
            self._buffer[: self._buffered].sort(kind="stable")
            self._sorted = True
        runs = [run for run in (*self._runs, self._buffer[: self._buffered]) if run.size]
        if not runs or not keys.size:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        # One search per run, then the ranges of all runs and probes gathered at once.
        found = np.stack([np.searchsorted(run, bounds) for run in runs])  # runs x (lows, highs)
        high = found[:, keys.size :]
        low = np.maximum(found[:, : keys.size], high - per_key)
        counts = (high - low).ravel()
        ends = np.cumsum(counts)
        total = int(ends[-1])
        positions = np.repeat(low.ravel() - (ends - counts), counts) + np.arange(total)
        run_ends = ends[keys.size - 1 :: keys.size].tolist()
        slots = np.concatenate([run[positions[start:end]] for run, start, end
                                in zip(runs, [0, *run_ends[:-1]], run_ends, strict=True)])
        probes = np.repeat(np.tile(np.arange(keys.size), len(runs)), counts)
        return (slots & _SLOT_MASK).astype(np.int64), probes

    def compact(self, slot_map: Int64s) -> None:
        """Rewrite as one run: slot s becomes slot_map[s]; postings of slots mapped to -1 go.

        slot_map must be increasing on kept slots, so the packed order is preserved."""
        merged = np.sort(np.concatenate((*self._runs, self._buffer[: self._buffered])))
        new_slots = slot_map[(merged & _SLOT_MASK).astype(np.int64)]
        kept = new_slots >= 0
        self._runs = [(merged[kept] & ~_SLOT_MASK) | new_slots[kept].astype(np.uint64)] if kept.any() else []
        self._buffered = 0

    def _flush(self) -> None:
        if self._buffered:
            self._push(np.sort(self._buffer[: self._buffered]))
            self._buffered = 0

    def _push(self, run: UInt64s) -> None:
        while self._runs and self._runs[-1].size <= _MERGE_RATIO * run.size:
            run = np.sort(np.concatenate((self._runs.pop(), run)), kind="stable")
        self._runs.append(run)
