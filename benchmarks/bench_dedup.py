"""Dedup throughput and index memory; prints JSON.

    .venv/bin/python benchmarks/bench_dedup.py [--held 100000 1000000] [--articles 2000]

throughput: clean() + fingerprint() + DedupIndex.lookup() on ~3 KB articles (Arabic and
English built from the labelled stories, each made unique) against an index already holding
100k articles. memory: index bytes per held article for synthetic fingerprints with the sample
size a 3 KB article really has (measured here, not assumed).
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

from service.domain.dedup_index import DedupIndex
from service.domain.fingerprint import SAMPLE_MODULUS, Fingerprint, fingerprint

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


def synthetic_fingerprint(rng: np.random.Generator, sample_size: int) -> Fingerprint:
    sample = np.unique(rng.integers(0, 2**32 // SAMPLE_MODULUS, sample_size, dtype=np.uint64) * SAMPLE_MODULUS)
    return Fingerprint(exact=rng.bytes(16), sample=tuple(sample.tolist()), shingle_count=sample_size * SAMPLE_MODULUS)


def filled_index(held: int, sample_size: int) -> tuple[DedupIndex, float]:
    rng = np.random.default_rng(1)
    index = DedupIndex(WEEK)
    started = time.perf_counter()
    for number in range(held):
        article_id = f"src{number % 97:02d}-{number:012d}-{number * 7919 % 10**9:09d}"  # 29 bytes, like real ids
        index.add(article_id, article_id, synthetic_fingerprint(rng, sample_size), 0.0)
    return index, time.perf_counter() - started


def throughput(index: DedupIndex, texts: list[str]) -> dict[str, Any]:
    from service.domain.cleaning import clean

    started = time.perf_counter()
    for text in texts:
        index.lookup(fingerprint(clean(text).text), 1.0)
    elapsed = time.perf_counter() - started
    fp_started = time.perf_counter()
    for text in texts:
        fingerprint(text)
    fp_elapsed = time.perf_counter() - fp_started
    return {
        "articles": len(texts),
        "mean_bytes": round(sum(len(t.encode()) for t in texts) / len(texts)),
        "articles_per_second": round(len(texts) / elapsed),
        "fingerprint_only_per_second": round(len(texts) / fp_elapsed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    texts = articles(args.articles)
    sample_size = round(float(np.mean([len(fingerprint(t).sample) for t in texts[:200]])))
    result: dict[str, Any] = {"sample_size_3kb": sample_size, "memory": []}
    for held in sorted(args.held):
        index, fill_seconds = filled_index(held, sample_size)
        result["memory"].append({
            "held": held,
            "index_bytes": index.nbytes,
            "bytes_per_article": round(index.nbytes / held, 1),
            "add_per_second": round(held / fill_seconds),
        })
        if held == min(args.held):
            result["throughput"] = {"held": held, **throughput(index, texts)}
            lookups = time.perf_counter()
            for text_fp in [fingerprint(t) for t in texts[:500]]:
                index.lookup(text_fp, 1.0)
            result["throughput"]["lookup_us"] = round((time.perf_counter() - lookups) / 500 * 1e6, 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
