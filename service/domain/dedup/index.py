"""The near-duplicate index: candidates by sampled shingle hash, verified by containment.

Every held article gets a slot; per-slot metadata lives in numpy columns and article ids in
one byte blob, so memory is a few hundred bytes per article and no Python object exists per
article or posting. Two packed multimaps (see packed_runs) find slots by shingle hash or exact
digest (one map, told apart by a tag bit, probed in one pass) and by article id; a 32-bit key
may collide, so every hit is checked against the slot's full value. Retrieval and verification
are one pass: counting how often each slot comes back for the query's sample gives
|sample(query) ∩ sample(slot)| exactly. A near match must then pass the guards of
dedup_guards, fed from a second blob holding each slot's opening hashes and numbers.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt

from service.domain.dedup.fingerprint import Fingerprint
from service.domain.dedup.guards import SHORT_CONTAINMENT, SHORT_SAMPLE, numbers_disagree, short_text_containment
from service.domain.dedup.packed_runs import MAX_SLOT, Int64s, PackedRuns

DEFAULT_THRESHOLD = 0.5  # measured: benchmarks/eval_dedup.py (--sweep) and eval_real.py (real pages)
# Below this many sampled hashes on the shorter side a containment estimate is noise:
# such texts only match exactly.
MIN_SAMPLE = 4
# A shingle hash held by more articles than this is boilerplate, not evidence (and slow).
MAX_POSTINGS_PER_HASH = 5000
# Dead slots are physically dropped once they are this share of all slots.
COMPACT_DEAD_SHARE = 0.25
_MIN_CAPACITY = 1024
_EXACT_TAG = 1  # exact-digest postings share the shingle map under this tag
_NO_DETAIL = 255  # opening length of a slot added from a version-1 fingerprint: guards abstain


@dataclass(frozen=True)
class Match:
    article_id: str
    cluster_id: str
    similarity: float
    method: Literal["exact", "near"]


class DedupIndex:
    def __init__(self, window_seconds: float, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not (isinstance(window_seconds, (int, float)) and math.isfinite(window_seconds) and window_seconds > 0):
            raise ValueError(
                "window_seconds must be a finite number of seconds > 0 (e.g. 604800 for 7 days), "
                f"got {window_seconds!r}"
            )
        if not (isinstance(threshold, (int, float)) and 0.0 < threshold <= 1.0):
            raise ValueError(
                "threshold is a containment share and must be in (0, 1] "
                f"(default {DEFAULT_THRESHOLD}), got {threshold!r}"
            )
        self._window = float(window_seconds)
        self._threshold = float(threshold)
        self._postings = PackedRuns()
        self._id_keys = PackedRuns(buffer_capacity=256)
        self._slots = 0
        self._dead = 0
        self._received: npt.NDArray[np.float64] = np.empty(_MIN_CAPACITY, dtype=np.float64)
        self._sample_size: npt.NDArray[np.uint16] = np.empty(_MIN_CAPACITY, dtype=np.uint16)
        self._exact: npt.NDArray[np.uint64] = np.empty((_MIN_CAPACITY, 2), dtype=np.uint64)  # the 16-byte digest
        self._alive: npt.NDArray[np.bool_] = np.zeros(_MIN_CAPACITY, dtype=np.bool_)
        self._id_end: npt.NDArray[np.int64] = np.empty(_MIN_CAPACITY, dtype=np.int64)  # id bytes end in _ids
        self._ids = bytearray()
        # Per slot in _details: its opening hashes (<u4) then its numbers (<u8).
        self._detail_end: npt.NDArray[np.int64] = np.empty(_MIN_CAPACITY, dtype=np.int64)
        self._opening_len: npt.NDArray[np.uint8] = np.empty(_MIN_CAPACITY, dtype=np.uint8)
        self._details = bytearray()
        self._clusters: dict[int, str] = {}  # only slots whose cluster is not their own id

    def __len__(self) -> int:
        return self._slots - self._dead

    @property
    def nbytes(self) -> int:
        columns = (self._received, self._sample_size, self._exact, self._alive, self._id_end, self._detail_end,
                   self._opening_len)
        runs = (self._postings, self._id_keys)
        return sum(c.nbytes for c in columns) + sum(r.nbytes for r in runs) + len(self._ids) + len(self._details)

    def cluster_of(self, article_id: str) -> str | None:
        """The cluster of a held article, or None if it is not held (never added, removed, expired)."""
        slot = self._slot_of(article_id)
        return None if slot is None else self._cluster(slot, article_id)

    def lookup(self, fp: Fingerprint, now: float) -> Match | None:
        """The earliest-received held article that fp copies (exact first, then near)."""
        cutoff = now - self._window
        keys = np.empty(len(fp.sample) + 1, dtype=np.uint32)
        keys[:-1] = fp.sample
        keys[-1] = _key32(fp.exact)
        tags = np.zeros(keys.size, dtype=np.uint32)
        tags[-1] = _EXACT_TAG
        slots, probes = self._postings.slots_of(keys, MAX_POSTINGS_PER_HASH, tags)
        is_exact = probes == keys.size - 1
        return self._exact_match(fp, slots[is_exact], cutoff) or self._near_match(fp, slots[~is_exact], cutoff)

    def add(self, article_id: str, cluster_id: str, fp: Fingerprint, received_at: float) -> None:
        if self._slot_of(article_id) is not None:
            raise ValueError(f"article {article_id!r} is already held; remove() it before adding it again")
        if self._slots > MAX_SLOT:
            raise OverflowError("dedup index slots exhausted; expire() old entries to compact")
        slot = self._slots
        self._ensure_capacity(slot + 1)
        id_bytes = article_id.encode()
        self._ids += id_bytes
        self._id_end[slot] = len(self._ids)
        self._received[slot] = received_at
        self._sample_size[slot] = len(fp.sample)
        self._exact[slot] = np.frombuffer(fp.exact, dtype=np.uint64, count=2)
        self._alive[slot] = True
        if cluster_id != article_id:
            self._clusters[slot] = cluster_id
        self._postings.add(np.asarray(fp.sample, dtype=np.uint32), slot)
        self._postings.add(np.array([_key32(fp.exact)], dtype=np.uint32), slot, tag=_EXACT_TAG)
        if fp.opening is None or fp.numbers is None or len(fp.opening) >= _NO_DETAIL:
            self._opening_len[slot] = _NO_DETAIL
        else:
            self._opening_len[slot] = len(fp.opening)
            self._details += np.asarray(fp.opening, dtype="<u4").tobytes()
            self._details += np.asarray(fp.numbers, dtype="<u8").tobytes()
        self._detail_end[slot] = len(self._details)
        self._id_keys.add(np.array([zlib.crc32(id_bytes)], dtype=np.uint32), slot)
        self._slots += 1

    def remove(self, article_id: str) -> None:
        slot = self._slot_of(article_id)
        if slot is not None:
            self._kill(np.array([slot], dtype=np.int64))

    def expire(self, now: float) -> int:
        """Stop matching entries older than the window; returns how many were dropped."""
        return len(self.drop_expired(now))

    def drop_expired(self, now: float) -> list[str]:
        """Like expire(), but returns the dropped article ids (to delete them from durable state)."""
        held = np.flatnonzero(self._alive[: self._slots])
        old = held[self._received[held] < now - self._window]
        dropped = [self._article_id(int(slot)) for slot in old]
        self._kill(old)
        return dropped

    # -- matching -----------------------------------------------------------------------

    def _exact_match(self, fp: Fingerprint, slots: Int64s, cutoff: float) -> Match | None:
        if not slots.size:
            return None
        digest = np.frombuffer(fp.exact, dtype=np.uint64, count=2)
        slots = slots[self._live(slots, cutoff) & (self._exact[slots] == digest).all(axis=1)]
        if not slots.size:
            return None
        slot = self._earliest(slots)
        return self._match(slot, 1.0, "exact")

    def _near_match(self, fp: Fingerprint, hits: Int64s, cutoff: float) -> Match | None:
        if len(fp.sample) < MIN_SAMPLE or not hits.size:
            return None
        slots, shared = np.unique(hits, return_counts=True)
        live = self._live(slots, cutoff)
        slots, shared = slots[live], shared[live]
        smaller = np.minimum(self._sample_size[slots].astype(np.int64), len(fp.sample))
        containment = shared / np.maximum(smaller, 1)
        verified = np.flatnonzero((containment >= self._threshold) & (smaller >= MIN_SAMPLE))
        if not verified.size:
            return None
        passed = [int(v) for v in verified.tolist() if self._passes_guards(fp, int(slots[v]), int(shared[v]))]
        if not passed:
            return None
        slots, containment = slots[passed], containment[passed]
        # The most similar held article: on real pages a copy also clears the threshold against
        # other texts of its topic (a template, a shared statement); first-seen breaks ties.
        best = slots[containment >= containment.max() - 1e-9]
        slot = self._earliest(best)
        return self._match(slot, float(containment[slots == slot][0]), "near")

    def _passes_guards(self, fp: Fingerprint, slot: int, shared: int) -> bool:
        """The dedup_guards checks; they abstain when either side lacks the details (format v1)."""
        held = self._detail(slot)
        if held is None or fp.opening is None or fp.numbers is None:
            return True
        held_opening, held_numbers = held
        if numbers_disagree(fp.numbers, held_numbers):
            return False
        held_size = int(self._sample_size[slot])
        if min(held_size, len(fp.sample)) > SHORT_SAMPLE:
            return True
        if held_size < len(fp.sample):
            ratio = short_text_containment(shared, held_size, held_opening, fp.opening)
        else:
            ratio = short_text_containment(shared, len(fp.sample), fp.opening, held_opening)
        return ratio >= SHORT_CONTAINMENT

    def _detail(self, slot: int) -> tuple[list[int], list[int]] | None:
        opening_len = int(self._opening_len[slot])
        if opening_len == _NO_DETAIL:
            return None
        start = int(self._detail_end[slot - 1]) if slot else 0
        end = int(self._detail_end[slot])
        data = bytes(self._details[start:end])
        opening = np.frombuffer(data, dtype="<u4", count=opening_len).tolist()
        numbers = np.frombuffer(data, dtype="<u8", offset=4 * opening_len).tolist()
        return opening, numbers

    def _earliest(self, slots: Int64s) -> int:
        # First-seen is canonical; it also keeps a replay's verdict stable when newer
        # originals that resemble it were added in between.
        order = np.lexsort((slots, self._received[slots]))
        return int(slots[order[0]])

    def _match(self, slot: int, similarity: float, method: Literal["exact", "near"]) -> Match:
        article_id = self._article_id(slot)
        return Match(article_id, self._cluster(slot, article_id), similarity, method)

    def _live(self, slots: Int64s, cutoff: float) -> npt.NDArray[np.bool_]:
        return self._alive[slots] & (self._received[slots] >= cutoff)

    # -- slots ---------------------------------------------------------------------------

    def _slot_of(self, article_id: str) -> int | None:
        id_bytes = article_id.encode()
        for slot in self._id_keys.slots_of_key(zlib.crc32(id_bytes)):
            if self._alive[slot] and self._id_bytes(slot) == id_bytes:
                return int(slot)
        return None

    def _id_bytes(self, slot: int) -> bytes:
        start = int(self._id_end[slot - 1]) if slot else 0
        return bytes(self._ids[start : int(self._id_end[slot])])

    def _article_id(self, slot: int) -> str:
        return self._id_bytes(slot).decode()

    def _cluster(self, slot: int, article_id: str) -> str:
        return self._clusters.get(slot, article_id)

    def _kill(self, slots: Int64s) -> None:
        if not slots.size:
            return
        self._alive[slots] = False
        self._dead += int(slots.size)
        if self._dead >= COMPACT_DEAD_SHARE * self._slots:
            self._compact()

    def _compact(self) -> None:
        """Physically drop dead slots and renumber the living ones in order."""
        alive = self._alive[: self._slots]
        slot_map = np.where(alive, np.cumsum(alive) - 1, -1).astype(np.int64)
        for runs in (self._postings, self._id_keys):
            runs.compact(slot_map)
        lengths = np.diff(self._id_end[: self._slots], prepend=0)
        self._ids = _kept_bytes(self._ids, alive, lengths)
        detail_lengths = np.diff(self._detail_end[: self._slots], prepend=0)
        self._details = _kept_bytes(self._details, alive, detail_lengths)
        self._clusters = {int(slot_map[s]): c for s, c in self._clusters.items() if alive[s]}
        kept = int(alive.sum())
        capacity = max(_MIN_CAPACITY, kept + kept // 4)
        self._received = _resized(self._received[: self._slots][alive], capacity)
        self._sample_size = _resized(self._sample_size[: self._slots][alive], capacity)
        self._exact = _resized(self._exact[: self._slots][alive], capacity)
        self._id_end = _resized(np.cumsum(lengths[alive]), capacity)
        self._detail_end = _resized(np.cumsum(detail_lengths[alive]), capacity)
        self._opening_len = _resized(self._opening_len[: self._slots][alive], capacity)
        self._alive = _resized(np.ones(kept, dtype=np.bool_), capacity, fill=False)
        self._slots, self._dead = kept, 0

    def _ensure_capacity(self, needed: int) -> None:
        if needed <= self._received.shape[0]:
            return
        capacity = max(needed, 2 * self._received.shape[0])
        self._received = _resized(self._received[: self._slots], capacity)
        self._sample_size = _resized(self._sample_size[: self._slots], capacity)
        self._exact = _resized(self._exact[: self._slots], capacity)
        self._id_end = _resized(self._id_end[: self._slots], capacity)
        self._detail_end = _resized(self._detail_end[: self._slots], capacity)
        self._opening_len = _resized(self._opening_len[: self._slots], capacity)
        self._alive = _resized(self._alive[: self._slots], capacity, fill=False)


def _key32(digest: bytes) -> int:
    return int.from_bytes(digest[:4], "little")


def _kept_bytes(blob: bytearray, alive: npt.NDArray[np.bool_], lengths: Int64s) -> bytearray:
    """The blob without the byte ranges of dead slots (lengths: bytes per slot, in order)."""
    data = np.frombuffer(bytes(blob), dtype=np.uint8)
    return bytearray(data[np.repeat(alive, lengths)].tobytes())


_Item = TypeVar("_Item", bound=np.generic)


def _resized(values: npt.NDArray[_Item], capacity: int, fill: object = 0) -> npt.NDArray[_Item]:
    grown = np.full((capacity, *values.shape[1:]), fill, dtype=values.dtype)
    grown[: values.shape[0]] = values
    return grown
