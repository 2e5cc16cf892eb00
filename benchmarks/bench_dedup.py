"""Dedup throughput and index memory; prints JSON.

    .venv/bin/python benchmarks/bench_dedup.py [--held 100000 1000000] [--articles 2000]

throughput: clean() + fingerprint() + DedupIndex.lookup() on ~3 KB articles (Arabic and
English built from the labelled stories, each made unique) against an index already holding
100k articles. Figures are given on CPU time of this process ("cpu_") as well as wall time:
the machine is shared, and CPU time is what one core can do. lookup_us is measured at every
held size. memory: index bytes per held article for synthetic fingerprints with the sample,
opening and number counts a 3 KB article really has (measured here, not assumed).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.domain.dedup.fingerprint import SAMPLE_MODULUS, Fingerprint, fingerprint
from service.domain.dedup.index import DedupIndex

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "dedup"
WEEK = 7 * 24 * 3600.0


def articles(count: int, target_bytes: int = 3000, seed: int = 7) -> list[str]:
    stories = json.loads((DATA / "stories_ar.json").read_text()) + json.loads((DATA / "stories_en.json").read_text())
    rng = random.Random(seed)
    built = []
    for number in range(count):
        lang = "ar" if number % 2 else "en"
        pool = [p for s in stories if s["lang"] == lang for p in s["paragraphs"]]
        parts = [f"{rng.randrange(10**6)} {rng.randrange(10**6)}"]  # unique opening: no exact hits
        while len("\n\n".join(parts).encode()) < target_bytes:
            parts.append(rng.choice(pool))
        built.append("\n\n".join(parts))
    return built


def synthetic_fingerprint(rng: np.random.Generator, sizes: dict[str, int]) -> Fingerprint:
    sample = np.unique(rng.integers(0, 2**32 // SAMPLE_MODULUS, sizes["sample"], dtype=np.uint64) * SAMPLE_MODULUS)
    opening = np.unique(rng.integers(0, 2**32, sizes["opening"], dtype=np.uint64))
    numbers = np.unique(rng.integers(0, 2**63, sizes["numbers"], dtype=np.uint64))
    return Fingerprint(
        exact=rng.bytes(16),
        sample=tuple(sample.tolist()),
        shingle_count=sizes["sample"] * SAMPLE_MODULUS,
        opening=tuple(opening.tolist()),
        numbers=tuple(numbers.tolist()),
    )


def filled_index(held: int, sizes: dict[str, int]) -> tuple[DedupIndex, float]:
    rng = np.random.default_rng(1)
    index = DedupIndex(WEEK)
    started = time.perf_counter()
    for number in range(held):
        article_id = f"src{number % 97:02d}-{number:012d}-{number * 7919 % 10**9:09d}"  # 29 bytes, like real ids
        index.add(article_id, article_id, synthetic_fingerprint(rng, sizes), 0.0)
    return index, time.perf_counter() - started


def _rate(count: int, seconds: float) -> int:
    return round(count / seconds) if seconds > 0 else 0


def throughput(index: DedupIndex, texts: list[str]) -> dict[str, Any]:
    from service.domain.cleaning.cleaner import clean

    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        index.lookup(fingerprint(clean(text).text), 1.0)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    fp_cpu = time.process_time()
    for text in texts:
        fingerprint(text)
    fp_cpu = time.process_time() - fp_cpu
    clean_cpu = time.process_time()
    for text in texts:
        clean(text)
    clean_cpu = time.process_time() - clean_cpu
    return {
        "articles": len(texts),
        "mean_bytes": round(sum(len(t.encode()) for t in texts) / len(texts)),
        "articles_per_second": _rate(len(texts), wall),
        "cpu_articles_per_second": _rate(len(texts), cpu),
        "cpu_fingerprint_us": round(fp_cpu / len(texts) * 1e6, 1),
        "cpu_clean_us": round(clean_cpu / len(texts) * 1e6, 1),
    }


def lookup_us(index: DedupIndex, texts: list[str]) -> dict[str, float]:
    fingerprints = [fingerprint(text) for text in texts[:500]]
    for fp in fingerprints[:50]:  # warm the caches the way a running worker has them
        index.lookup(fp, 1.0)
    wall, cpu = time.perf_counter(), time.process_time()
    for fp in fingerprints:
        index.lookup(fp, 1.0)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    per_lookup = 1e6 / len(fingerprints)
    return {"lookup_us": round(wall * per_lookup, 1), "cpu_lookup_us": round(cpu * per_lookup, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    texts = articles(args.articles)
    measured = [fingerprint(t) for t in texts[:200]]
    sizes = {
        "sample": round(float(np.mean([len(fp.sample) for fp in measured]))),
        "opening": round(float(np.mean([len(fp.opening or ()) for fp in measured]))),
        "numbers": round(float(np.mean([len(fp.numbers or ()) for fp in measured]))),
    }
    result: dict[str, Any] = {"fingerprint_sizes_3kb": sizes, "memory": []}
    for held in sorted(args.held):
        index, fill_seconds = filled_index(held, sizes)
        result["memory"].append({
            "held": held,
            "index_bytes": index.nbytes,
            "bytes_per_article": round(index.nbytes / held, 1),
            "add_per_second": round(held / fill_seconds),
            **lookup_us(index, texts),
        })
        if held == min(args.held):
            result["throughput"] = {"held": held, **throughput(index, texts)}
        del index
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
