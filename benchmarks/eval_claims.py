"""Evaluate claim extraction on the labelled set; prints a JSON summary.

Matching: a predicted claim is aligned one-to-one with a gold claim of the same text when their
contents overlap: |common tokens| / max(|gold tokens|, |predicted tokens|) >= 0.5 (tokens after
removing punctuation, quote marks and Arabic diacritics, alef/ya/ta-marbuta unified).
- content overlap P/R/F1: aligned pairs; content exact: aligned pairs whose normalised contents are equal.
- speaker exact: aligned pairs with equal normalised speakers; speaker overlap: one contains the other
  or token overlap >= 0.5 ("وزير الصحة فراس الأبيض" vs "فراس الأبيض").
- kind accuracy and via accuracy are over aligned pairs (via: over gold claims that have one).
Split-quote gold contents are lists of parts, joined with " … " like the extractor does.

Usage: python benchmarks/eval_claims.py [--errors] [--speed]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.domain.claims.extract import extract_claims  # noqa: E402
from service.domain.records import Claim  # noqa: E402

DATA = ROOT / "tests" / "data" / "claims"
SPLITS = ("dev", "heldout")
_MARKS = re.compile("[\u064b-\u0652\u0640]")
_PUNCT = re.compile(r"[^\w\s]|_")
_UNIFY = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def tokens(s: str) -> list[str]:
    return _PUNCT.sub(" ", _MARKS.sub("", s).translate(_UNIFY).lower()).split()


def overlap(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    return common / max(len(ta), len(tb))


def speaker_overlaps(gold: str, pred: str) -> bool:
    g, p = " ".join(tokens(gold)), " ".join(tokens(pred))
    return bool(g and p) and (g in p or p in g or overlap(gold, pred) >= 0.5)


def load(split: str) -> list[dict[str, Any]]:
    with open(DATA / f"{split}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_content(claim: dict[str, Any]) -> str:
    c = claim["content"]
    return " … ".join(c) if isinstance(c, list) else str(c)


def align(gold: list[dict[str, Any]], pred: list[Claim]) -> list[tuple[dict[str, Any], Claim]]:
    scored = sorted(((overlap(gold_content(g), p.content), gi, pi) for gi, g in enumerate(gold)
                     for pi, p in enumerate(pred)), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for score, gi, pi in scored:
        if score >= 0.5 and gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], pred[pi]))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def evaluate(records: list[dict[str, Any]], errors: list[str] | None = None) -> dict[str, Any]:
    c: Counter[str] = Counter()
    for rec in records:
        pred = extract_claims(rec["text"], rec["lang"])
        gold = rec["claims"]
        pairs = align(gold, pred)
        c["gold"] += len(gold)
        c["pred"] += len(pred)
        c["aligned"] += len(pairs)
        for g, p in pairs:
            c["content_exact"] += tokens(gold_content(g)) == tokens(p.content)
            c["speaker_exact"] += tokens(g["speaker"]) == tokens(p.speaker)
            c["speaker_overlap"] += speaker_overlaps(g["speaker"], p.speaker)
            c["kind"] += g["kind"] == p.kind
            if g.get("via"):
                c["via_gold"] += 1
                c["via_ok"] += bool(p.via) and speaker_overlaps(g["via"], p.via or "")
            if errors is not None and (tokens(g["speaker"]) != tokens(p.speaker) or g["kind"] != p.kind):
                errors.append(f"MISMATCH {g['speaker']} ≠ {p.speaker} | {g['kind']}/{p.kind} | {p.content[:70]}")
        if errors is not None:
            hit_g = {id(g) for g, _ in pairs}
            hit_p = {id(p) for _, p in pairs}
            errors += [f"MISSED {g['speaker']} | {g['cue']} | {gold_content(g)[:70]}"
                       for g in gold if id(g) not in hit_g]
            errors += [f"SPURIOUS {p.speaker} | {p.cue} | {p.content[:70]}" for p in pred if id(p) not in hit_p]
    n = c["aligned"]
    return {
        "gold_claims": c["gold"], "predicted_claims": c["pred"],
        "speaker_exact": prf(c["speaker_exact"], c["pred"], c["gold"]),
        "speaker_overlap": prf(c["speaker_overlap"], c["pred"], c["gold"]),
        "content_exact": prf(c["content_exact"], c["pred"], c["gold"]),
        "content_overlap": prf(n, c["pred"], c["gold"]),
        "kind_accuracy": round(c["kind"] / n, 3) if n else 0.0,
        "via_accuracy": round(c["via_ok"] / c["via_gold"], 3) if c["via_gold"] else None,
    }


def report() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split in SPLITS:
        recs = load(split)
        out[split] = {"all": evaluate(recs)}
        for lang in ("ar", "en"):
            out[split][lang] = evaluate([r for r in recs if r["lang"] == lang])
    return out


def throughput(seconds: float = 2.0) -> dict[str, float]:
    """Articles/s on ~3 KB articles built from the labelled paragraphs (both languages)."""
    recs = load("dev") + load("heldout")
    articles: list[tuple[str, str]] = []
    for lang in ("ar", "en"):
        texts = [r["text"] for r in recs if r["lang"] == lang]
        buf = ""
        for i in range(200):
            piece = texts[i % len(texts)] + "\n\n"
            if len((buf + piece).encode()) > 3300 and len(buf.encode()) >= 2500:
                articles.append((buf, lang))
                buf = ""
            buf += piece
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text, lang in articles:
            extract_claims(text, lang)
            n += 1
    elapsed = time.perf_counter() - start
    mean_bytes = sum(len(t.encode()) for t, _ in articles) / len(articles)
    kb_per_s = n * mean_bytes / 1000 / elapsed
    return {"articles_per_s": round(n / elapsed, 1), "mean_article_bytes": round(mean_bytes),
            "kb_per_s": round(kb_per_s), "articles_per_s_at_3kb": round(kb_per_s / 3, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="list misses/mismatches on stderr")
    parser.add_argument("--speed", action="store_true", help="also measure throughput")
    args = parser.parse_args()
    summary = report()
    if args.errors:
        for split in SPLITS:
            errs: list[str] = []
            evaluate(load(split), errs)
            print(f"--- {split}", *errs, sep="\n", file=sys.stderr)
    if args.speed:
        summary["throughput"] = throughput()
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
