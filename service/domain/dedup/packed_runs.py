"""A compact multimap from (32-bit key, 1-bit tag) to 31-bit slots, packed as one uint64.

A posting is key << 32 | tag << 31 | slot; the tag lets two maps (shingle hashes, exact
digests) share one structure, so a lookup probes both in one vectorised pass.

LSM-like: appends go to a small buffer (sorted lazily before a lookup); a full buffer becomes a
run; runs of similar size are merged (timsort merges two sorted runs in linear time) so there
are only O(log n) runs and each posting is copied O(log n) times. No Python object exists per
posting: 8 bytes each, plus the buffer and the bucket directories.

Large runs are not binary-searched: searching a run far bigger than the CPU caches is a chain
of ~12 dependent cache misses per probe. Keys are uniform hashes, so each large run carries a
bucket directory on the top bits of the key (~BUCKET_POSTINGS postings per bucket): a probe
reads one directory entry and one short contiguous bucket, and all probes of all runs are
gathered with a handful of numpy calls (per-call overhead, not memory, is then the cost).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

UInt64s = npt.NDArray[np.uint64]
UInt32s = npt.NDArray[np.uint32]
Int64s = npt.NDArray[np.int64]

MAX_SLOT = (1 << 31) - 2  # slot 0x7FFFFFFF is reserved: it makes the upper search bound exact
_KEY_SHIFT = np.uint64(32)
_PROBE_SHIFT = np.uint64(31)  # posting >> 31 == key << 1 | tag
_SLOT_MASK = np.uint64(0x7FFFFFFF)
_MERGE_RATIO = 4  # merge the newest run into the previous one while it is ≥ 1/4 of its size
# Runs up to this size stay cache-resident: a plain sorted search is cheaper than a directory.
DIRECTORY_MIN_RUN = 1 << 16
BUCKET_POSTINGS = 16  # mean postings per directory bucket: 4 bytes of directory per 16 postings
# A bucket this full holds a boilerplate key: it is narrowed by a search instead of gathered.
_CROWDED_BUCKET = 8 * BUCKET_POSTINGS


class _Run:
    """One sorted, immutable run of packed postings, with a bucket directory when large."""

    def __init__(self, postings: UInt64s) -> None:
        self.postings = postings
        self.bucket_bits = 0
        self.directory: UInt32s | None = None
        if postings.size >= DIRECTORY_MIN_RUN:
            self.bucket_bits = min(32, int(postings.size // BUCKET_POSTINGS).bit_length() - 1)
            buckets = (postings >> np.uint64(64 - self.bucket_bits)).astype(np.intp)
            starts = np.zeros((1 << self.bucket_bits) + 1, dtype=np.uint32)
            np.cumsum(np.bincount(buckets, minlength=1 << self.bucket_bits), out=starts[1:])
            self.directory = starts

    @property
    def nbytes(self) -> int:
        return self.postings.nbytes + (0 if self.directory is None else self.directory.nbytes)

    def ranges(self, keys: UInt32s, bounds: UInt64s) -> tuple[Int64s, Int64s]:
        """[low, high) per probe: exactly its postings, or (directory) its key's whole bucket."""
        if self.directory is None:
            positions = np.searchsorted(self.postings, bounds).astype(np.int64)
            return positions[0::2], positions[1::2]
        buckets = (keys >> np.uint32(32 - self.bucket_bits)).astype(np.intp)
        return self.directory[buckets].astype(np.int64), self.directory[buckets + 1].astype(np.int64)


