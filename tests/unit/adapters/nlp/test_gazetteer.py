"""Name lists of the fallback NER: derived adjectives, country names, tokens."""

from __future__ import annotations

import pytest

from service.adapters.nlp.fallback_rules import split_words
from service.adapters.nlp.gazetteer import WORD, arabic_nisba, arabic_nisbas, load_gazetteer, word_key


@pytest.mark.parametrize(
    ("country", "adjective"),
    [
        ("سوريا", "سوري"), ("أمريكا", "أمريكي"), ("السعودية", "سعودي"), ("العراق", "عراقي"),
        ("لبنان", "لبناني"), ("مالي", None), ("كوريا الجنوبية", None),
    ],
)
def test_arabic_nisba_of_a_country(country: str, adjective: str | None) -> None:
    assert arabic_nisba(country) == adjective


def test_an_article_that_belongs_to_the_name_is_kept_too() -> None:
    assert arabic_nisbas(word_key("ألمانيا", "ar")) == {"ماني", "الماني"}


def test_every_pycountry_country_has_its_adjective_and_official_names() -> None:
    gazetteer = load_gazetteer()
    assert word_key("موزمبيقي", "ar") in gazetteer.nisba_ar
    assert gazetteer.en.names[("State", "of", "Kuwait")] == ("LOC", "GPE")
    assert gazetteer.ar.names[("دولة", "الكويت")] == ("LOC", "GPE")
    assert gazetteer.en.names[("Palestinians",)] == ("MISC", "NORP")  # plurals of the groups


def test_words_keep_their_diacritics_and_english_drops_possessives() -> None:
    assert WORD.findall("السّعوديّة مؤكدًا") == ["السّعوديّة", "مؤكدًا"]
    words = split_words("Iran's al-Sisi Sana'a US-led", "en")
    assert [w.surface for w in words] == ["Iran", "s", "al-Sisi", "Sana'a", "US"]
