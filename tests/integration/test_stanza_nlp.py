"""A real stanza.Pipeline on the tiny models in tests/models/stanza (no broker).

The models come from scripts/train_tiny_stanza.py and know only its fixed names; the directory
has stanza.download's layout (resources.json + lang/processor/package.pt), so these tests run
the production loading code. They check loading, offsets (also through Arabic MWT), label
mapping and batching — not accuracy.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import shutil
import time
from pathlib import Path

import pytest

from service.adapters.nlp.enrichment import build_backend
from service.adapters.nlp.port import ModelsMissing
from service.adapters.nlp.runner import NlpRunner
from service.adapters.nlp.stanza_backend import StanzaNlp, missing_model_files
from service.domain.records import Entity

MODELS = Path(__file__).resolve().parents[1] / "models" / "stanza"
pytestmark = pytest.mark.slow

ARABIC = [
    "وقال بايدن إن البنتاغون يعمل في العراق. التقى نتانياهو وبايدن في واشنطن.",
    "قال بلينكن إن إسرائيل تواجه تحديات كبيرة. وصل ماتني إلى وبالعراق في زيارة رسمية.",
    "",
    "وأكد آلان ماتني أن رويترز نشرت تقريرا عن سوريا.",
]
ENGLISH = ["Joe Biden met Netanyahu in Gaza. Reuters said the Pentagon agreed.", "Blinken arrived in Syria."]


@pytest.fixture(scope="module")
def stanza_backend() -> StanzaNlp:
    backend = build_backend("stanza", ["ar", "en"], str(MODELS))
    assert isinstance(backend, StanzaNlp)
    return backend


def spans(text: str, entities: list[Entity]) -> list[tuple[str, str]]:
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
    return [(e.text, e.label) for e in entities]


def test_models_are_small_and_complete() -> None:
    assert missing_model_files(["ar", "en"], str(MODELS)) == []
    assert sum(p.stat().st_size for p in MODELS.rglob("*") if p.is_file()) < 2_000_000


def test_english_entities_with_offsets(stanza_backend: StanzaNlp) -> None:
    text = ENGLISH[0]
    found = stanza_backend.entities([text], "en")[0]
    assert spans(text, found) == [
        ("Joe Biden", "PER"), ("Netanyahu", "PER"), ("Gaza", "LOC"), ("Reuters", "ORG"), ("Pentagon", "ORG"),
    ]
    assert found[0].start == 0 and found[0].fine_label == "PER"


def test_arabic_clitics_are_cut_off_through_mwt_and_gazetteer(stanza_backend: StanzaNlp) -> None:
    first, second = stanza_backend.entities(ARABIC[:2], "ar")
    by_text = {e.text: e for e in first}
    # "نتانياهو وبايدن" is split into two people; "وبايدن" counts as a second بايدن.
    assert by_text["نتانياهو"].label == "PER"
    assert by_text["بايدن"].count == 2
    assert by_text["بايدن"].start == ARABIC[0].index("بايدن")
    # "وبالعراق": the MWT expands و + ب + العراق; the span starts at العراق.
    iraq = next(e for e in second if e.text == "العراق")
    assert iraq.label == "LOC"
    assert iraq.start == ARABIC[1].index("وبالعراق") + 2
    assert spans(ARABIC[1], second)


def test_batch_equals_one_by_one(stanza_backend: StanzaNlp) -> None:
    texts = ARABIC * 3
    assert stanza_backend.entities(texts, "ar") == [stanza_backend.entities([t], "ar")[0] for t in texts]
    assert stanza_backend.entities(ENGLISH, "en") == [stanza_backend.entities([t], "en")[0] for t in ENGLISH]


def test_empty_texts_and_unknown_languages(stanza_backend: StanzaNlp) -> None:
    assert stanza_backend.entities(["", "   \n"], "ar") == [[], []]
    assert stanza_backend.entities(["Bonjour Paris"], "fr") == [[]]
    assert stanza_backend.describe("fr")["backend"] == "none"
    assert stanza_backend.describe("ar") == {
        "backend": "stanza", "lang": "ar", "stanza_version": stanza_backend.describe("ar")["stanza_version"],
        "models": {"tokenize": "tiny", "mwt": "tiny", "ner": "tiny"},
    }


def _copy_without(tmp_path: Path, missing: str) -> Path:
    target = tmp_path / "stanza"
    shutil.copytree(MODELS, target)
    (target / missing).unlink()
    return target


def test_a_missing_model_file_is_named_with_the_fetch_command(tmp_path: Path) -> None:
    target = _copy_without(tmp_path, "ar/pretrain/tiny.pt")
    with pytest.raises(ModelsMissing) as error:
        build_backend("stanza", ["ar", "en"], str(target))
    message = str(error.value)
    assert str(target / "ar" / "pretrain" / "tiny.pt") in message
    assert "newswire models download ar en" in message


def test_auto_mode_falls_back_when_one_language_lacks_models(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    target = _copy_without(tmp_path, "en/ner/tiny.pt")
    with caplog.at_level(logging.WARNING):
        backend = build_backend("auto", ["ar", "en"], str(target))
    assert backend.name == "fallback"
    assert "en/ner/tiny.pt" in caplog.text
    resources = json.loads((MODELS / "resources.json").read_text())
    assert "en" in resources  # the language is declared; only its file is gone


def test_auto_mode_picks_stanza_when_models_are_present() -> None:
    backend = build_backend("auto", ["en"], str(MODELS))
    assert backend.name == "stanza"


def test_runner_keeps_the_event_loop_responsive_while_loading_and_tagging() -> None:
    texts = [ARABIC[0], ENGLISH[0], "Bonjour", ARABIC[1]] * 25
    langs = ["ar", "en", "fr", "ar"] * 25

    async def run() -> tuple[list[list[Entity]], float, NlpRunner]:
        runner = NlpRunner("stanza", ["ar", "en"], str(MODELS))
        ticks: list[float] = []
        stop = asyncio.Event()

        async def ticker() -> None:
            while not stop.is_set():
                ticks.append(time.perf_counter())
                await asyncio.sleep(0.01)

        task = asyncio.create_task(ticker())
        try:
            await runner.start()
            results = await runner.entities(texts, langs)
        finally:
            stop.set()
            await task
            runner.close()
        max_gap = max(b - a for a, b in itertools.pairwise(ticks))
        return results, max_gap, runner

    results, max_gap, runner = asyncio.run(run())
    assert runner.backend_name == "stanza" and runner.load_seconds > 0
    assert max_gap < 0.5  # the loop kept ticking while the NLP thread loaded and tagged
    assert results[2] == []
    assert results[0] == results[4]
    assert ("Joe Biden", "PER") in spans(texts[1], results[1])
