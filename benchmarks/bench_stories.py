"""StoryIndex cost at scale: per-article assign time, candidate lookup time and bytes per article held.

    .venv/bin/python benchmarks/bench_stories.py                 # 1M articles held (several minutes)
    .venv/bin/python benchmarks/bench_stories.py --held 100000   # quicker

Synthetic features shaped like real ones (64 terms drawn from a Zipf vocabulary of 300k stems per
language, 12 entity keys from 50k, 8 numbers with contexts, 4 of them in the lede, a few marks), in
stories of 1-8 reports (a new story 35% of the time), two thirds Arabic. The window is filled the way a
restarted worker fills it (StoryIndex.restore of each article's record), then probes are
assigned one by one on one core:
- assign: the whole decision (candidates, cosines, vetoes, the cross-language link) and the add;
- lookup: the candidate search alone (postings of the rarest keys, ranking), both spaces;
- story: the StoryView of a story (what the stage publishes).
Memory: the index's numpy state, and everything allocated while filling (tracemalloc: numpy
and the Python ids, dicts and lists) per article held.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.domain.stories.facts import DATE, MONTH, WEEKDAY  # noqa: E402
from service.domain.stories.features import MAX_TERMS, StoryFeatures  # noqa: E402
from service.domain.stories.index import StoryIndex  # noqa: E402
from service.domain.stories.records import Assignment, StoryRecord  # noqa: E402

VOCABULARY, NAMES = 300_000, 50_000
LEDE_NUMBERS = 4  # of the 8 numbers
WINDOW = 3 * 86400.0


class Wire:
    """Synthetic articles: each story has a base (terms, names, numbers, marks) its reports vary."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.base: tuple[np.ndarray, ...] | None = None
        self.story = ""

    def next(self, article_id: str, when: float) -> tuple[str, StoryFeatures]:
        rng = self.rng
        if self.base is None or rng.random() < 0.35:  # a new story's first report
            lang = "ar" if rng.random() < 2 / 3 else "en"
            self.base = (np.array([0 if lang == "ar" else 1]), self._zipf(2 * MAX_TERMS),
                         rng.integers(1, NAMES, 12), rng.integers(10, 100_000, 8), rng.integers(1, 2**32, 8))
            self.story = article_id
        lang_code, terms, names, values, contexts = self.base
        terms = np.where(rng.random(terms.size) < 0.4, self._zipf(terms.size), terms)
        terms = np.array(list(dict.fromkeys(terms.tolist()))[:MAX_TERMS], dtype=np.int64) + 1 + 7919 * lang_code[0]
        numbers = (values.astype(np.float32).view(np.uint32).astype(np.uint64) << np.uint64(32)) | contexts.astype(
            np.uint64)
        numbers[:LEDE_NUMBERS] |= np.uint64(1 << 63)  # stated in the lede: what the vetoes and agreement read
        month = int(rng.integers(1, 13))
        marks = (MONTH << 12 | 1 << 11 | month, DATE << 12 | month * 32 + int(rng.integers(1, 29)),
                 WEEKDAY << 12 | 1 << 11 | int(rng.integers(1, 8)))
        features = StoryFeatures(
            lang=("ar", "en")[lang_code[0]], time=when, terms=tuple(terms.tolist()),
            counts=tuple(rng.integers(1, 4, terms.size).tolist()), names=tuple(names.tolist()),
            numbers=tuple(numbers.tolist()), marks=marks, source=f"s{int(rng.integers(500))}",
            headline=f"headline of {article_id}")
        return self.story, features

    def _zipf(self, n: int) -> np.ndarray:
        return self.rng.zipf(1.2, n) % VOCABULARY


def fill(index: StoryIndex, wire: Wire, held: int) -> None:
    """Rebuild the window from records, as a restarted worker does."""
    span = 0.9 * WINDOW
    for i in range(held):
        story, features = wire.next(f"a{i}", span * i / held)
        relation = "founded" if story == f"a{i}" else "rewrite"
        index.restore(StoryRecord.of(Assignment(f"a{i}", story, story, relation, 1.0, features.lang),
                                     features.time, features.source, features))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--held", type=int, default=1_000_000)
    parser.add_argument("--measure", type=int, default=2000)
    args = parser.parse_args()
    wire, index = Wire(14), StoryIndex(WINDOW)
    tracemalloc.start()
    started = time.perf_counter()
    fill(index, wire, args.held)
    fill_seconds = time.perf_counter() - started
    traced, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    now = 0.9 * WINDOW
    probes = [wire.next(f"p{i}", now + i * 0.2)[1] for i in range(args.measure)]
    assign, lookup, view = [], [], []
    for i, features in enumerate(probes):
        t0 = time.perf_counter()
        index._same_language_matches(features)
        t1 = time.perf_counter()
        assignment = index.assign(f"p{i}", features)
        t2 = time.perf_counter()
        index.story(assignment.story_id)
        t3 = time.perf_counter()
        lookup.append(t1 - t0)
        assign.append(t2 - t1)
        view.append(t3 - t2)

    def ms(values: list[float], q: float) -> float:
        return round(1000 * float(np.percentile(values, q)), 3)

    print(json.dumps({
        "held": len(index), "stories": len(index.stories),
        "assign_ms_p50": ms(assign, 50), "assign_ms_p99": ms(assign, 99), "assign_ms_mean": round(
            1000 * float(np.mean(assign)), 3),
        "same_language_lookup_ms_p50": ms(lookup, 50), "same_language_lookup_ms_p99": ms(lookup, 99),
        "story_view_ms_p50": ms(view, 50),
        "restore_ms_per_article": round(1000 * fill_seconds / args.held, 3),
        "numpy_bytes_per_article": round(index.nbytes / len(index)),
        "traced_bytes_per_article": round(traced / args.held),
    }))


if __name__ == "__main__":
    main()
