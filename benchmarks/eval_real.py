"""Quality on real scraped pages (benchmarks/realdev): dedup, claims, entities, crashes, per language.

    .venv/bin/python benchmarks/eval_real.py                  # JSON figures
    .venv/bin/python benchmarks/eval_real.py --errors         # plus what went wrong, page by page
    .venv/bin/python benchmarks/eval_real.py --only dedup     # one part: dedup, claims, entities, crashes
    .venv/bin/python benchmarks/eval_real.py --agreement      # our copy labels against a second annotator's
    .venv/bin/python benchmarks/eval_real.py --only dedup --gold second   # dedup scored against theirs
    .venv/bin/python benchmarks/eval_real.py --set heldout    # dedup and crashes on the held-out groups

The page text comes from the local cache (benchmarks/real_pages.py; see benchmarks/realdev/README.md).
Without it the script says so and exits 2: the text is third-party and never in git.

- dedup: every page goes through cleaning, fingerprinting and ONE shared DedupIndex, as in the
  worker, in several seeded orders (a group's original always before its copies, as on the wire).
  A page whose text (text_id) was seen before is a copy: caught when it becomes a duplicate of a
  page of the same text. A duplicate verdict pointing at another text is wrong (a rewrite or a
  hard negative merged).
- claims: on annotated pages (dev; the held-out pages, annotated after the rules were written,
  apart), the cleaned text's claims (fallback entities) against the gold claims, aligned by
  content overlap as in eval_claims.py; speaker right = one contains the other.
- entities: the fallback backend's (surface, label) set per page against the gold set, surfaces
  compared without diacritics and alef forms, a fused prefix (و ب ل ف ك ال) allowed either side.
- crashes: each page whole and cut at five points (mid-word, mid-quote, inside a boilerplate
  block, two random), through cleaning, dedup, entities, claims, story features and one shared
  story index (every text assigned, as the stories stage would); any exception is counted.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_claims import align, speaker_overlaps  # noqa: E402
from benchmarks.real_pages import (  # noqa: E402
    ANNOTATIONS,
    LANGS,
    SPLITS,
    Page,
    agreement,
    cache_dir,
    iter_pages,
    second_labels,
)
from service.adapters.nlp.fallback import FallbackNlp  # noqa: E402
from service.domain.claims.extract import extract_claims  # noqa: E402
from service.domain.cleaning.cleaner import clean  # noqa: E402
from service.domain.dedup.decision import decide  # noqa: E402
from service.domain.dedup.fingerprint import fingerprint  # noqa: E402
from service.domain.dedup.index import DedupIndex  # noqa: E402
from service.domain.stories.features import story_features  # noqa: E402
from service.domain.stories.index import StoryIndex  # noqa: E402

WEEK = 7 * 24 * 3600.0
ORDERS = 5
CUTS_PER_PAGE = 5
QUOTES = "\"«“”'"


@dataclass(frozen=True)
class RealPage:
    meta: Page
    text: str


def cleaned_text(raw: str) -> str:
    """What the worker enriches and fingerprints (see domain/prepare.py)."""
    return clean(raw).text or raw.strip()


# -- dedup ---------------------------------------------------------------------------------


def wire_order(pages: list[RealPage], seed: int) -> list[RealPage]:
    """A seeded shuffle where each group's original precedes every other page of its text."""
    order = pages[:]
    random.Random(seed).shuffle(order)
    originals = {p.meta.text_id: p for p in order if p.meta.label == "original"}
    result: list[RealPage] = []
    placed: set[str] = set()
    for page in order:
        original = originals.get(page.meta.text_id)
        if original is not None and original.meta.url not in placed:
            result.append(original)
            placed.add(original.meta.url)
        if page.meta.url not in placed:
            result.append(page)
            placed.add(page.meta.url)
    return result


def eval_dedup(pages: list[RealPage], errors: list[str] | None) -> dict[str, Any]:
    fingerprints = {p.meta.url: fingerprint(cleaned_text(p.text)) for p in pages}
    by_url = {p.meta.url: p for p in pages}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for seed in range(ORDERS):
        index = DedupIndex(WEEK)
        seen_texts: set[str] = set()
        for at, page in enumerate(wire_order(pages, seed)):
            verdict = decide(index, page.meta.url, fingerprints[page.meta.url], float(at))
            c = counts[page.meta.lang]
            is_copy = page.meta.text_id in seen_texts
            seen_texts.add(page.meta.text_id)
            c["copies"] += is_copy
            c["non_copies"] += not is_copy
            if verdict.duplicate_of is None:
                if is_copy and errors is not None and seed == 0:
                    meta = page.meta
                    errors.append(f"dedup MISSED [{meta.lang}] {meta.group} {meta.url} ({meta.notes})")
                continue
            c["duplicate_verdicts"] += 1
            target = by_url[verdict.duplicate_of].meta
            if target.text_id == page.meta.text_id:
                c["caught"] += 1
            else:
                c["wrong"] += 1
                if errors is not None:
                    errors.append(f"dedup WRONG seed {seed} [{page.meta.lang}] {page.meta.url} ({page.meta.label}) "
                                  f"→ {target.url} ({target.label}, {target.group}) sim {verdict.similarity:.2f}")
    return {lang: _dedup_figures(c) for lang, c in sorted(counts.items())} | {
        "all": _dedup_figures(sum(counts.values(), Counter())), "orders": ORDERS
    }


