"""NLP throughput on the tiny stanza models and the rule-based fallback; event-loop lag.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_nlp.py [--articles 200] [--models tests/models/stanza]

Prints one JSON object:
- stanza: articles/s tagging a batch in one call vs one article per call, and their ratio,
  for a headline-sized text (fixed per-call cost dominates: batching pays) and a ~600-char
  article (per-sentence Python work in stanza's tokenizer dominates: batching pays little);
- fallback: articles/s on ~3 KB articles;
- loop: the largest gap between ticks of a 5 ms asyncio ticker while NlpRunner tags a batch
  in its own thread (≈ 5 ms means the event loop never stalled).
The tiny models are far smaller than production ones: the stanza figures show the batching
gain and overheads, not production speed (a default-size model is ~3x slower per sentence).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.adapters.nlp.enrichment import build_backend  # noqa: E402
from service.adapters.nlp.fallback import FallbackNlp  # noqa: E402
from service.adapters.nlp.port import NlpBackend  # noqa: E402
from service.adapters.nlp.runner import NlpRunner  # noqa: E402

SENTENCES = {
    "ar": [
        "وقال بايدن إن البنتاغون يعمل في العراق.", "التقى نتانياهو وبايدن في واشنطن.",
        "قال بلينكن إن إسرائيل تواجه تحديات كبيرة.", "وصل ماتني إلى العراق في زيارة رسمية.",
        "وأكد آلان ماتني أن رويترز نشرت تقريرا عن سوريا.", "وقال المتحدث إن الاجتماع انتهى دون اتفاق.",
    ],
    "en": [
        "Joe Biden met Netanyahu in Gaza.", "Reuters said the Pentagon agreed.", "Blinken arrived in Syria.",
        "Alan Matney said Iraq faces big challenges.", "The spokesman said the meeting ended without a deal.",
    ],
}


def article(lang: str, index: int, size: int) -> str:
    """~size characters of sentences from the tiny models' vocabulary, rotated per article."""
    pool = SENTENCES[lang]
    parts: list[str] = []
    position = index
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(pool[position % len(pool)])
        position += 1
    return " ".join(parts)


def per_second(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds else float("inf")


def bench_stanza(models: str, count: int, sizes: list[int]) -> dict[str, object]:
    started = time.perf_counter()
    backend = build_backend("stanza", ["ar", "en"], models)
    out: dict[str, object] = {"load_seconds": round(time.perf_counter() - started, 2), "articles": count}
    for size in sizes:
        out[f"chars_{size}"] = _batched_vs_single(backend, count, size)
    return out


def _batched_vs_single(backend: NlpBackend, count: int, size: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for lang in ("ar", "en"):
        texts = [article(lang, i, size) for i in range(count)]
        backend.entities(texts[:4], lang)  # warm-up
        started = time.perf_counter()
        batched = backend.entities(texts, lang)
        batch_seconds = time.perf_counter() - started
        started = time.perf_counter()
        single = [backend.entities([text], lang)[0] for text in texts]
        single_seconds = time.perf_counter() - started
        out[lang] = {
            "batched_articles_per_s": per_second(count, batch_seconds),
            "single_articles_per_s": per_second(count, single_seconds),
            "batch_speedup": round(single_seconds / batch_seconds, 2),
            "same_result": batched == single,
        }
    return out


def bench_fallback(count: int, size: int) -> dict[str, object]:
    backend = FallbackNlp(["ar", "en"])
    sample = (ROOT.parent / "shared" / "samples" / "ar-aggregator-page.txt")
    arabic = sample.read_text(encoding="utf-8")[:size] if sample.exists() else article("ar", 0, size)
    out: dict[str, object] = {"article_chars": size}
    for lang, text in (("ar", arabic), ("en", article("en", 0, size))):
        texts = [text] * count
        backend.entities(texts[:2], lang)
        started = time.perf_counter()
        backend.entities(texts, lang)
        out[f"{lang}_articles_per_s"] = per_second(count, time.perf_counter() - started)
    return out


async def loop_lag(models: str, count: int, size: int) -> dict[str, object]:
    runner = NlpRunner("stanza", ["ar", "en"], models)
    gaps: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    try:
        await runner.start()
        load_gap = max(gaps, default=0.0)
        gaps.clear()
        texts = [article("ar" if i % 2 else "en", i, size) for i in range(count)]
        started = time.perf_counter()
        await runner.entities(texts, ["ar" if i % 2 else "en" for i in range(count)])
        tag_seconds = time.perf_counter() - started
    finally:
        stop.set()
        await task
        runner.close()
    return {
        "ticker_interval_ms": 5,
        "max_gap_ms_while_loading": round(load_gap * 1000, 1),
        "max_gap_ms_while_tagging": round(max(gaps, default=0.0) * 1000, 1),
        "tagging_seconds": round(tag_seconds, 2),
        "articles": count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--chars", type=int, nargs="+", default=[40, 600],
                        help="stanza article sizes: a headline-sized text and a short article (fallback uses 3000)")
    parser.add_argument("--models", default=str(ROOT / "tests" / "models" / "stanza"))
    args = parser.parse_args()
    result = {
        "stanza": bench_stanza(args.models, args.articles, args.chars),
        "fallback": bench_fallback(max(args.articles, 500), 3000),
        "loop": asyncio.run(loop_lag(args.models, args.articles, max(args.chars))),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
