"""A compact multimap from 32-bit keys to 32-bit slots, packed as uint64 (key << 32 | slot).

LSM-like: appends go to a small buffer (sorted lazily before a lookup); a full buffer becomes a run; runs of
similar size are merged (timsort merges two sorted runs in linear time) so there are only
O(log n) runs and each posting is copied O(log n) times. Lookups binary-search every run.
No Python object exists per posting: 8 bytes each, plus the buffer.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

UInt64s = npt.NDArray[np.uint64]
UInt32s = npt.NDArray[np.uint32]
Int64s = npt.NDArray[np.int64]

_SLOT_BITS = np.uint64(32)
_SLOT_MASK = np.uint64(0xFFFFFFFF)
_MERGE_RATIO = 4  # merge the newest run into the previous one while it is ≥ 1/4 of its size


class PackedRuns:
    def __init__(self, buffer_capacity: int = 2048) -> None:
        self._buffer = np.empty(buffer_capacity, dtype=np.uint64)
        self._buffered = 0
        self._buffer_sorted = True
        self._runs: list[UInt64s] = []

    def __len__(self) -> int:
        return self._buffered + sum(run.size for run in self._runs)

    @property
    def nbytes(self) -> int:
        return self._buffer.nbytes + sum(run.nbytes for run in self._runs)

    def add(self, keys: UInt32s, slot: int) -> None:
        packed = (keys.astype(np.uint64) << _SLOT_BITS) | np.uint64(slot)
        if self._buffered + packed.size > self._buffer.size:
            self._flush()
        if packed.size > self._buffer.size:
            self._push_run(np.sort(packed))
            return
        self._buffer[self._buffered : self._buffered + packed.size] = packed
        self._buffered += packed.size
        self._buffer_sorted = False

    def slots_of(self, keys: UInt32s, max_per_key: int) -> Int64s:
        """Slots holding any of `keys` (one entry per (key, slot) posting).

        A key with more than `max_per_key` postings in one run is skipped: such a shingle is
        boilerplate shared by many stories, costly to gather and no evidence of copying.
        """
        # Both bounds of every key in one sorted search: [k<<32, k<<32|mask] interleaved.
        # No posting equals k<<32|mask (slot 0xFFFFFFFF is never handed out), so 'left' is exact.
        bounds = np.empty(2 * keys.size, dtype=np.uint64)
        bounds[0::2] = keys.astype(np.uint64) << _SLOT_BITS
        bounds[1::2] = bounds[0::2] | _SLOT_MASK
        found: list[UInt64s] = []
        if not self._buffer_sorted:
            # Sorted lazily at the first lookup after adds: timsort on a sorted prefix plus a
            # few new postings is a cheap merge, and the buffer is then searched like a run.
            self._buffer[: self._buffered].sort(kind="stable")
            self._buffer_sorted = True
        for run in (*self._runs, self._buffer[: self._buffered]):
            positions = np.searchsorted(run, bounds)
            low, high = positions[0::2], positions[1::2]
            counts = high - low
            counts[counts > max_per_key] = 0
            total = int(counts.sum())
            if total:
                offsets = np.repeat(low - (np.cumsum(counts) - counts), counts)
                found.append(run[offsets + np.arange(total)])
        if not found:
            return np.empty(0, dtype=np.int64)
        return (np.concatenate(found) & _SLOT_MASK).astype(np.int64)

    def compact(self, slot_map: Int64s) -> None:
        """Rewrite as one run: slot s becomes slot_map[s]; postings of slots mapped to -1 go.

        slot_map must be increasing on kept slots, so the packed order is preserved.
        """
        parts = [*self._runs, np.sort(self._buffer[: self._buffered])]
        merged = np.sort(np.concatenate(parts), kind="stable")
        new_slots = slot_map[(merged & _SLOT_MASK).astype(np.int64)]
        kept = new_slots >= 0
        rebuilt = (merged[kept] & ~_SLOT_MASK) | new_slots[kept].astype(np.uint64)
        self._runs = []
        self._buffered = 0
        if rebuilt.size:
            self._push_run(rebuilt)

    def _flush(self) -> None:
        if self._buffered:
            self._push_run(np.sort(self._buffer[: self._buffered]))
            self._buffered = 0

    def _push_run(self, run: UInt64s) -> None:
        while self._runs and self._runs[-1].size <= _MERGE_RATIO * run.size:
            run = np.sort(np.concatenate((self._runs.pop(), run)), kind="stable")
        self._runs.append(run)

