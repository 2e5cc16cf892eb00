"""Fingerprints: an exact digest plus a consistent sample of word-shingle hashes.

Shingles are runs of SHINGLE_WORDS normalised words, hashed to 32 bits. Only hashes with
h % SAMPLE_MODULUS == 0 are kept ("modular sampling"), so sample(A ∩ B) = sample(A) ∩ sample(B)
and containment can be estimated from samples alone. Both constants were chosen by measurement
on tests/data/dedup (see benchmarks/eval_dedup.py --sweep).

Two small extras (format version 2) serve the guards in dedup_guards: `opening`, the unsampled
hashes of the first OPENING_SHINGLES shingles (with the sample: every shingle of a short text,
so one sentence is compared exactly rather than through a sample of ten hashes), and `numbers`,
each number token of the opening keyed by its word context (so "Ramadan 1444" and
"Ramadan 1445" can be seen to disagree). Hashes are fixed arithmetic, never Python's hash():
fingerprints are persisted and compared across processes.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from service.domain.cleaning.normalize import CodePoints, normalized_code_points
from service.domain.dedup.quantities import DATELINE_WORDS, LEDE_MARK, LEDE_WORDS, OPENING_MARK, QUANTITY_WORDS

_QUANTITY_KEYS = frozenset(QUANTITY_WORDS)

SHINGLE_WORDS = 5
SAMPLE_MODULUS = 2
# The sample keeps the first MAX_SAMPLE sampled shingles in text order: syndicated copies are
# truncated to the opening paragraphs, so the opening is what identifies a story, and the cap
# bounds index memory for very long articles.
MAX_SAMPLE = 80
OPENING_SHINGLES = 64  # covers a one-sentence copy even behind a headline or dateline
NUMBER_WORDS = 200  # numbers are read where the sample reads: the opening
MAX_NUMBERS = 12

_V1, _V2 = 1, 2
_HEADER = struct.Struct("<BI16sH")  # version, shingle_count, exact digest, sample length
_V2_LENGTHS = struct.Struct("<BB")  # opening length, numbers length
_DIGITS = (0x30, 0x39)
_POLY_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_MASK64 = (1 << 64) - 1

UInt64s = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Fingerprint:
    exact: bytes  # 16-byte digest of the normalised text
    sample: tuple[int, ...]  # sorted unique sampled shingle hashes (uint32 range)
    shingle_count: int  # shingles in the whole text (before sampling)
    # None: read from a version-1 record, which did not carry them (the guards then abstain).
    opening: tuple[int, ...] | None = None  # sorted unique unsampled hashes of the opening
    numbers: tuple[int, ...] | None = None  # sorted unique context32 << 32 | number32

    def to_bytes(self) -> bytes:
        sample = np.asarray(self.sample, dtype="<u4").tobytes()
        if self.opening is None or self.numbers is None:
            return _HEADER.pack(_V1, self.shingle_count, self.exact, len(self.sample)) + sample
        header = _HEADER.pack(_V2, self.shingle_count, self.exact, len(self.sample))
        lengths = _V2_LENGTHS.pack(len(self.opening), len(self.numbers))
        opening = np.asarray(self.opening, dtype="<u4").tobytes()
        return header + lengths + sample + opening + np.asarray(self.numbers, dtype="<u8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """Reads format versions 1 and 2 (tables persist fingerprints across upgrades)."""
        if len(data) < _HEADER.size:
            raise ValueError(f"fingerprint needs at least {_HEADER.size} bytes, got {len(data)}")
        version, shingle_count, exact, length = _HEADER.unpack_from(data)
        if version not in (_V1, _V2):
            raise ValueError(f"fingerprint format version {version} is not supported (expected {_V1} or {_V2})")
        opening_length = number_length = 0
        offset = _HEADER.size
        if version == _V2:
            if len(data) < offset + _V2_LENGTHS.size:
                raise ValueError(f"fingerprint v2 needs at least {offset + _V2_LENGTHS.size} bytes, got {len(data)}")
            opening_length, number_length = _V2_LENGTHS.unpack_from(data, offset)
            offset += _V2_LENGTHS.size
        expected = 4 * length + 4 * opening_length + 8 * number_length
        if len(data) - offset != expected:
            raise ValueError(f"fingerprint declares {expected} bytes of hashes but carries {len(data) - offset}")
        sample = tuple(np.frombuffer(data, dtype="<u4", count=length, offset=offset).tolist())
        if version == _V1:
            return cls(exact=exact, sample=sample, shingle_count=shingle_count)
        offset += 4 * length
        opening = tuple(np.frombuffer(data, dtype="<u4", count=opening_length, offset=offset).tolist())
        offset += 4 * opening_length
        numbers = tuple(np.frombuffer(data, dtype="<u8", count=number_length, offset=offset).tolist())
        return cls(exact, sample, shingle_count, opening, numbers)


def fingerprint(text: str) -> Fingerprint:
    return fingerprint_with(text, SHINGLE_WORDS, SAMPLE_MODULUS, MAX_SAMPLE)


def fingerprint_with(text: str, shingle_words: int, sample_modulus: int, max_sample: int) -> Fingerprint:
    """fingerprint() with explicit parameters (for measuring them; production uses the defaults)."""
    points = normalized_code_points(text)
    exact = hashlib.blake2b(points.tobytes(), digest_size=16).digest()
    if points.size == 0:
        return Fingerprint(exact, (), 0, (), ())
    words = _Words(points)
    hashes = words.shingle_hashes(shingle_words)
    is_sampled = hashes % np.uint32(sample_modulus) == 0
    first_sampled = list(dict.fromkeys(hashes[is_sampled].tolist()))[:max_sample]  # unique, in text order
    opening = {h for h in hashes[:OPENING_SHINGLES].tolist() if h % sample_modulus}
    return Fingerprint(
        exact=exact,
        sample=tuple(sorted(first_sampled)),
        shingle_count=int(hashes.size),
        opening=tuple(sorted(opening)),
        numbers=tuple(words.numbers_in_context(NUMBER_WORDS, MAX_NUMBERS)),
    )


def shingle_hashes(points: CodePoints, words: int) -> npt.NDArray[np.uint32]:
    """32-bit hash of every run of `words` consecutive words, in text order."""
    if points.size == 0:
        return np.empty(0, dtype=np.uint32)
    return _Words(points).shingle_hashes(words)


class _Words:
    """The words of a normalised text, hashed without Python work per word.

    A polynomial prefix hash over code points makes the hash of any span O(1) and vectorised.
    """

    def __init__(self, points: CodePoints) -> None:
        self.points = points
        spaces = np.flatnonzero(points == 0x20)
        self.starts = np.concatenate(([0], spaces + 1))
        self.ends = np.concatenate((spaces, [points.size]))
        powers, self._inverse_powers = _powers(points.size + 1)
        with np.errstate(over="ignore"):
            self._prefix = np.zeros(points.size + 1, dtype=np.uint64)
            np.cumsum(points.astype(np.uint64) * powers[: points.size], out=self._prefix[1:])

    def _span_hashes(self, first: npt.NDArray[np.int64], last: npt.NDArray[np.int64]) -> UInt64s:
        with np.errstate(over="ignore"):
            spans: UInt64s = (self._prefix[last] - self._prefix[first]) * self._inverse_powers[first]
        return spans

    def shingle_hashes(self, words: int) -> npt.NDArray[np.uint32]:
        """Every run of `words` consecutive words, in text order; a shorter text is one shingle."""
        span = min(words, self.starts.size)
        first, last = self.starts[: self.starts.size - span + 1], self.ends[span - 1 :]
        return _mix(self._span_hashes(first, last))

    def numbers_in_context(self, within_words: int, limit: int) -> list[int]:
        """Sorted context32 << 32 | value32 for the first `limit` numbers of the first words, and
        the dates and ordinals of the opening under a marker context (see quantities.py).

        A number is a word that starts with a digit, an ordinal or a month name. The context is the
        two words either side, numbers among them masked as "#": texts that agree on the words
        around a number but not on the number are about different events. Months and ordinals are
        also kept under LEDE_MARK (in the lede) or OPENING_MARK, whatever their words around: a
        template reworded around "the tenth plane" or "until September" still disagrees.
        This is plain Python on the opening's words (CRC-32: stable across processes, unlike hash()).
        """
        end = int(self.ends[min(within_words, self.ends.size) - 1])
        first_points = self.points[self.starts[:within_words]]
        digit_at = np.flatnonzero((first_points >= _DIGITS[0]) & (first_points <= _DIGITS[1])) + 2
        words = ["", "", *self.points[:end].tobytes().decode("utf-32-le").split(" "), "", ""]
        named = _QUANTITY_KEYS.intersection(words)  # most openings name none: skip the Python loop
        named_at = [at for at, word in enumerate(words) if word in named] if named else []
        values = {at: words[at] for at in digit_at.tolist()} | {at: QUANTITY_WORDS[words[at]] for at in named_at}
        entries = set()
        for at in sorted(values)[:limit]:
            around = [("#" if near in values else words[near]) for near in (at - 2, at - 1, at + 1, at + 2)]
            entries.add(zlib.crc32(" ".join(around).encode()) << 32 | zlib.crc32(values[at].encode()))
        for at in named_at:
            # A dateline's date ("ZURICH, 11 December") says when, not what: not the lede's.
            dateline = at - 2 < DATELINE_WORDS and words[at - 1][:1].isdigit()
            mark = LEDE_MARK if at - 2 < LEDE_WORDS and not dateline else OPENING_MARK
            entries.add(mark << 32 | zlib.crc32(values[at].encode()))
        return sorted(entries)


def _mix(values: UInt64s) -> npt.NDArray[np.uint32]:
    """splitmix64 finaliser: spreads the polynomial hash so `% modulus` samples uniformly."""
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        values = values ^ (values >> np.uint64(31))
    return (values >> np.uint64(32)).astype(np.uint32)


def _powers(length: int) -> tuple[UInt64s, UInt64s]:
    """BASE**i and BASE**-i modulo 2**64 for i < length (cached in growing power-of-two sizes)."""
    return _power_tables(max(4096, 1 << (length - 1).bit_length()))


@cache
def _power_tables(size: int) -> tuple[UInt64s, UInt64s]:
    inverse = pow(_POLY_BASE, -1, 1 << 64)
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(size, _POLY_BASE, dtype=np.uint64), dtype=np.uint64)
        inverse_powers = np.cumprod(np.full(size, inverse, dtype=np.uint64), dtype=np.uint64)
    # cumprod starts at BASE**1; shift so index i holds BASE**i.
    powers[1:], powers[0] = powers[:-1].copy(), 1
    inverse_powers[1:], inverse_powers[0] = inverse_powers[:-1].copy(), 1
    return powers, inverse_powers