def with_texts(pages: list[RealPage], texts: dict[str, str]) -> list[RealPage]:
    """The pages the second annotator labelled, with their text_id taken from `texts`."""
    return [replace(p, meta=replace(p.meta, text_id=texts[p.meta.url])) for p in pages if p.meta.url in texts]


def text_agreement(pages: list[RealPage], texts: dict[str, str]) -> dict[str, Any]:
    """Our copy labels (text_id) against the second annotator's, over the pairs of one topic and
    language (pages in two languages never share a text)."""
    labelled = [p for p in pages if p.meta.url in texts]
    return agreement(
        (a.meta.lang, a.meta.text_id == b.meta.text_id, texts[a.meta.url] == texts[b.meta.url])
        for a, b in itertools.combinations(labelled, 2)
        if a.meta.lang == b.meta.lang and a.meta.topic == b.meta.topic
    )


def _dedup_figures(c: Counter[str]) -> dict[str, Any]:
    return {
        "copies": c["copies"], "caught": c["caught"],
        "copy_recall": round(c["caught"] / c["copies"], 3) if c["copies"] else None,
        "duplicate_verdicts": c["duplicate_verdicts"], "wrong_verdicts": c["wrong"],
        "wrong_share": round(c["wrong"] / c["duplicate_verdicts"], 4) if c["duplicate_verdicts"] else 0.0,
        "non_copies_merged": round(c["wrong"] / c["non_copies"], 4) if c["non_copies"] else 0.0,
    }


# -- claims and entities -------------------------------------------------------------------


def gold_annotations(split: str) -> dict[str, dict[str, Any]]:
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted((ANNOTATIONS if split == "dev" else ANNOTATIONS / split).glob("*.json")):
        gold.update(json.loads(path.read_text(encoding="utf-8")))
    return gold


def _span_text(text: str, span: Sequence[int]) -> str:
    return text[span[0] : span[1]]


def gold_claims(text: str, annotation: dict[str, Any]) -> list[dict[str, Any]]:
    return [{
        "speaker": _span_text(text, c["speaker"]),
        "cue": _span_text(text, c["cue"]),
        "content": " … ".join(_span_text(text, part) for part in c["content"]),
        "kind": c["kind"],
    } for c in annotation["claims"]]


_MARKS = re.compile("[\u064b-\u0652\u0640\u0670]")
_UNIFY = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
_PREFIXES = ("و", "ف", "ب", "ك", "ل", "ال", "لل", "وال", "بال", "فال", "كال", "ول", "وب")


def entity_key(surface: str) -> str:
    """A surface as compared: no diacritics or tatweel, one alef, lower case, single spaces."""
    return " ".join(_MARKS.sub("", surface).translate(_UNIFY).lower().split())


def _prefixed(longer: str, shorter: str) -> bool:
    """`longer` is `shorter` with a fused conjunction, preposition or article (وواشنطن, للأمم ~ الأمم)."""
    if longer == shorter:
        return True
    stem = shorter[2:] if shorter.startswith("ال") else shorter
    return any(longer == prefix + shorter or longer == prefix + stem for prefix in _PREFIXES)


