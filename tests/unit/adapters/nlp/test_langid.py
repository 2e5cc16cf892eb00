from __future__ import annotations

import pytest

from service.adapters.nlp.langid import UNDETERMINED, LanguageIdentifier


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier(["ar", "en"])


def test_detects_arabic_and_english(identifier: LanguageIdentifier) -> None:
    assert identifier.detect("كشف منسق وزارة الدفاع الأميركية عن خطط جديدة لمواجهة داعش.") == "ar"
    assert identifier.detect("The Pentagon's coordinator unveiled new plans against the group.") == "en"


def test_short_text_is_judged_only_among_the_given_languages(identifier: LanguageIdentifier) -> None:
    # Unrestricted py3langid calls this short Latin string something else; we only offer ar/en.
    assert identifier.detect("Bonjour") == "en"
    assert identifier.detect("مرحبا") == "ar"


def test_only_the_beginning_decides(identifier: LanguageIdentifier) -> None:
    english = "Officials said the talks would resume next week in Cairo. " * 20
    text = english + "وقال المسؤول إن المحادثات ستستأنف. " * 500
    assert identifier.detect(text) == "en"


def test_text_without_letters_is_undetermined(identifier: LanguageIdentifier) -> None:
    assert identifier.detect("") == UNDETERMINED
    assert identifier.detect("2024 — 15:30 !!") == UNDETERMINED


def test_one_language_needs_no_model() -> None:
    assert LanguageIdentifier(["ar"]).detect("Hello world") == "ar"


def test_unknown_language_codes_fail_on_first_use_with_the_code_named() -> None:
    identifier = LanguageIdentifier(["en", "xx"])  # constructing does no I/O
    with pytest.raises(ValueError, match="xx"):
        identifier.detect("hello there")


def test_needs_a_language() -> None:
    with pytest.raises(ValueError, match="at least one"):
        LanguageIdentifier([])


def test_loaded_says_whether_detect_still_has_a_model_to_load() -> None:
    identifier = LanguageIdentifier(["ar", "en"])
    assert not identifier.loaded
    identifier.load()
    assert identifier.loaded
    assert LanguageIdentifier(["ar"]).loaded  # one language needs no model
