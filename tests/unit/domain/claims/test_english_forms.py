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
