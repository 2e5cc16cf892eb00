"""StoryFeatures: what they keep of a text, and that they survive bytes. Texts written for these tests."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

from service.domain.stories.facts import YEAR, value_of
from service.domain.stories.features import (
    HEADLINE_BYTES,
    LEAD_WEIGHT,
    LEAD_WORDS,
    MAX_TERMS,
    StoryFeatures,
    quantise,
    story_features,
)
from service.domain.stories.names import name_keys, skeleton
from service.domain.stories.terms import key32, stem, term_counts, words

AR = ("أعلنت وزارة الصحة في مدينة النخيل ارتفاع عدد المصابين إلى 1,250 مصاباً و37 وفاة يوم 14 مارس 2031، "
      "وقال الوزير سامر الحلبي إن الفرق الطبية تعمل على مدار الساعة.")
EN = ("The health ministry of Palm City said on March 14, 2031 that 1,250 people were injured and 37 died; "
      "minister Samer Halabi said medical teams work around the clock.")


def test_words_fold_spelling_and_keep_numbers_whole() -> None:
    assert words("Ｔhe toll: 72,063 — up 1.5%") == ["the", "toll", "72063", "up", "1d5"]
    assert words("إلى ٣٠٠ أسيرٍ") == ["الي", "300", "اسير"]


def test_stems_meet_across_inflections() -> None:
    assert stem("والمساعدات", "ar") == stem("مساعدات", "ar")
    # Arabic roots (ISRI): a verb and its verbal noun meet, and so do a word with either pronoun.
    assert stem("انسحب", "ar") == stem("انسحاب", "ar")
    assert stem(words("ولايته")[0], "ar") == stem(words("ولايتهم")[0], "ar")
    assert stem(words("الأسرى")[0], "ar") == stem(words("أسرى")[0], "ar")  # stems are taken of folded words
    assert stem("convoys", "en") == stem("convoy", "en") and stem("talks", "en") == stem("talking", "en")
    # Snowball's English: the -ies plurals, -y nouns and the -ed/-es of e-final verbs meet too.
    assert stem("countries", "en") == stem("country", "en")
    assert stem("negotiations", "en") == stem("negotiated", "en")
    assert stem("died", "en") == stem("dies", "en")
    counts = term_counts(words("The convoy and the convoys left; the talks went on."), "en")
    assert counts[key32("convoy")] == 2 and key32("the") not in counts


def test_the_same_numbers_and_year_in_both_scripts() -> None:
    ar = story_features(AR, "ar", [], 0.0)
    en = story_features(EN, "en", [], 0.0)
    assert {value_of(n) for n in ar.numbers} >= {1250.0, 37.0}
    assert {n >> 32 for n in ar.numbers} & {n >> 32 for n in en.numbers}
    assert {m & 0x7FF for m in ar.marks if m >> 12 == YEAR} == {2031 - 1900}


def test_name_skeletons_meet_across_scripts() -> None:
    for arabic, latin in [("محمد", "Mohammed"), ("زايد", "Zayed"), ("خليفة", "Khalifa"), ("البرهان", "Burhan"),
                          ("قابوس", "Qaboos"), ("غزة", "Gaza")]:
        assert skeleton(arabic) == skeleton(latin), (arabic, latin)
    assert skeleton("Nawaf") != skeleton("Sabah")
    assert set(name_keys("الشيخ سامر الحلبي")) >= set(name_keys("Samer Halabi"))


def test_known_names_map_to_one_key() -> None:
    table = {"اوكرانيا": "UA", "ukraine": "UA"}
    assert name_keys("أوكرانيا", table) == name_keys("Ukraine", table)


def test_names_ending_in_ta_marbuta_meet_their_latin_spelling() -> None:
    # Folding for the tables makes ة a ه; the skeleton must still drop it, as it drops the final a.
    assert name_keys("غزة") == name_keys("Gaza")
    assert name_keys("الشيخ خليفة بن زايد") == name_keys("Sheikh Khalifa bin Zayed")


def test_translated_institution_names_meet_word_for_word() -> None:
    table = {"الامارات": "AE", "emirates": "AE"}
    assert sorted(name_keys("وزارة الصحة")) == sorted(name_keys("Ministry of Health"))
    assert sorted(name_keys("وكالة أنباء الإمارات", table)) == sorted(name_keys("Emirates News Agency", table))
    # With a conjunction before the article, and the glossary and the skeleton in one name.
    assert sorted(name_keys("ومجلس الأمن الوطني")) == sorted(name_keys("National Security Council"))
    assert sorted(name_keys("وزارة الخارجية الكويتية")) == sorted(name_keys("Kuwaiti Foreign Ministry"))
    assert not set(name_keys("وزارة الصحة")) & set(name_keys("Ministry of Interior")) - set(name_keys("Ministry"))


def test_demonyms_and_their_plurals_name_their_country() -> None:
    table = {"فلسطين": "PS", "palestine": "PS", "سوريا": "SY", "syria": "SY", "لبنان": "LB", "lebanon": "LB",
             "امريكا": "US", "america": "US", "العراق": "IQ", "iraq": "IQ"}
    for latin, arabic, country in [("Palestinians", "الفلسطينيون", "palestine"), ("Palestinian", "فلسطينية", "فلسطين"),
                                   ("Syrian", "السوري", "Syria"), ("Lebanese", "اللبنانيين", "لبنان"),
                                   ("American", "الأمريكية", "America"), ("Iraqis", "عراقي", "العراق")]:
        assert name_keys(latin, table) == name_keys(arabic, table) == name_keys(country, table), latin
    # A name that only ends like a demonym stays a name.
    for name in ("Christian", "Guardian", "Hassan", "الحلبي", "سامي"):
        assert name_keys(name, table) == name_keys(name), name


def test_names_compounded_with_allah_are_one_word() -> None:
    for arabic, latin in [("رام الله", "Ramallah"), ("حزب الله", "Hezbollah"), ("الملك عبد الله", "King Abdullah")]:
        assert sorted(name_keys(arabic)) == sorted(name_keys(latin)), latin


def test_features_keep_what_stories_need_and_round_trip() -> None:
    vector = np.random.default_rng(1).normal(size=512).astype(np.float32)
    f = story_features(AR, "ar", [("سامر الحلبي", "PER"), ("وزارة الصحة", "ORG")], 1_900_000_000.0,
                       title="ارتفاع عدد المصابين في مدينة النخيل", source="example.ar", vector=vector)
    assert f.terms and len(f.terms) == len(f.counts) <= MAX_TERMS
    assert f.names and f.numbers and f.marks
    assert f.counts[0] == max(f.counts)  # most frequent first: "المصابين" is in the title and the text
    data = f.to_bytes()
    assert len(data) < 1024
    assert StoryFeatures.from_bytes(data) == f


def test_the_headline_and_lead_weigh_more_than_the_background() -> None:
    # "convoy" three times in the headline and lead, "harbour" four times after the lead.
    filler = "and the " * LEAD_WORDS  # function words: counted as words, not as terms
    text = f"Aid convoy reaches the city; the convoy carried flour. {filler} harbour harbour harbour harbour"
    f = story_features(text, "en", [], 0.0, title="Aid convoy reaches the city")
    counts = dict(zip(f.terms, f.counts, strict=True))
    assert counts[key32("convoy")] == 3 * (1 + LEAD_WEIGHT) > counts[key32("harbour")] == 4
    assert f.terms[0] == key32("convoy")


def test_headline_is_cut_on_a_character_boundary() -> None:
    f = story_features(AR, "ar", [], 0.0, title="عنوان " * 100)
    back = StoryFeatures.from_bytes(f.to_bytes())
    assert len(back.headline.encode()) <= HEADLINE_BYTES
    assert back.headline and "عنوان".startswith(back.headline.split()[-1])


def test_bad_input_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="finite"):
        story_features(EN, "en", [], float("nan"))
    with pytest.raises(ValueError, match="version"):
        StoryFeatures.from_bytes(b"\x09" + bytes(40))
    with pytest.raises(ValueError, match="truncated"):
        StoryFeatures.from_bytes(story_features(EN, "en", [], 0.0).to_bytes()[:30])
    assert quantise(np.zeros(512, dtype=np.float32)) == b""


def test_the_word_memos_hold_a_working_set_not_the_vocabulary() -> None:
    """Term and name keys are memoised; the wire's vocabulary never stops growing (see the NLP's
    test of the same name), so 200,000 novel words and names must not stay in memory."""
    novel = [
        " ".join(f"الشركة{n} Minister{n} said{n}" for n in range(i, i + 40)) for i in range(10**6, 10**6 + 40_000, 40)
    ]
    gc.collect()
    tracemalloc.start()
    try:
        for text in novel:
            for lang in ("ar", "en"):
                story_features(text, lang, [(f"Minister{text[-7:]}", "PER")], 0.0)
        gc.collect()
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert retained < 6_000_000, f"{retained / 1e6:.1f} MB kept after 200,000 novel words"
