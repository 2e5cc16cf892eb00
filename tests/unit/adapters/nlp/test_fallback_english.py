"""English rules of the fallback NER (fallback_english.py), on sentences written for these tests."""

from __future__ import annotations

import pytest

from service.adapters.nlp.fallback import FallbackNlp


@pytest.fixture(scope="module")
def backend() -> FallbackNlp:
    return FallbackNlp(["en"])


def found(backend: FallbackNlp, text: str) -> set[tuple[str, str]]:
    entities = backend.entities([text], "en")[0]
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
    return {(e.text, e.label) for e in entities}


def test_nationalities_and_groups_are_misc(backend: FallbackNlp) -> None:
    entities = found(backend, "Moroccan officials and Kuwaiti diplomats met Iraqis and Druze leaders.")
    assert {("Moroccan", "MISC"), ("Kuwaiti", "MISC"), ("Iraqis", "MISC"), ("Druze", "MISC")} <= entities


def test_a_run_is_split_at_its_last_role(backend: FallbackNlp) -> None:
    text = "Bahraini Emir Sheikh Hamad al-Khalid Al-Thani met UNICEF Executive Director Jane Doerring."
    entities = found(backend, text)
    assert ("Bahraini", "MISC") in entities
    assert ("Hamad al-Khalid Al-Thani", "PER") in entities
    assert ("UNICEF", "ORG") in entities
    assert ("Jane Doerring", "PER") in entities


def test_honorifics_are_not_part_of_the_name(backend: FallbackNlp) -> None:
    entities = found(backend, "His Highness Sheikh Rashid bin Saeed Al Falasi received the envoy.")
    assert ("Rashid bin Saeed Al Falasi", "PER") in entities


def test_after_role_of_comes_no_person(backend: FallbackNlp) -> None:
    entities = found(backend, "He was the Emir of the State of Kuwait for fifteen years.")
    assert ("State of Kuwait", "LOC") in entities
    assert not any(label == "PER" for _, label in entities)


def test_organisations_by_their_head_words_keep_their_nationality(backend: FallbackNlp) -> None:
    text = "The Syrian Interior Ministry and the Kenya News Agency said the Ministry of Water had closed."
    entities = found(backend, text)
    assert {("Syrian Interior Ministry", "ORG"), ("Kenya News Agency", "ORG"), ("Ministry of Water", "ORG")} <= entities


def test_a_date_after_on_is_not_part_of_a_name(backend: FallbackNlp) -> None:
    entities = found(backend, "Fighting with the Rapid Support Forces on April 15 spread to Darfur.")
    assert ("Rapid Support Forces", "ORG") in entities


def test_places_by_their_head_words_and_nouns(backend: FallbackNlp) -> None:
    text = "From Kuwait City they drove past Mar Elias Church to Port Sudan and the town of Zemmouri."
    entities = found(backend, text)
    assert {("Kuwait City", "LOC"), ("Mar Elias Church", "LOC"), ("Port Sudan", "LOC"), ("Zemmouri", "LOC")} <= entities


def test_lower_case_nouns_say_what_follows(backend: FallbackNlp) -> None:
    text = "The rights group Peace Harbour said army chief General Omar Tahir and director-general Lili Ondo met."
    entities = found(backend, text)
    assert ("Peace Harbour", "ORG") in entities
    assert ("Omar Tahir", "PER") in entities
    assert ("Lili Ondo", "PER") in entities


def test_all_caps_datelines_are_looked_up_in_title_case(backend: FallbackNlp) -> None:
    entities = found(backend, "ABU DHABI, Feb 4 (WAM) -- Talks resumed.")
    assert ("ABU DHABI", "LOC") in entities
    assert ("WAM", "ORG") in entities


def test_possessives_and_compounds_name_the_place(backend: FallbackNlp) -> None:
    entities = found(backend, "Iran's Revolutionary Guards and Iran-backed militias crossed into Syria’s east.")
    assert {("Iran", "LOC"), ("Revolutionary Guards", "ORG"), ("Syria", "LOC")} <= entities


def test_known_names_side_by_side_stay_apart(backend: FallbackNlp) -> None:
    entities = found(backend, "Settlers entered a Palestinian West Bank village.")
    assert {("Palestinian", "MISC"), ("West Bank", "LOC")} <= entities
    assert not any(label == "ORG" for _, label in entities)


def test_unknown_runs_are_people_only_when_they_look_like_people(backend: FallbackNlp) -> None:
    entities = found(backend, "The Living Together slogan was painted. Zorba Quill said it would stay.")
    assert ("Zorba Quill", "PER") in entities
    assert not any("Living" in surface for surface, _ in entities)


def test_a_surname_with_its_article_is_tagged_without_it_later(backend: FallbackNlp) -> None:
    text = "General Abdel Fattah al-Burhan landed in Cairo. Burhan met officials; al-Burhan then left."
    entities = {e.text: e for e in backend.entities([text], "en")[0]}
    assert entities["Abdel Fattah al-Burhan"].label == "PER"
    assert entities["Burhan"].label == "PER"
    assert entities["al-Burhan"].label == "PER"


def test_runs_stop_at_line_breaks_and_common_acronyms_are_no_organisations(backend: FallbackNlp) -> None:
    entities = found(backend, "The talks with Jaber Al-Sabah ended.\nNdajo Yusuf Kamil spoke of GDP and the NATO plan.")
    assert ("Jaber Al-Sabah", "PER") in entities
    assert not any("\n" in surface or surface == "GDP" for surface, _ in entities)
    assert ("NATO", "ORG") in entities
