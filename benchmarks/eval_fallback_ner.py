"""Precision / recall / F1 of the rule-based fallback NER on the labelled sample.

    .venv/bin/python benchmarks/eval_fallback_ner.py [--sample tests/data/entities/sample.jsonl] [--errors]

A prediction counts when its exact surface and label match a gold entity of the same
sentence (entities are merged per sentence, so each (surface, label) counts once).
Prints one JSON object: per language and overall.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.adapters.nlp.fallback import FallbackNlp  # noqa: E402

DEFAULT_SAMPLE = ROOT / "tests" / "data" / "entities" / "sample.jsonl"


def scores(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fp": fp, "fn": fn}


def evaluate(sample: Path, show_errors: bool) -> dict[str, object]:
    rows = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines() if line.strip()]
    backend = FallbackNlp(["ar", "en"])
    counts: dict[str, list[int]] = {}
    errors: list[dict[str, object]] = []
    for row in rows:
        gold = {(text, label) for text, label in row["entities"]}
        predicted = {(e.text, e.label) for e in backend.entities([row["text"]], row["lang"])[0]}
        tally = counts.setdefault(row["lang"], [0, 0, 0])
        tally[0] += len(gold & predicted)
        tally[1] += len(predicted - gold)
        tally[2] += len(gold - predicted)
        if show_errors and gold != predicted:
            errors.append(
                {"text": row["text"], "spurious": sorted(predicted - gold), "missed": sorted(gold - predicted)}
            )
    result: dict[str, object] = {
        "sample": str(sample.relative_to(ROOT)) if sample.is_relative_to(ROOT) else str(sample),
        "sentences": len(rows),
    }
    for lang, (tp, fp, fn) in sorted(counts.items()):
        result[lang] = scores(tp, fp, fn)
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    result["all"] = scores(*total)
    if show_errors:
        result["errors"] = errors
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    parser.add_argument("--errors", action="store_true", help="also list each sentence's misses")
    args = parser.parse_args()
    print(json.dumps(evaluate(args.sample.resolve(), args.errors), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
