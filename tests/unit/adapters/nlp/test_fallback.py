from __future__ import annotations

import asyncio
import gc
import json
import logging
import tracemalloc
from pathlib import Path

import pytest

from service.adapters.nlp.enrichment import build_backend
from service.adapters.nlp.fallback import FallbackNlp
from service.adapters.nlp.port import ModelsMissing
from service.adapters.nlp.runner import NlpRunner
from service.domain.records import Entity

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "entities" / "sample.jsonl"


@pytest.fixture(scope="module")
def backend() -> FallbackNlp:
    return FallbackNlp(["ar", "en"])


def found(backend: FallbackNlp, text: str, lang: str) -> set[tuple[str, str]]:
    entities = backend.entities([text], lang)[0]
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
    return {(e.text, e.label) for e in entities}


@pytest.mark.parametrize(
    ("text", "lang", "person"),
    [
        ("وقال الرئيس الأمريكي جو بايدن إن الهدنة صامدة.", "ar", "جو بايدن"),
        ("وقال رئيس الوزراء الإسرائيلي بنيامين نتانياهو إن الحرب مستمرة.", "ar", "بنيامين نتانياهو"),
        ("وزار وزير الدفاع يوآف غالانت الحدود.", "ar", "يوآف غالانت"),
        ("وقال الوزير سامح شكري إن المفاوضات مستمرة.", "ar", "سامح شكري"),  # not in any list
        ("Secretary of State Antony Blinken landed in Cairo.", "en", "Antony Blinken"),
        ("President Joe Biden spoke on Friday.", "en", "Joe Biden"),
        ("Foreign Minister Ayman Safadi said talks would resume.", "en", "Ayman Safadi"),  # unknown name
    ],
)
def test_the_name_after_a_role_is_a_person(backend: FallbackNlp, text: str, lang: str, person: str) -> None:
    entities = found(backend, text, lang)
    assert (person, "PER") in entities
    assert not any(label == "PER" and surface != person and person in surface for surface, label in entities)


def test_arabic_organisation_patterns(backend: FallbackNlp) -> None:
    text = "وأعلنت وزارة الدفاع الأميركية أن مجلس الأمن الدولي سيجتمع وأن تنظيم داعش تراجع."
    entities = found(backend, text, "ar")
    assert ("وزارة الدفاع الأميركية", "ORG") in entities
    assert ("مجلس الأمن الدولي", "ORG") in entities
    assert ("داعش", "ORG") in entities


def test_english_organisation_patterns(backend: FallbackNlp) -> None:
    entities = found(backend, "The Defense Ministry said Acme Corp had signed with Contoso Inc. last week.", "en")
    assert {("Defense Ministry", "ORG"), ("Acme Corp", "ORG"), ("Contoso Inc", "ORG")} <= entities


def test_countries_come_from_pycountry_in_both_languages(backend: FallbackNlp) -> None:
    # Neither country is in the hand-made list: they come from pycountry and its Arabic catalogue.
    assert ("موزمبيق", "LOC") in found(backend, "ووصل الوفد إلى موزمبيق أمس.", "ar")
    assert ("Mozambique", "LOC") in found(backend, "The delegation reached Mozambique.", "en")


def test_arabic_clitics_are_outside_the_span(backend: FallbackNlp) -> None:
    text = "واتهمت إيران الولايات المتحدة وإسرائيل، وقالت إن وبالعراق قواعد."
    entities = found(backend, text, "ar")
    assert ("إسرائيل", "LOC") in entities
    assert ("العراق", "LOC") in entities
    assert not any(surface.startswith("و") for surface, _ in entities)


def test_a_name_that_starts_with_waw_keeps_it(backend: FallbackNlp) -> None:
    assert ("وليد", "PER") in found(backend, "وقال وليد إن الاجتماع انتهى.", "ar")


def test_later_bare_surnames_are_people_and_are_counted(backend: FallbackNlp) -> None:
    text = "كشف آلان ماتني عن خطط. وقال ماتني إن التحالف قوي. وأضاف ماتني أن الخطر قائم."
    entities = {e.text: e for e in backend.entities([text], "ar")[0]}
    assert entities["ماتني"].label == "PER"
    assert entities["ماتني"].count == 2
    english = {e.text: e for e in backend.entities(["John Smith arrived. Later, Smith left."], "en")[0]}
    assert english["Smith"].label == "PER"


