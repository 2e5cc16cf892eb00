"""Regression gate on the labelled set: targets on dev, a lower floor on the held-out part."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[4]


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_claims", ROOT / "benchmarks" / "eval_claims.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_claims"] = module
    spec.loader.exec_module(module)
    return module


def test_labelled_set_size_and_languages() -> None:
    ev = _eval_module()
    recs = ev.load("dev") + ev.load("heldout")
    per_lang = {lang: sum(len(r["claims"]) for r in recs if r["lang"] == lang) for lang in ("ar", "en")}
    assert sum(per_lang.values()) >= 100 and per_lang["ar"] >= 50
    held = sum(len(r["claims"]) for r in ev.load("heldout"))
    assert held >= 0.25 * sum(per_lang.values())


def test_dev_targets() -> None:
    ev = _eval_module()
    result = ev.evaluate(ev.load("dev"))
    assert result["speaker_overlap"]["f1"] >= 0.90
    assert result["speaker_exact"]["f1"] >= 0.90
    assert result["content_overlap"]["f1"] >= 0.85
    assert result["kind_accuracy"] >= 0.90


def test_heldout_floor() -> None:
    ev = _eval_module()
    result = ev.evaluate(ev.load("heldout"))
    assert result["speaker_overlap"]["f1"] >= 0.80
    assert result["content_overlap"]["f1"] >= 0.80