class PackedRuns:
    def __init__(self, buffer_capacity: int = 2048) -> None:
        self._buffer = np.empty(buffer_capacity, dtype=np.uint64)
        self._buffered = 0
        self._buffer_sorted = True
        self._runs: list[_Run] = []

    def __len__(self) -> int:
        return self._buffered + sum(run.postings.size for run in self._runs)

    @property
    def nbytes(self) -> int:
        return self._buffer.nbytes + sum(run.nbytes for run in self._runs)

    def add(self, keys: UInt32s, slot: int, tag: int = 0) -> None:
        if not 0 <= slot <= MAX_SLOT:
            raise OverflowError(f"slot {slot} is outside 0..{MAX_SLOT}")
        packed = (keys.astype(np.uint64) << _KEY_SHIFT) | np.uint64(tag << 31 | slot)
        if self._buffered + packed.size > self._buffer.size:
            self._flush()
        if packed.size > self._buffer.size:
            self._push_run(np.sort(packed))
            return
        self._buffer[self._buffered : self._buffered + packed.size] = packed
        self._buffered += packed.size
        self._buffer_sorted = False

    def slots_of(self, keys: UInt32s, max_per_key: int, tags: UInt32s | None = None) -> tuple[Int64s, Int64s]:
        """(slot, probe number) of every posting of the probes (keys[i], tags[i]; tag 0 if None).

        A probe with more than `max_per_key` postings in one run is skipped there: such a
        shingle is boilerplate shared by many stories, costly to gather and no evidence.
        """
        probes = keys.astype(np.uint64) << np.uint64(1)
        if tags is not None:
            probes |= tags.astype(np.uint64)
        # Both search bounds of every probe: [probe << 31, probe << 31 | mask] interleaved.
        bounds = np.repeat(probes << _PROBE_SHIFT, 2)
        bounds[1::2] |= _SLOT_MASK
        self._sort_buffer()
        runs = [*self._runs, _Run(self._buffer[: self._buffered])]
        spans = [run.ranges(keys, bounds) for run in runs]
        low = np.concatenate([span[0] for span in spans])
        high = np.concatenate([span[1] for span in spans])
        counts = high - low
        for at in np.flatnonzero(counts > min(_CROWDED_BUCKET, max_per_key)).tolist():
            run, probe = runs[at // keys.size].postings, at % keys.size
            inside = np.searchsorted(run[low[at] : high[at]], bounds[2 * probe : 2 * probe + 2])
            low[at], high[at] = low[at] + inside[0], low[at] + inside[1]
            counts[at] = 0 if inside[1] - inside[0] > max_per_key else inside[1] - inside[0]
        ends = np.cumsum(counts)
        total = int(ends[-1]) if ends.size else 0
        if not total:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        # Position of every gathered posting inside its own run's array.
        positions = np.repeat(low - (ends - counts), counts) + np.arange(total)
        run_ends = ends[keys.size - 1 :: keys.size].tolist()
        gathered = np.concatenate([
            run.postings[positions[start:end]]
            for run, start, end in zip(runs, [0, *run_ends[:-1]], run_ends, strict=True)
            if end > start
        ])
        probe_of = np.repeat(np.tile(np.arange(keys.size), len(runs)), counts)
        hit = (gathered >> _PROBE_SHIFT) == probes[probe_of]  # buckets also hold other keys
        return (gathered[hit] & _SLOT_MASK).astype(np.int64), probe_of[hit]

    def slots_of_key(self, key: int, tag: int = 0) -> list[int]:
        """Every slot posted under one (key, tag): slots_of for a single probe without its
        vectorised set-up, which costs more than the search itself (id lookups are one key)."""
        low = (key << 1 | tag) << 31
        bounds = np.array((low, low | int(_SLOT_MASK)), dtype=np.uint64)
        self._sort_buffer()
        found: list[int] = []
        for postings in (*(run.postings for run in self._runs), self._buffer[: self._buffered]):
            start, end = np.searchsorted(postings, bounds).tolist()
            if end > start:
                found += (postings[start:end] & _SLOT_MASK).tolist()
        return found

    def compact(self, slot_map: Int64s) -> None:
        """Rewrite as one run: slot s becomes slot_map[s]; postings of slots mapped to -1 go.

        slot_map must be increasing on kept slots, so the packed order is preserved.
        """
        parts = [*(run.postings for run in self._runs), np.sort(self._buffer[: self._buffered])]
        merged = np.sort(np.concatenate(parts), kind="stable")
        new_slots = slot_map[(merged & _SLOT_MASK).astype(np.int64)]
        kept = new_slots >= 0
        rebuilt = (merged[kept] & ~_SLOT_MASK) | new_slots[kept].astype(np.uint64)
        self._runs = []
        self._buffered = 0
        if rebuilt.size:
            self._push_run(rebuilt)

    def _sort_buffer(self) -> None:
        if not self._buffer_sorted:
            # Sorted lazily at the first lookup after adds: timsort on a sorted prefix plus a
            # few new postings is a cheap merge, and the buffer is then searched like a run.
            self._buffer[: self._buffered].sort(kind="stable")
            self._buffer_sorted = True

    def _flush(self) -> None:
        if self._buffered:
            self._push_run(np.sort(self._buffer[: self._buffered]))
            self._buffered = 0

    def _push_run(self, run: UInt64s) -> None:
        while self._runs and self._runs[-1].postings.size <= _MERGE_RATIO * run.size:
            run = np.sort(np.concatenate((self._runs.pop().postings, run)), kind="stable")
        self._runs.append(_Run(run))