def test_sentence_initial_common_words_are_not_names(backend: FallbackNlp) -> None:
    entities = found(backend, "The talks ended. In Washington, officials were silent. However, nothing changed.", "en")
    assert entities == {("Washington", "LOC")}


def test_lowercase_words_never_match_english_acronyms(backend: FallbackNlp) -> None:
    assert found(backend, "Officials who spoke said us troops stayed.", "en") == set()


def test_batch_equals_one_by_one(backend: FallbackNlp) -> None:
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    arabic = [row["text"] for row in rows if row["lang"] == "ar"]
    assert backend.entities(arabic, "ar") == [backend.entities([text], "ar")[0] for text in arabic]


def test_languages_without_rules_get_no_entities(backend: FallbackNlp) -> None:
    assert backend.entities(["Emmanuel Macron est à Paris."], "fr") == [[]]
    assert backend.describe("fr") == {"backend": "none", "lang": "fr", "reason": "no pipeline for language 'fr'"}
    assert backend.describe("ar")["backend"] == "fallback"


def test_auto_mode_without_models_warns_and_falls_back(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        chosen = build_backend("auto", ["ar", "en"], str(tmp_path))
    assert chosen.name == "fallback"
    assert str(tmp_path / "resources.json") in caplog.text
    assert "newswire models download ar en" in caplog.text


def test_stanza_mode_without_models_names_files_and_command(tmp_path: Path) -> None:
    with pytest.raises(ModelsMissing) as error:
        build_backend("stanza", ["ar"], str(tmp_path))
    assert str(tmp_path / "resources.json") in str(error.value)
    assert "`newswire models download ar`" in str(error.value)


def test_unknown_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="auto, stanza, fallback"):
        build_backend("spacy", ["en"], None)


def test_runner_groups_languages_and_keeps_input_order() -> None:
    texts = ["Joe Biden met Netanyahu.", "وقال بايدن إن العراق مهم.", "Bonjour Paris.", "Reuters said Iraq voted."]
    langs = ["en", "ar", "fr", "en"]

    async def run() -> tuple[list[list[Entity]], str, bool]:
        runner = NlpRunner("fallback", ["ar", "en"], None)
        try:
            await runner.start()
            return await runner.entities(texts, langs), runner.backend_name, runner.ready
        finally:
            runner.close()

    results, name, ready = asyncio.run(run())
    assert name == "fallback" and ready
    reference = FallbackNlp(["ar", "en"])
    assert results == [reference.entities([t], lang)[0] for t, lang in zip(texts, langs, strict=True)]
    assert results[2] == []
    assert {e.text for e in results[3]} == {"Reuters", "Iraq"}


def test_runner_refuses_work_before_start() -> None:
    runner = NlpRunner("fallback", ["en"], None)
    try:
        with pytest.raises(RuntimeError, match="start"):
            asyncio.run(runner.entities(["x"], ["en"]))
    finally:
        runner.close()


def test_memory_stays_small_while_the_vocabulary_keeps_growing(backend: FallbackNlp) -> None:
    """The wire's vocabulary never stops growing (numbers, codes, new names): per-word memos must
    hold a working set, not the vocabulary. Memos of 65k-100k words once grew a soaking worker
    by ~30 MB before they filled (issue 7)."""
    # 1,000 articles, each with 200 words never seen before, in both scripts.
    novel = [
        " ".join(f"وقالت{n} الشركة{n} {n}.{n % 97} Minister{n} said{n}" for n in range(i, i + 40))
        for i in range(10**6, 10**6 + 40_000, 40)
    ]
    gc.collect()
    tracemalloc.start()
    try:
        for lang in ("ar", "en"):
            backend.entities(novel, lang)
        gc.collect()
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert retained < 10_000_000, f"{retained / 1e6:.1f} MB kept after 400,000 novel words"
