"""Real pages, cut and marked up, through the worker's whole path in one process; prints JSON.

    .venv/bin/python benchmarks/stress_real.py [--cuts 100] [--byte-edits 60] [--seed 7]

Every cached page of both splits (benchmarks/realdev; the text is never in git) becomes many texts:
the page whole; cut at --cuts random points; with its head cut off at three of them; ten cuts with
up to 40 marks inserted each (RLM, ZWJ, tatweel, BOM, "&amp;", CRLF, tab, RLO, NBSP, Arabic
decimal and thousands separators, quotation marks); the page 20 times over; its newlines made
spaces; its spaces made newlines; its digits made superscripts. Each text is a raw record (its
first line the title on every other one, the language left to detection on two of three) that goes
through what a worker runs:
parse_raw → prepare (cleaning, language, fingerprint) → the dedup decision → enrich (entities,
claims, story features, as the NLP process runs them; an EnrichFailure counts as raised) → the
story index (assign, or add_copy for a copy). Then each page's raw record with --byte-edits
variants of 1-8 random byte deletions, replacements or insertions through parse_raw, which must
answer a Rejection or an Article.

Outcomes: "raised" by stage (must be 0: the exit code is 1 otherwise), dead letters by reason.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.real_pages import LANGS, SPLITS, cache_dir, iter_pages
from service.adapters.nlp import enrichment
from service.adapters.nlp.enrichment import EnrichFailure, EnrichInput
from service.adapters.nlp.langid import LanguageIdentifier
from service.domain.dedup.decision import decide
from service.domain.dedup.fingerprint import Fingerprint
from service.domain.dedup.index import DedupIndex
from service.domain.ingest import Rejection, parse_raw
from service.domain.messages import Origin, article_time
from service.domain.prepare import prepare
from service.domain.stories.features import StoryFeatures
from service.domain.stories.index import StoryIndex

MAX_BYTES = 1 << 20
MARKS = ("\u200f", "\u200d", "\u0640", "\ufeff", "&amp;", "\r\n", "\t", "\u202e", "ـــ", "“", "«", '"', "\u00a0",
         "٫", "٬", "1٬000")  # fmt: skip
# Digits that str.isdigit() accepts and int() does not ("June ²²" once raised in the story facts).
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
TOKEN = "stress"  # names this process's NLP backend (enrichment.load)


def variants(text: str, cuts: int, rng: random.Random) -> list[str]:
    points = sorted({rng.randrange(len(text) + 1) for _ in range(cuts)})

    def marked(cut: str) -> str:
        chars = list(cut)
        for _ in range(rng.randint(1, 40)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(MARKS))
        return "".join(chars)

    cut = [text[:p] for p in points]
    return [text, *cut, *(text[p:] for p in points[:3]), *(marked(c) for c in cut[:10]),
            text * 20, text.replace("\n", " "), text.replace(" ", "\n"), text.translate(SUPERSCRIPT)]  # fmt: skip


class Worker:
    """The worker's stages in order, in this process, with one dedup index and one story index."""

    def __init__(self) -> None:
        self.langid = LanguageIdentifier(LANGS)
        self.langid.load()
        enrichment.load(TOKEN, "fallback", LANGS, None)
        self.dedup = DedupIndex(7 * 86400.0)
        self.stories = StoryIndex()

    def run(self, raw: bytes, offset: int, now: float) -> str:
        """"ok", or the reason of the dead letter the record becomes."""
        parsed = parse_raw(raw, MAX_BYTES)
        if isinstance(parsed, Rejection):
            return parsed.reason
        staged = prepare(parsed, Origin.of("raw", 0, offset, None, raw), now, self.langid.detect)
        verdict = decide(self.dedup, staged.article.id, Fingerprint.from_bytes(staged.fingerprint), now)
        if verdict.duplicate_of is not None:
            self.stories.add_copy(staged.article.id, verdict.duplicate_of, now, staged.article.source or "")
            return "ok"
        item = EnrichInput(staged.cleaned.text, staged.lang or "", article_time(staged), staged.article.title,
                           staged.article.source)  # fmt: skip
        result = enrichment.enrich(TOKEN, [item]).results[0]
        if isinstance(result, EnrichFailure):
            raise RuntimeError(f"enrich: {result.detail}")
        self.stories.assign(staged.article.id, StoryFeatures.from_bytes(result.features))
        return "ok"


def byte_edits(raw: bytes, rng: random.Random) -> bytes:
    edited = bytearray(raw)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(edited))
        kind = rng.random()
        if kind < 0.4:
            del edited[at]
        elif kind < 0.8:
            edited[at] = rng.randrange(256)
        else:
            edited[at:at] = bytes([rng.randrange(256)])
    return bytes(edited)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cuts", type=int, default=100)
    parser.add_argument("--byte-edits", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    pages = [(page, text) for page in iter_pages(SPLITS) if (text := page.text()) is not None]
    if not pages:
        sys.exit(f"no cached pages in {cache_dir()}: see benchmarks/realdev/README.md")
    rng = random.Random(args.seed)
    worker = Worker()
    outcomes: Counter[str] = Counter()
    raised: Counter[str] = Counter()
    examples: list[str] = []
    started = time.perf_counter()
    for n, (page, text) in enumerate(pages):
        for i, body in enumerate(variants(text, args.cuts, rng)):
            record = {"id": f"p{n}-{i}", "title": body.strip().split("\n", 1)[0][:200] if i % 2 else None,
                      "body": body, "lang": None if i % 3 else page.lang}  # fmt: skip
            try:
                outcomes[worker.run(orjson.dumps(record), i, 1.7e9 + n)] += 1
            except Exception as exc:
                raised["texts"] += 1
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                examples.append(f"{page.url} len={len(body)}: {exc!r} at {Path(frame.filename).name}:{frame.lineno}")
        raw = orjson.dumps({"id": f"p{n}", "title": "t", "body": text, "published_at": "2024-01-01T00:00:00Z"})
        for _ in range(args.byte_edits):
            try:
                parsed = parse_raw(byte_edits(raw, rng), MAX_BYTES)
                outcomes["edited bytes: " + (parsed.reason if isinstance(parsed, Rejection) else "parsed")] += 1
            except Exception as exc:
                raised["edited bytes"] += 1
                examples.append(f"{page.url} (edited bytes): {exc!r}")
    print(json.dumps({"pages": len(pages), "seconds": round(time.perf_counter() - started),
                      "raised": dict(raised), "outcomes": dict(outcomes.most_common()),
                      "first_raised": examples[:10]}, indent=1, ensure_ascii=False))  # fmt: skip
    sys.exit(1 if raised else 0)


if __name__ == "__main__":
    main()
