"""A deterministic corpus of realistic ~3 KB Arabic/English RawArticles, a share of them syndicated copies.

    .venv/bin/python benchmarks/corpus.py [--count 1000] [--copy-share 0.3] [--seed 11] [--check]

Originals are built from the sentences of tests/data/dedup/*.json and samples/: each reused
sentence gets its numbers redrawn and about a quarter of its words swapped for other words of the
same language, so two originals never share enough 5-word shingles to look like copies (the
dedup index works on the opening of an article), while the text keeps its script, word lengths,
quotes and reporting verbs (what cleaning, langid, NER and claims spend their time on).
Copies repeat an EARLIER original (at least `min_copy_gap` articles before, so that reordering
across raw partitions cannot make the copy arrive first): whole (an exact duplicate once cleaned)
or truncated to its opening paragraphs (near), wrapped in another site's boilerplate.
`--check` runs the real cleaner + dedup decision in process and prints how many verdicts match
the intended ones.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
DEDUP_DATA = ROOT / "tests" / "data" / "dedup"
SAMPLES = ROOT / "samples"
LANGS = ("ar", "en")
SWAP_SHARE = 0.25  # words swapped per reused sentence: (1 - 0.25) ** 5 ≈ 24% of shingles survive per side
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")
_NUMBER = re.compile(r"\d+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")

HEADERS = {
    "ar": ["آخر تحديث: {day} أكتوبر 2024 - {hour}:{minute}", "بقلم: فريق التحرير", "شارك الخبر", "شارك"],
    "en": ["By Staff Reporter", "Published: October {day}, 2024 {hour}:{minute} GMT", "Share this article",
           "Facebook Twitter WhatsApp Email"],
}  # fmt: skip
FOOTERS = {
    "ar": ["مصدر الخبر: {site}", "تابعونا على تلغرام لمتابعة آخر الأخبار", "إقرأ أيضاً:\n{teaser}",
           "كلمات دلالية: العراق، سوريا، الأخبار"],
    "en": ["Read more:\n• {teaser}", "Related articles\n{teaser}", "Follow us on LinkedIn and X for the latest news",
           "Subscribe to our daily newsletter"],
}  # fmt: skip


@dataclass(frozen=True)
class CorpusArticle:
    id: str
    lang: str
    value: dict[str, Any]  # a RawArticle
    copy_of: str | None  # the original this article syndicates, if any

    def record(self) -> tuple[bytes, bytes]:
        """(key, value) as produced to articles.raw: keyed by article id."""
        return self.id.encode(), orjson.dumps(self.value)


@cache
def sentence_pool() -> dict[str, tuple[str, ...]]:
    """Every sentence of the labelled stories, their paraphrases and the sample articles, per language."""
    paragraphs: list[str] = []
    for name in ("stories_ar.json", "stories_en.json", "paraphrases.json"):
        for story in json.loads((DEDUP_DATA / name).read_text()):
            paragraphs.extend(story["paragraphs"])
    for path in sorted(SAMPLES.glob("*.json")) + sorted(SAMPLES.glob("*.jsonl")):
        for line in path.read_text().splitlines() if path.suffix == ".jsonl" else [path.read_text()]:
            try:
                body = json.loads(line).get("body", "")
            except (ValueError, AttributeError):
                continue
            paragraphs.extend(p for p in body.split("\n") if len(p) > 100)  # story lines, not boilerplate
    pool: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for paragraph in paragraphs:
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            if len(sentence) > 40:
                pool["ar" if _ARABIC.search(sentence) else "en"].append(sentence)
    return {lang: tuple(sentences) for lang, sentences in pool.items()}


@cache
def vocabulary() -> dict[str, tuple[str, ...]]:
    return {
        lang: tuple(sorted({w for s in sentences for w in s.split() if len(w) > 3 and w.isalpha()}))
        for lang, sentences in sentence_pool().items()
    }


def _rewrite(sentence: str, lang: str, rng: random.Random) -> str:
    words = _NUMBER.sub(lambda _: str(rng.randrange(2, 5000)), sentence).split()
    vocab = vocabulary()[lang]
    return " ".join(rng.choice(vocab) if w.isalpha() and rng.random() < SWAP_SHARE else w for w in words)


def _original_paragraphs(lang: str, target_bytes: int, rng: random.Random) -> list[str]:
    pool = sentence_pool()[lang]
    paragraphs: list[str] = []
    size = 0
    while size < target_bytes:
        paragraph = " ".join(_rewrite(rng.choice(pool), lang, rng) for _ in range(rng.randint(1, 3)))
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    return paragraphs


def _boilerplate(templates: Sequence[str], lang: str, rng: random.Random, count: int) -> list[str]:
    chosen = rng.sample(list(templates), k=min(count, len(templates)))
    teaser = _rewrite(rng.choice(sentence_pool()[lang]), lang, rng)[:90]
    fill = {"day": rng.randint(1, 28), "hour": rng.randint(10, 23), "minute": rng.randint(10, 59),
            "site": rng.choice(["الحرة", "سكاي نيوز عربية", "الجزيرة نت"]), "teaser": teaser}  # fmt: skip
    return [template.format(**fill) for template in chosen]


def generate(
    count: int, *, copy_share: float = 0.3, seed: int = 11, target_bytes: int = 3000, min_copy_gap: int = 20
) -> list[CorpusArticle]:
    """`count` articles; about `copy_share` of them (never among the first `min_copy_gap`) are copies."""
    return list(itertools.islice(stream(copy_share=copy_share, seed=seed, target_bytes=target_bytes,
                                        min_copy_gap=min_copy_gap), count))  # fmt: skip


def stream(
    *, copy_share: float = 0.3, seed: int = 11, target_bytes: int = 3000, min_copy_gap: int = 20
) -> Iterator[CorpusArticle]:
    """The same articles as generate(), endlessly and in bounded memory (for soaks)."""
    if not 0.0 <= copy_share < 1.0:
        raise ValueError(f"copy_share must be in [0, 1), got {copy_share}")
    rng = random.Random(seed)
    recent: deque[tuple[CorpusArticle, list[str]]] = deque(maxlen=200 + min_copy_gap)
    for number in itertools.count():
        eligible = [o for o in recent if number - int(o[0].value["seq"]) >= min_copy_gap]
        if eligible and rng.random() < copy_share:
            yield _copy(number, rng.choice(eligible), rng)
            continue
        lang = LANGS[number % 2]
        paragraphs = _original_paragraphs(lang, target_bytes, rng)
        article_id = f"wire{seed}-{number:07d}"
        value: dict[str, Any] = {
            "id": article_id,
            "seq": number,
            "url": f"https://wire.example/{lang}/{number}",
            "source": "wire.example",
            "title": _rewrite(rng.choice(sentence_pool()[lang]), lang, rng)[:80],
            "published_at": f"2024-10-{1 + number % 28:02d}T{number % 24:02d}:00:00Z",
            "body": "\n\n".join(paragraphs),
        }
        if number % 10:  # one in ten leaves the language to detection
            value["lang"] = lang
        original = CorpusArticle(article_id, lang, value, None)
        recent.append((original, paragraphs))
        yield original


def _copy(number: int, source: tuple[CorpusArticle, list[str]], rng: random.Random) -> CorpusArticle:
    original, paragraphs = source
    lang = original.lang
    kept = paragraphs if rng.random() < 0.3 else paragraphs[: max(2, round(len(paragraphs) * rng.uniform(0.6, 0.9)))]
    body = [*_boilerplate(HEADERS[lang], lang, rng, 2), *kept, *_boilerplate(FOOTERS[lang], lang, rng, 2)]
    article_id = f"copy-{number:07d}"
    value = dict(original.value, id=article_id, seq=number, source="aggregator.example",
                 url=f"https://aggregator.example/{number}", body="\n\n".join(body))  # fmt: skip
    return CorpusArticle(article_id, lang, value, original.id)


def records(articles: Sequence[CorpusArticle]) -> list[tuple[bytes, bytes]]:
    return [article.record() for article in articles]


def check(articles: Sequence[CorpusArticle]) -> dict[str, Any]:
    """Intended vs actual verdicts with the real cleaner and dedup decision (in process, no broker)."""
    sys.path.insert(0, str(ROOT))
    from service.domain.cleaning.cleaner import clean
    from service.domain.dedup.decision import decide
    from service.domain.dedup.fingerprint import fingerprint
    from service.domain.dedup.index import DedupIndex

    index = DedupIndex(7 * 86400.0)
    wrong: list[str] = []
    for number, article in enumerate(articles):
        cleaned = clean(article.value["body"], article.value.get("title"))
        verdict = decide(index, article.id, fingerprint(cleaned.text or article.value["body"]), float(number))
        if verdict.duplicate_of != article.copy_of:
            wrong.append(f"{article.id}: intended copy of {article.copy_of}, got {verdict.duplicate_of}")
    sizes = sorted(len(a.value["body"].encode()) for a in articles)
    return {
        "articles": len(articles),
        "copies": sum(a.copy_of is not None for a in articles),
        "median_body_bytes": sizes[len(sizes) // 2],
        "verdicts_as_intended": len(articles) - len(wrong),
        "mismatches": wrong[:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--copy-share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--check", action="store_true", help="verify intended verdicts with the real dedup")
    args = parser.parse_args()
    articles = generate(args.count, copy_share=args.copy_share, seed=args.seed)
    if args.check:
        print(json.dumps(check(articles), ensure_ascii=False, indent=2))
    else:
        for article in articles:
            print(orjson.dumps(article.value).decode())


if __name__ == "__main__":
    main()
