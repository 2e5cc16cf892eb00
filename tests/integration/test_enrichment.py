"""Enrichment through a real worker: the real stanza pipeline (tiny models) and the fallback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from tests.integration.harness import TINY_MODELS, Deployment

pytestmark = pytest.mark.integration
STANZA_DIR = TINY_MODELS / "stanza"
ARTICLE_AR = {
    "id": "ar-stanza-1",
    "lang": "ar",
    "body": "وقال بايدن إن البنتاغون يعمل في العراق.\n\nوأضاف أن نتانياهو وصل إلى واشنطن.\n\nالمصدر: رويترز",
}
ARTICLE_EN = {"id": "en-stanza-1", "body": "Joe Biden said the Pentagon would stay in Iraq. Netanyahu arrived in Gaza."}


def test_stanza_entities_and_claims_through_the_worker(deployment_factory: Callable[..., Deployment]) -> None:
    deployment = deployment_factory(NEWSWIRE_NLP="stanza", NEWSWIRE_STANZA_DIR=str(STANZA_DIR))
    worker = deployment.start_worker()
    deployment.feed([(b"ar", orjson.dumps(ARTICLE_AR)), (b"en", orjson.dumps(ARTICLE_EN))])
    found = deployment.collect(lambda f: len(f["enriched"]) >= 2)
    by_id = {r.value["id"]: r.value for r in found["enriched"]}

    arabic = by_id["ar-stanza-1"]
    assert arabic["nlp"]["backend"] == "stanza"
    assert "رويترز" not in arabic["text"]  # the source line was stripped before tagging
    entities = {(e["text"], e["label"]) for e in arabic["entities"]}
    assert {("بايدن", "PER"), ("العراق", "LOC"), ("واشنطن", "LOC")} <= entities
    for entity in arabic["entities"]:
        assert arabic["text"][entity["start"] : entity["end"]] == entity["text"]
    speakers = [(c["speaker"], c["kind"]) for c in arabic["claims"]]
    assert ("بايدن", "indirect") in speakers

    english = by_id["en-stanza-1"]
    assert english["lang"] == "en"  # detected: the record had no lang
    assert {("Joe Biden", "PER"), ("Pentagon", "ORG"), ("Gaza", "LOC")} <= {
        (e["text"], e["label"]) for e in english["entities"]
    }
    claims = {c["article_id"] for c in (r.value for r in found["claims"])}
    assert claims == {"ar-stanza-1", "en-stanza-1"}
    metrics = worker.http("/metrics").decode()
    assert 'newswire_nlp_info{backend="stanza",langs="ar,en"} 1.0' in metrics
    assert "newswire_nlp_fallback_active 0.0" in metrics


def test_stanza_mode_without_models_is_a_startup_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "service.cli", "worker"],
        env={
            "PATH": "/usr/bin:/bin",
            "NEWSWIRE_NLP": "stanza",
            "NEWSWIRE_STANZA_DIR": str(tmp_path / "none"),
            "NEWSWIRE_BROKER": "kafka://127.0.0.1:1",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "stanza models missing" in result.stderr and "newswire models download ar en" in result.stderr
