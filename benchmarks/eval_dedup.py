"""Quality of dedup on the labelled pairs in tests/data/dedup/pairs.jsonl; prints JSON.

    .venv/bin/python benchmarks/eval_dedup.py            # the production settings
    .venv/bin/python benchmarks/eval_dedup.py --sweep    # how shingle size and sampling were chosen

Pairwise: each pair goes through a fresh DedupIndex with decide(): a first, b a minute later;
the pair is called a copy when b is judged a duplicate of a.

Shared index ("shared"): what the worker does. Every distinct text of the set (base stories,
their copies, the other events, the rewrites) is streamed through ONE DedupIndex, a minute
apart, in several seeded shuffles (a copy may arrive before its original, as on the wire).
A text whose story was already seen must become a duplicate of that story (else: a missed
copy); a text must never become a duplicate of another story (a different-event merge).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.domain.dedup.decision import decide
from service.domain.dedup.fingerprint import (
    MAX_SAMPLE,
    SAMPLE_MODULUS,
    SHINGLE_WORDS,
    Fingerprint,
    fingerprint,
    fingerprint_with,
)
from service.domain.dedup.index import DEFAULT_THRESHOLD, MIN_SAMPLE, DedupIndex

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "data" / "dedup" / "pairs.jsonl"
WEEK = 7 * 24 * 3600.0
DIFFERENT_EVENT_KINDS = {"same_topic", "recurring"}
SHARED_ORDERS = 5


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(pairs: list[dict[str, Any]], threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [correct, total]
    merges = {"different_event": 0, "paraphrase": 0}
    misses: list[dict[str, Any]] = []
    for pair in pairs:
        index = DedupIndex(WEEK, threshold)
        decide(index, "a", fingerprint(pair["a"]), 0.0)
        verdict = decide(index, "b", fingerprint(pair["b"]), 60.0)
        predicted = verdict.duplicate_of == "a"
        actual = pair["label"] == "copy"
        counts[("t" if predicted == actual else "f") + ("p" if predicted else "n")] += 1
        by_kind[pair["kind"]][0] += predicted == actual
        by_kind[pair["kind"]][1] += 1
        if predicted and not actual:
            merges["different_event" if pair["kind"] in DIFFERENT_EVENT_KINDS else "paraphrase"] += 1
        if predicted != actual:
            misses.append({"id": pair["id"], "kind": pair["kind"], "label": pair["label"], "sim": verdict.similarity})
    predicted_copies = counts["tp"] + counts["fp"]
    return {
        "pairs": len(pairs),
        "copy_pairs": counts["tp"] + counts["fn"],
        "different_pairs": counts["fp"] + counts["tn"],
        "threshold": threshold,
        "precision": round(counts["tp"] / predicted_copies, 4) if predicted_copies else 1.0,
        "recall": round(counts["tp"] / max(1, counts["tp"] + counts["fn"]), 4),
        "different_event_merges": merges["different_event"],
        "paraphrase_merges": merges["paraphrase"],
        "per_kind": {
            kind: {"correct": c, "total": t, "rate": round(c / t, 3)} for kind, (c, t) in sorted(by_kind.items())
        },
        "shared": evaluate_shared(pairs, threshold),
        "errors": misses[:20],
    }


def evaluate_shared(pairs: list[dict[str, Any]], threshold: float, orders: int = SHARED_ORDERS) -> dict[str, Any]:
    """Every distinct text through one shared index, in `orders` seeded arrival orders."""
    story_of: dict[str, str] = {}
    for pair in pairs:
        for side in ("a", "b"):
            story_of.setdefault(pair[side], pair[f"{side}_story"])
    texts = sorted(story_of)  # deterministic before shuffling
    fingerprints = {text: fingerprint(text) for text in texts}
    merges: list[dict[str, Any]] = []
    missed: list[dict[str, Any]] = []
    expected_copies = 0
    for seed in range(orders):
        order = list(texts)
        random.Random(seed).shuffle(order)
        index = DedupIndex(WEEK, threshold)
        seen_stories: set[str] = set()
        text_of: dict[str, str] = {}
        for number, text in enumerate(order):
            article_id = f"t{number}"
            text_of[article_id] = text
            story = story_of[text]
            verdict = decide(index, article_id, fingerprints[text], 60.0 * number)
            if story in seen_stories:
                expected_copies += 1
                if verdict.duplicate_of is None:
                    missed.append({"order": seed, "story": story, "text": text[:80]})
            seen_stories.add(story)
            if verdict.duplicate_of is not None and story_of[text_of[verdict.duplicate_of]] != story:
                merges.append({"order": seed, "story": story, "into": story_of[text_of[verdict.duplicate_of]],
                               "similarity": round(verdict.similarity, 3), "text": text[:80]})
    return {
        "orders": orders,
        "texts_per_order": len(texts),
        "stories": len(set(story_of.values())),
        "expected_copies": expected_copies,
        "missed_copies": len(missed),
        "different_event_merges": len(merges),
        "merges": merges[:10],
        "misses": missed[:10],
    }


def containment(*pair: Fingerprint) -> float:
    a, b = pair
    if a.exact == b.exact:
        return 1.0
    smaller = min(len(a.sample), len(b.sample))
    if smaller < MIN_SAMPLE:
        return 0.0
    return len(set(a.sample) & set(b.sample)) / smaller


def sweep(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each (shingle words, modulus): the containment gap between copies and negatives."""
    rows = []
    for words in (3, 4, 5, 6):
        for modulus in (1, 2, 4, 8):
            scored = [
                (containment(*(fingerprint_with(p[s], words, modulus, MAX_SAMPLE) for s in "ab")), p["label"] == "copy")
                for p in pairs
            ]
            worst_negative = max(s for s, is_copy in scored if not is_copy)
            copies = sorted(s for s, is_copy in scored if is_copy)
            above = [s for s in copies if s > worst_negative]
            rows.append({
                "shingle_words": words,
                "sample_modulus": modulus,
                "max_negative_containment": round(worst_negative, 3),
                "copy_containment_p01": round(copies[len(copies) // 100], 3),
                "copy_containment_p05": round(copies[len(copies) // 20], 3),
                "recall_with_zero_merges": round(len(above) / len(copies), 4),
            })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="measure shingle size and sampling modulus")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    args = parser.parse_args()
    pairs = load_pairs()
    if args.sweep:
        print(json.dumps(sweep(pairs), indent=1))
        return
    summary = evaluate(pairs, args.threshold)
    summary["settings"] = {"shingle_words": SHINGLE_WORDS, "sample_modulus": SAMPLE_MODULUS, "max_sample": MAX_SAMPLE}
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
