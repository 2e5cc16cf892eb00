"""StoryFeatures: what they keep of a text, and that they survive bytes. Texts written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from service.domain.stories.features import HEADLINE_BYTES, StoryFeatures, quantise, story_features
from service.domain.stories.names import name_keys, skeleton
from service.domain.stories.terms import dates, key32, numbers, years

AR = ("أعلنت وزارة الصحة في مدينة النخيل ارتفاع عدد المصابين إلى 1,250 مصاباً و37 وفاة يوم 14 مارس 2031، "
      "وقال الوزير سامر الحلبي إن الفرق الطبية تعمل على مدار الساعة.")
EN = ("The health ministry of Palm City said on March 14, 2031 that 1,250 people were injured and 37 died; "
      "minister Samer Halabi said medical teams work around the clock.")


def test_numbers_agree_across_scripts_and_separators() -> None:
    ar = {value for value, _ in numbers(AR, "ar")}
    en = {value for value, _ in numbers(EN, "en")}
    assert key32("1250") in ar and key32("1250") in en
    assert key32("37") in ar & en
    assert years(AR) == years(EN) == {2031}
    assert dates(AR) == dates(EN) == {3 * 32 + 14}


def test_number_context_is_the_word_after_it() -> None:
    first = dict((v, c) for v, c in numbers("أطلق سراح 292 أسيراً أمس", "ar"))
    second = dict((v, c) for v, c in numbers("أطلق سراح 314 أسيرا أمس", "ar"))
    assert list(first.values()) == list(second.values())  # same context: "أسير"
    assert first.keys() != second.keys()


def test_arabic_indic_digits_are_numbers() -> None:
    assert {v for v, _ in numbers("قتل ٣٠٠ شخص", "ar")} == {key32("300")}


def test_name_skeletons_meet_across_scripts() -> None:
    for arabic, latin in [("محمد", "Mohammed"), ("زايد", "Zayed"), ("خليفة", "Khalifa"), ("البرهان", "Burhan"),
                          ("قابوس", "Qaboos"), ("غزة", "Gaza")]:
        assert skeleton(arabic) == skeleton(latin), (arabic, latin)
    assert skeleton("Nawaf") != skeleton("Sabah")
    assert set(name_keys("الشيخ سامر الحلبي")) >= set(name_keys("Samer Halabi"))


def test_known_names_map_to_one_key() -> None:
    table = {"اوكرانيا": "UA", "ukraine": "UA"}
    assert name_keys("أوكرانيا", table) == name_keys("Ukraine", table)


def test_features_keep_what_stories_need_and_round_trip() -> None:
    vector = np.random.default_rng(1).normal(size=512).astype(np.float32)
    f = story_features(AR, "ar", [("سامر الحلبي", "PER"), ("وزارة الصحة", "ORG")], 1_900_000_000.0,
                       title="ارتفاع عدد المصابين في مدينة النخيل", source="example.ar", vector=vector)
    assert f.terms and len(f.terms) == len(f.counts)
    assert f.names and f.years == (2031,)
    data = f.to_bytes()
    assert len(data) < 1024
    assert StoryFeatures.from_bytes(data) == f


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
    assert quantise(np.zeros(512, dtype=np.float32)) == b""
