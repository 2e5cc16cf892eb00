"""Per-stage throughput in process (no broker), on the benchmark corpus; prints JSON.

    .venv/bin/python benchmarks/bench_stages.py [--articles 1000] [--held 10000]

Stages, each timed alone over the same ~3 KB Arabic/English articles (30% syndicated copies):
clean, fingerprint, dedup (decide() against an index already holding --held originals), langid,
fallback NLP (batches of 32, one language per call as the worker does), claims, story features
(what the enrich stage sends the stories stage; bench_stories.py times the stage itself); and
"clean+dedup" (clean → fingerprint → decide), the part of the pipeline that does not depend on
the NLP backend (target ≥ 1,000 articles/s).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import CorpusArticle, generate
from service.adapters.embeddings import country_table
from service.adapters.nlp.fallback import FallbackNlp
from service.adapters.nlp.langid import LanguageIdentifier
from service.domain.claims.extract import extract_claims
from service.domain.cleaning.cleaner import clean
from service.domain.dedup.decision import decide
from service.domain.dedup.fingerprint import Fingerprint, fingerprint
from service.domain.dedup.index import DedupIndex
from service.domain.records import Entity
from service.domain.stories.features import story_features

WEEK = 7 * 86400.0
BATCH = 32
TARGET_CLEAN_DEDUP = 1000.0


def timed(count: int, work: Callable[[], object]) -> dict[str, float]:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    return {"articles_per_s": round(count / seconds, 1), "ms_per_article": round(1000 * seconds / count, 3)}


def held_index(held: int) -> DedupIndex:
    """An index already holding `held` distinct originals (as after a busy day)."""
    index = DedupIndex(WEEK)
    for number, article in enumerate(generate(held, copy_share=0.0, seed=99)):
        index.add(article.id, article.id, fingerprint(clean(article.value["body"]).text), float(number))
    return index


def run(articles: list[CorpusArticle], held: int) -> dict[str, Any]:
    count = len(articles)
    bodies = [a.value["body"] for a in articles]
    titles = [a.value.get("title") for a in articles]
    texts = [clean(body, title).text or body for body, title in zip(bodies, titles, strict=True)]
    prints = [fingerprint(text) for text in texts]
    langid = LanguageIdentifier(["ar", "en"])
    langid.detect("warm up the model")  # ~1.7 s load, not part of the per-article cost
    nlp = FallbackNlp(["ar", "en"])
    langs = [a.lang for a in articles]
    entities: list[list[Entity]] = []

    def tag_all() -> None:
        for start in range(0, count, BATCH):
            for lang in ("ar", "en"):
                chunk = [t for t, lg in zip(texts[start : start + BATCH], langs[start : start + BATCH], strict=True)
                         if lg == lang]  # fmt: skip
                entities.extend(nlp.entities(chunk, lang))

    def dedup_all(index: DedupIndex, fps: list[Fingerprint]) -> None:
        for number, (article, fp) in enumerate(zip(articles, fps, strict=True)):
            decide(index, article.id, fp, float(held + number))

    def clean_and_dedup(index: DedupIndex) -> None:
        for number, (article, body, title) in enumerate(zip(articles, bodies, titles, strict=True)):
            decide(index, article.id, fingerprint(clean(body, title).text or body), float(held + number))

    build_started = time.perf_counter()
    index = held_index(held)
    build_seconds = time.perf_counter() - build_started
    stages = {
        "clean": timed(count, lambda: [clean(b, t) for b, t in zip(bodies, titles, strict=True)]),
        "fingerprint": timed(count, lambda: [fingerprint(t) for t in texts]),
        "dedup_lookup": timed(count, lambda: dedup_all(index, prints)),
        "langid": timed(count, lambda: [langid.detect(t) for t in texts]),
        "fallback_nlp": timed(count, tag_all),
    }
    by_lang = {lang: [e for e, lg in zip(entities, [*_langs_in_tag_order(langs)], strict=True) if lg == lang]
               for lang in ("ar", "en")}  # fmt: skip
    ordered_langs = list(_langs_in_tag_order(langs))
    ordered_texts = list(_texts_in_tag_order(texts, langs))
    stages["claims"] = timed(
        count,
        lambda: [extract_claims(t, lg, e) for t, lg, e in zip(ordered_texts, ordered_langs, entities, strict=True)],
    )
    known = country_table()
    stages["story_features"] = timed(count, lambda: [
        story_features(t, lg, [(x.text, x.label) for x in e], 0.0, known_names=known)
        for t, lg, e in zip(ordered_texts, ordered_langs, entities, strict=True)
    ])  # fmt: skip
    stages["clean+dedup"] = timed(count, lambda: clean_and_dedup(held_index(0)))
    stages["clean+dedup"]["target_articles_per_s"] = TARGET_CLEAN_DEDUP
    stages["clean+dedup"]["meets_target"] = stages["clean+dedup"]["articles_per_s"] >= TARGET_CLEAN_DEDUP
    return {
        "benchmark": "stages",
        "articles": count,
        "median_body_bytes": sorted(len(b.encode()) for b in bodies)[count // 2],
        "copies": sum(a.copy_of is not None for a in articles),
        "index_held": held,
        "index_build_seconds": round(build_seconds, 2),
        "entities_per_article": {lang: round(sum(map(len, e)) / max(len(e), 1), 1) for lang, e in by_lang.items()},
        "stages": stages,
    }


def _langs_in_tag_order(langs: list[str]) -> list[str]:
    """The order tag_all() produces results in: per batch, Arabic first, then English."""
    out: list[str] = []
    for start in range(0, len(langs), BATCH):
        for lang in ("ar", "en"):
            out.extend(lg for lg in langs[start : start + BATCH] if lg == lang)
    return out


def _texts_in_tag_order(texts: list[str], langs: list[str]) -> list[str]:
    out: list[str] = []
    for start in range(0, len(texts), BATCH):
        for lang in ("ar", "en"):
            out.extend(t for t, lg in zip(texts[start : start + BATCH], langs[start : start + BATCH], strict=True)
                       if lg == lang)  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--held", type=int, default=10000, help="originals already in the dedup index")
    args = parser.parse_args()
    print(json.dumps(run(generate(args.articles, seed=11), args.held), indent=2))


if __name__ == "__main__":
    main()