def matched_entities(gold: set[tuple[str, str]], found: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Gold entities that a found entity of the same label matches, allowing a fused prefix either side."""
    return {(key, label) for key, label in gold
            if any(label == other_label and (_prefixed(key, other) or _prefixed(other, key))
                   for other, other_label in found)}


def eval_claims_and_entities(
    pages: list[RealPage], split: str, errors: list[str] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    annotations = gold_annotations(split)
    backend = FallbackNlp(list(LANGS))
    claim_counts: dict[str, Counter[str]] = defaultdict(Counter)
    entity_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for page in pages:
        annotation = annotations.get(page.meta.url)
        if annotation is None:
            continue
        lang, text = page.meta.lang, cleaned_text(page.text)
        entities = backend.entities([text], lang)[0]
        predicted = extract_claims(text, lang, entities)
        gold = gold_claims(page.text, annotation)
        pairs = align(gold, predicted)
        c = claim_counts[lang]
        c["pages"] += 1
        c["gold"] += len(gold)
        c["predicted"] += len(predicted)
        c["matched"] += len(pairs)
        c["speaker_right"] += sum(speaker_overlaps(g["speaker"], p.speaker) for g, p in pairs)
        c["kind_right"] += sum(g["kind"] == p.kind for g, p in pairs)
        if errors is not None:
            _claim_errors(page, gold, predicted, pairs, errors)
        gold_entities = {(entity_key(_span_text(page.text, e["span"])), e["label"]) for e in annotation["entities"]}
        found = {(entity_key(e.text), e.label) for e in entities}
        hit = matched_entities(gold_entities, found)
        right = matched_entities(found, gold_entities)
        unlabelled = matched_entities({(k, "") for k, _ in gold_entities}, {(k, "") for k, _ in found})
        e = entity_counts[lang]
        e["tp"] += len(hit)
        e["fp"] += len(found - right)
        e["fn"] += len(gold_entities - hit)
        e["unlabelled_tp"] += len(unlabelled)
        for (key, label) in gold_entities:
            e[f"gold_{label}"] += 1
            e[f"found_{label}"] += (key, label) in hit
        if errors is not None:
            errors += [f"entity MISSED [{lang}] {label} {key}" for key, label in sorted(gold_entities - hit)]
            errors += [f"entity SPURIOUS [{lang}] {label} {key}" for key, label in sorted(found - right)]
    claims = {lang: _claim_figures(c) for lang, c in sorted(claim_counts.items())}
    claims["all"] = _claim_figures(sum(claim_counts.values(), Counter()))
    entities_out = {lang: _entity_figures(c) for lang, c in sorted(entity_counts.items())}
    entities_out["all"] = _entity_figures(sum(entity_counts.values(), Counter()))
    return claims, entities_out


def _claim_errors(page: RealPage, gold: list[dict[str, Any]], predicted: Sequence[Any],
                  pairs: list[tuple[dict[str, Any], Any]], errors: list[str]) -> None:
    hit_gold = {id(g) for g, _ in pairs}
    hit_pred = {id(p) for _, p in pairs}
    where = f"[{page.meta.lang}] {page.meta.url[:60]}"
    errors += [f"claim MISSED {where} | {g['speaker']} | {g['cue']} | {g['content'][:80]}"
               for g in gold if id(g) not in hit_gold]
    errors += [f"claim SPURIOUS {where} | {p.speaker} | {p.cue} | {p.content[:80]}"
               for p in predicted if id(p) not in hit_pred]
    errors += [f"claim SPEAKER {where} | gold {g['speaker']} ≠ {p.speaker} | {p.content[:60]}"
               for g, p in pairs if not speaker_overlaps(g["speaker"], p.speaker)]


def _claim_figures(c: Counter[str]) -> dict[str, Any]:
    return {
        "pages": c["pages"], "gold": c["gold"], "predicted": c["predicted"], "matched": c["matched"],
        "recall": round(c["matched"] / c["gold"], 3) if c["gold"] else None,
        "precision": round(c["matched"] / c["predicted"], 3) if c["predicted"] else None,
        "speaker_right": round(c["speaker_right"] / c["matched"], 3) if c["matched"] else None,
        "kind_right": round(c["kind_right"] / c["matched"], 3) if c["matched"] else None,
    }


def _entity_figures(c: Counter[str]) -> dict[str, Any]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    per_label = {label: f"{c[f'found_{label}']}/{c[f'gold_{label}']}" for label in ("PER", "ORG", "LOC", "MISC")}
    return {
        "precision": round(precision, 3), "recall": round(recall, 3),
        "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "unlabelled_recall": round(c["unlabelled_tp"] / (tp + fn), 3) if tp + fn else 0.0,
        "gold_found_by_label": per_label, "tp": tp, "fp": fp, "fn": fn,
    }


# -- crashes -------------------------------------------------------------------------------


def cut_points(text: str, rng: random.Random) -> list[int]:
    """Five cut offsets: mid-word, just inside a quote, inside a boilerplate block, two random."""
    points = []
    words = [m.start() + 1 for m in re.finditer(r"\w{3,}", text)]
    points.append(rng.choice(words) if words else len(text) // 2)
    quotes = [i + 1 + rng.randint(0, 3) for i, ch in enumerate(text) if ch in QUOTES]
    points.append(rng.choice(quotes) if quotes else rng.randrange(len(text) + 1))
    blocks = [b.text for b in clean(text).boilerplate if b.text and b.text in text]
    if blocks:
        block = rng.choice(blocks)
        start = text.index(block)
        points.append(start + rng.randrange(len(block) + 1))
    while len(points) < CUTS_PER_PAGE:
        points.append(rng.randrange(len(text) + 1))
    return [min(p, len(text)) for p in points]


def eval_crashes(pages: list[RealPage], errors: list[str] | None) -> dict[str, Any]:
    backend = FallbackNlp(list(LANGS))
    index = DedupIndex(WEEK)
    stories = StoryIndex(WEEK)
    rng = random.Random(13)

    def features(text: str, lang: str) -> Any:  # as the enrich stage computes them, then the stage's decision
        cleaned = cleaned_text(text)
        entities = [(e.text, e.label) for e in backend.entities([cleaned], lang)[0]]
        return story_features(cleaned, lang, entities, 0.0, title=text.split("\n", 1)[0][:200], source="cut")

    stages: dict[str, Callable[[str, str], object]] = {
        "clean": lambda text, lang: clean(text),
        "dedup": lambda text, lang: decide(index, f"cut-{rng.random()}", fingerprint(cleaned_text(text)), 0.0),
        "entities": lambda text, lang: backend.entities([cleaned_text(text)], lang),
        "claims": lambda text, lang: extract_claims(
            cleaned_text(text), lang, backend.entities([cleaned_text(text)], lang)[0]
        ),
        "stories": lambda text, lang: stories.assign(f"cut-{rng.random()}", features(text, lang)),
    }
    counts: Counter[str] = Counter()
    for page in pages:
        for text in [page.text] + [page.text[:cut] for cut in cut_points(page.text, rng)]:
            counts["texts"] += 1
            for stage, run in stages.items():
                try:
                    run(text, page.meta.lang)
                except Exception as exc:
                    counts[f"crashed_{stage}"] += 1
                    if errors is not None:
                        frame = traceback.extract_tb(exc.__traceback__)[-1]
                        errors.append(f"CRASH {stage} {page.meta.url} len={len(text)}: {exc!r} "
                                      f"at {Path(frame.filename).name}:{frame.lineno}")
    return {"texts": counts["texts"], "crashes": {s: counts[f"crashed_{s}"] for s in stages}}


# -- main ----------------------------------------------------------------------------------


def load_pages(split: str = "dev") -> tuple[list[RealPage], list[Page]]:
    present, missing = [], []
    for meta in iter_pages((split,)):
        text = meta.text()
        if text is None:
            missing.append(meta)
        else:
            present.append(RealPage(meta, text))
    return present, missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", action="store_true", help="list what went wrong after the figures")
    parser.add_argument("--only", choices=("dedup", "claims", "entities", "crashes"), action="append")
    parser.add_argument("--agreement", action="store_true", help="our copy labels against the second annotator's")
    parser.add_argument("--gold", choices=("ours", "second"), default="ours",
                        help="whose copy labels (text_id) dedup is scored against")
    parser.add_argument("--set", choices=SPLITS, default="dev",
                        help="heldout: the groups labelled later (dedup and crashes; claims are annotated on dev)")
    args = parser.parse_args()
    if (args.gold == "second" or args.agreement) and args.set != "dev":
        parser.error("the second annotator labelled the dev groups only")
    pages, missing = load_pages(args.set)
    if not pages:
        print(f"No real pages in the cache ({cache_dir()}): the page text is third-party and not in git. "
              "Rebuild it first: python3 benchmarks/real_pages.py todo (benchmarks/realdev/README.md says how).",
              file=sys.stderr)
        return 2
    if args.agreement:
        print(json.dumps({"pages": len(pages), "agreement": text_agreement(pages, second_labels("text_id"))}, indent=1))
        return 0
    parts = set(args.only or ("dedup", "claims", "entities", "crashes"))
    if args.set != "dev":
        parts -= {"claims", "entities"}  # annotated on the dev groups only
    errors: list[str] | None = [] if args.errors else None
    report: dict[str, Any] = {
        "pages": {lang: sum(p.meta.lang == lang for p in pages) for lang in LANGS},
        "groups": len({p.meta.group for p in pages}),
        "missing_from_cache": len(missing),
    }
    if "dedup" in parts:
        report["dedup"] = eval_dedup(with_texts(pages, second_labels("text_id")) if args.gold == "second" else pages,
                                     errors)
    if parts & {"claims", "entities"}:
        report["claims"], report["entities"] = eval_claims_and_entities(pages, "dev", errors)
        if (ANNOTATIONS / "heldout").is_dir():
            held_out = eval_claims_and_entities(pages, "heldout", None)
            report["claims_heldout"], report["entities_heldout"] = held_out
    if "crashes" in parts:
        report["crashes"] = eval_crashes(pages, errors)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    for line in errors or []:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
