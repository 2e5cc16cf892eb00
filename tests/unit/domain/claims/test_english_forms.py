"""English reporting forms seen on real pages, each on a sentence written for the test."""

from __future__ import annotations

import pytest

from service.domain.claims.extract import extract_claims


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(c.speaker, c.content) for c in extract_claims(text, "en")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("The port authority said two cranes were damaged in the storm.",
         "The port authority", "two cranes were damaged in the storm"),
        ("The agency said it opened an inquiry on Monday.", "The agency", "it opened an inquiry on Monday"),
        ("The league has expressed its deep concern over the violence.",
         "The league", "its deep concern over the violence"),
        ("The council reiterated its support for the reform.", "The council", "its support for the reform"),
        ("The union called on the government to reopen talks.",
         "The union", "the government to reopen talks"),
    ],
)
def test_content_without_that(text: str, speaker: str, content: str) -> None:
    assert _pairs(text) == [(speaker, content)]


@pytest.mark.parametrize(
    "text",
    [
        "The bakery added two new ovens last spring.",  # a thing added, not words
        "The coach said goodbye to the fans.",
    ],
)
def test_a_noun_phrase_after_said_or_added_is_not_a_statement(text: str) -> None:
    assert extract_claims(text, "en") == []


def test_a_participle_takes_the_subject_of_its_clause() -> None:
    text = "LAGOS - The central bank kept its main rate at 18%, saying inflation was easing."
    assert _pairs(text) == [("The central bank", "inflation was easing")]
    text = 'In a speech to workers on Monday, Okafor dismissed the audit, denouncing it as "politically motivated".'
    assert _pairs(text) == [("Okafor", 'it as "politically motivated"')]


def test_subject_after_the_verb_runs_to_the_comma() -> None:
    text = '"Shipping lanes remain open," said the regional naval command, which monitors the strait.'
    assert _pairs(text) == [("the regional naval command", "Shipping lanes remain open")]
    text = '"We will rebuild," stated a city hall spokesperson, adding that funds had been secured.'
    assert _pairs(text) == [("a city hall spokesperson", "We will rebuild"),
                            ("a city hall spokesperson", "funds had been secured")]


def test_read_and_continued_only_after_a_quotation() -> None:
    text = '"All flights are suspended until further notice," read a notice posted at the terminal.'
    assert [(c.speaker, c.cue) for c in extract_claims(text, "en")] == [("a notice", "read")]
    text = '"The repairs will take a week," the statement continued.'
    assert _pairs(text) == [("the statement", "The repairs will take a week")]
    assert extract_claims("The protests continued for a third day. She read the report twice.", "en") == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Two bridges collapsed overnight, state media reported.", "state media"),
        ("The ship changed course near the strait, maritime security firm Ambrey said.",
         "maritime security firm Ambrey"),
        ("DUBAI, May 3 (Wire) -- The Gulf Cooperation Council said talks would resume in June.",
         "The Gulf Cooperation Council"),
        ("The International Federation of Red Cross and Red Crescent Societies said 900 families were displaced.",
         "The International Federation of Red Cross and Red Crescent Societies"),
        ("The vote comes after the electoral commission announced a recount in two districts.",
         "the electoral commission"),
    ],
)
def test_subjects_that_are_long_lower_case_or_after_a_dateline(text: str, speaker: str) -> None:
    assert extract_claims(text, "en")[0].speaker == speaker


def test_coordinated_verbs_share_the_subject() -> None:
    text = "The ministry stressed that talks must resume, and in this context called on both sides to show restraint."
    assert _pairs(text)[1] == ("The ministry", "both sides to show restraint")
    text = "The Health Ministry, in a televised statement, urged calm and said the death toll had risen to 40."
    assert _pairs(text) == [("The Health Ministry", "the death toll had risen to 40")]


def test_a_day_between_the_verb_and_its_object() -> None:
    assert _pairs("The UAE expressed on Sunday its gratitude to both countries.") == [
        ("The UAE", "its gratitude to both countries")]


def test_he_and_she_mean_the_last_person_not_the_last_organisation() -> None:
    text = ('Transport Minister Lena Ortiz said the line would reopen. The ministry said repairs had cost $2 million. '
            '"We owe commuters an apology," she said.')
    assert extract_claims(text, "en")[-1].speaker == "Transport Minister Lena Ortiz"
    text = 'Opposition leader Tomas Reyes took to social media to criticise the plan. "This is a betrayal," he wrote.'
    assert _pairs(text) == [("Tomas Reyes", "This is a betrayal")]


def test_an_adverbial_then_a_participle_before_that_is_not_the_content_start() -> None:
    text = '"We are very close," the envoy told reporters aboard the plane, before adding that "nothing is final."'
    said, added = extract_claims(text, "en")
    assert (said.cue, said.content) == ("told", "We are very close")
    assert (added.cue, added.speaker) == ("adding", "the envoy")


def test_warning_of_and_a_quoted_term_leading_an_indirect_statement() -> None:
    text = 'Rain will continue into Friday, the weather office said, warning of "severe" flooding in the valleys.'
    said, warning = extract_claims(text, "en")
    assert said.content == "Rain will continue into Friday"
    assert (warning.speaker, warning.content, warning.kind) == (
        "the weather office", '"severe" flooding in the valleys', "indirect")


def test_quantified_sources_and_a_warning_to_do_something() -> None:
    text = "The deal could be signed this week, two people familiar with the talks said."
    assert _pairs(text) == [("two people familiar with the talks", "The deal could be signed this week")]
    assert _pairs("The mayor warned residents to stay away from the river.") == [
        ("The mayor", "residents to stay away from the river")]


def test_a_participle_after_the_object_is_not_part_of_it() -> None:
    text = 'The minister denied the reports, calling them "fabricated".'
    assert _pairs(text) == [("The minister", "the reports")]
