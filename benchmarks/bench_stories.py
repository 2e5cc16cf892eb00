"""StoryIndex cost at scale: per-article assign time, lookup time and bytes per article held.

    .venv/bin/python benchmarks/bench_stories.py                 # 1M articles held (a few minutes)
    .venv/bin/python benchmarks/bench_stories.py --held 100000   # quicker

Synthetic features shaped like real ones (48 terms drawn from a Zipf vocabulary of 200k words,
12 entity keys from 50k, 8 numbers, 2 years, a 512-d int8 vector), in stories of 1-8 reports,
so candidates, postings and document frequencies behave as on a wire. Timing is per call on
one core; memory is the index's numpy state plus its Python ids (tracemalloc).
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

from service.domain.stories.features import MAX_TERMS, StoryFeatures  # noqa: E402
from service.domain.stories.index import StoryIndex  # noqa: E402

VOCABULARY, NAMES = 200_000, 50_000


def make(rng: np.random.Generator, n: int, start: float, span: float) -> list[StoryFeatures]:
    out = []
    base = None
    for i in range(n):
        if base is None or rng.random() < 0.35:  # a new story's first report
            base = (np.unique(rng.zipf(1.3, MAX_TERMS * 2) % VOCABULARY)[:MAX_TERMS],
                    rng.integers(1, NAMES, 12), rng.integers(1, 2**31, 8), rng.normal(size=512))
        terms, names, numbers, vector = base
        terms = np.where(rng.random(terms.size) < 0.4, rng.zipf(1.3, terms.size) % VOCABULARY, terms)
        vec = vector + 0.7 * rng.normal(size=512)
        out.append(StoryFeatures(
            lang="ar" if i % 3 else "en", time=start + span * i / n,
            terms=tuple(int(t) + 1 for t in dict.fromkeys(terms.tolist())), counts=(), names=tuple(names.tolist()),
            numbers=tuple(sorted(int(v) << 32 | 7 for v in numbers.tolist())), dates=(), years=(2031, 2030),
            vector=np.clip(vec / np.linalg.norm(vec) * 127, -127, 127).astype(np.int8).tobytes(),
            source=f"s{i % 500}", headline=f"headline {i}"))
        out[-1] = StoryFeatures(**{**out[-1].__dict__, "counts": tuple([1] * len(out[-1].terms))})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--held", type=int, default=1_000_000)
    parser.add_argument("--measure", type=int, default=2000)
    args = parser.parse_args()
    rng = np.random.default_rng(14)
    window = 3 * 86400.0
    tracemalloc.start()
    index = StoryIndex(window)
    chunk = 50_000
    fill_started = time.perf_counter()
    for at in range(0, args.held, chunk):
        for j, f in enumerate(make(rng, min(chunk, args.held - at), at * 0.2, chunk * 0.2)):
            index.assign(f"a{at + j}", f)
    fill_seconds = time.perf_counter() - fill_started
    traced, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    probes = make(rng, args.measure, args.held * 0.2, args.measure * 0.2)
    assign_times, lookup_times = [], []
    for i, f in enumerate(probes):
        t0 = time.perf_counter()
        index.assign(f"p{i}", f)
        assign_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        index.story(index.assignment_of(f"a{i}").story_id)  # type: ignore[union-attr]
        lookup_times.append(time.perf_counter() - t0)
    figures = {
        "held": len(index), "stories": len(index.stories),
        "assign_ms_p50": round(1000 * float(np.percentile(assign_times, 50)), 3),
        "assign_ms_p99": round(1000 * float(np.percentile(assign_times, 99)), 3),
        "assign_ms_mean_while_filling": round(1000 * fill_seconds / args.held, 3),
        "story_lookup_ms_p50": round(1000 * float(np.percentile(lookup_times, 50)), 4),
        "numpy_bytes_per_article": round(index.nbytes / len(index)),
        "traced_bytes_per_article": round(traced / args.held),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
