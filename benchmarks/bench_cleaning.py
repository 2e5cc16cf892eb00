"""Throughput of `clean` on one core: ~3 KB articles built from the bundled samples.

Run: `cd /work/main && .venv/bin/python benchmarks/bench_cleaning.py [--articles N] [--rounds R]`
Prints one JSON object. Target: >= 5,000 articles/s for 3 KB articles.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.domain.cleaning.cleaner import clean  # noqa: E402

TARGET_BYTES = 3000


def sample_bodies() -> list[str]:
    samples = ROOT / "samples"
    bodies = [(samples / "ar-aggregator-page.txt").read_text(encoding="utf-8")]
    bodies += [json.loads(p.read_text(encoding="utf-8"))["body"] for p in sorted(samples.glob("*.json"))]
    bodies += [json.loads(line)["body"] for line in (samples / "mixed.jsonl").read_text(encoding="utf-8").splitlines()]
    return bodies


def three_kb_articles(count: int) -> list[str]:
    """Windows of ~3 KB over the samples' lines (story and boilerplate alike), each starting elsewhere."""
    lines = [line for body in sample_bodies() for line in body.splitlines()]
    articles = []
    for i in range(count):
        start, size = (i * 7) % len(lines), 0
        chunk: list[str] = []
        while size < TARGET_BYTES:
            line = lines[(start + len(chunk)) % len(lines)]
            chunk.append(line)
            size += len(line.encode()) + 1
        articles.append("\n".join(chunk))
    return articles


def best_rate(articles: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for body in articles:
            clean(body)
        best = min(best, time.perf_counter() - began)
    return len(articles) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    articles = three_kb_articles(args.articles)
    mean_bytes = sum(len(a.encode()) for a in articles) / len(articles)
    rate = best_rate(articles, args.rounds)
    page = sample_bodies()[0]
    page_rate = best_rate([page] * 200, args.rounds)
    print(
        json.dumps(
            {
                "benchmark": "clean",
                "articles": len(articles),
                "mean_article_bytes": round(mean_bytes),
                "articles_per_second": round(rate),
                "mb_per_second": round(rate * mean_bytes / 1e6, 2),
                "microseconds_per_article": round(1e6 / rate, 1),
                "real_page_bytes": len(page.encode()),
                "real_page_per_second": round(page_rate),
                "target_articles_per_second": 5000,
                "meets_target": rate >= 5000,
            }
        )
    )


if __name__ == "__main__":
    main()
