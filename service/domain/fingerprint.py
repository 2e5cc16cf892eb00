"""Fingerprints: an exact digest plus a consistent sample of word-shingle hashes.

Shingles are runs of SHINGLE_WORDS normalised words, hashed to 32 bits. Only hashes with
h % SAMPLE_MODULUS == 0 are kept ("modular sampling"), so sample(A ∩ B) = sample(A) ∩ sample(B)
and containment can be estimated from samples alone. Both constants were chosen by measurement
on tests/data/dedup (see benchmarks/eval_dedup.py --sweep).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from service.domain.normalize import CodePoints, normalized_code_points

SHINGLE_WORDS = 5
SAMPLE_MODULUS = 2
# The sample keeps the first MAX_SAMPLE sampled shingles in text order: syndicated copies are
# truncated to the opening paragraphs, so the opening is what identifies a story, and the cap
# bounds index memory for very long articles.
MAX_SAMPLE = 80

_FORMAT_VERSION = 1
_HEADER = struct.Struct("<BI16sH")  # version, shingle_count, exact digest, sample length
_POLY_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_MASK64 = (1 << 64) - 1

UInt64s = npt.NDArray[np.uint64]


@dataclass(frozen=True)
class Fingerprint:
    exact: bytes  # 16-byte digest of the normalised text
    sample: tuple[int, ...]  # sorted unique sampled shingle hashes (uint32 range)
    shingle_count: int  # shingles in the whole text (before sampling)

    def to_bytes(self) -> bytes:
        header = _HEADER.pack(_FORMAT_VERSION, self.shingle_count, self.exact, len(self.sample))
        return header + np.asarray(self.sample, dtype="<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        if len(data) < _HEADER.size:
            raise ValueError(f"fingerprint needs at least {_HEADER.size} bytes, got {len(data)}")
        version, shingle_count, exact, length = _HEADER.unpack_from(data)
        if version != _FORMAT_VERSION:
            raise ValueError(f"fingerprint format version {version} is not supported (expected {_FORMAT_VERSION})")
        body = data[_HEADER.size :]
        if len(body) != 4 * length:
            raise ValueError(f"fingerprint declares {length} hashes but carries {len(body)} bytes")
        sample = tuple(np.frombuffer(body, dtype="<u4").tolist())
        return cls(exact=exact, sample=sample, shingle_count=shingle_count)


def fingerprint(text: str) -> Fingerprint:
    return fingerprint_with(text, SHINGLE_WORDS, SAMPLE_MODULUS, MAX_SAMPLE)


def fingerprint_with(text: str, shingle_words: int, sample_modulus: int, max_sample: int) -> Fingerprint:
    """fingerprint() with explicit parameters (for measuring them; production uses the defaults)."""
    points = normalized_code_points(text)
    exact = hashlib.blake2b(points.tobytes(), digest_size=16).digest()
    hashes = shingle_hashes(points, shingle_words)
    sampled = hashes[hashes % np.uint32(sample_modulus) == 0]
    _, first_seen = np.unique(sampled, return_index=True)
    kept = sampled[np.sort(first_seen)[:max_sample]]
    return Fingerprint(exact=exact, sample=tuple(np.sort(kept).tolist()), shingle_count=int(hashes.size))


def shingle_hashes(points: CodePoints, words: int) -> npt.NDArray[np.uint32]:
    """32-bit hash of every run of `words` consecutive words, in text order.

    A polynomial prefix hash over code points makes each shingle's hash O(1) and vectorised:
    no Python work per word. A text shorter than `words` words is one shingle.
    """
    if points.size == 0:
        return np.empty(0, dtype=np.uint32)
    spaces = np.flatnonzero(points == 0x20)
    starts = np.concatenate(([0], spaces + 1))
    ends = np.concatenate((spaces, [points.size]))
    span = min(words, starts.size)
    first, last = starts[: starts.size - span + 1], ends[span - 1 :]
    powers, inverse_powers = _powers(points.size + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(points.size + 1, dtype=np.uint64)
        np.cumsum(points.astype(np.uint64) * powers[: points.size], out=prefix[1:])
        raw = (prefix[last] - prefix[first]) * inverse_powers[first]
        return _mix(raw)


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
