from service.domain.cleaning.normalize import normalize_for_fingerprint


def test_arabic_diacritics_superscript_alef_and_tatweel_are_dropped() -> None:
    assert normalize_for_fingerprint("قالَ الرَّئِيسُ هٰذا الأمــــن") == normalize_for_fingerprint("قال الرئيس هذا الأمن")
    assert "ـ" not in normalize_for_fingerprint("الأمــــن")


def test_alef_hamza_variants_fold() -> None:
    assert normalize_for_fingerprint("أحمد إلى آخر ٱلله") == "احمد الي اخر الله"
    assert normalize_for_fingerprint("مسؤول هيئة") == "مسوول هييه"


def test_alef_maqsura_and_ta_marbuta_fold() -> None:
    assert normalize_for_fingerprint("مستشفى المدينة") == normalize_for_fingerprint("مستشفي المدينه")


def test_arabic_indic_and_persian_digits_become_ascii() -> None:
    assert normalize_for_fingerprint("عام ٢٠٢٤ و۱۲") == "عام 2024 و12"


def test_persian_letters_fold_to_arabic() -> None:
    assert normalize_for_fingerprint("ی ک") == "ي ك"


def test_punctuation_and_every_quote_kind_are_removed() -> None:
    quoted = 'قال: «لا» و"نعم" و“ربما” و‘هنا’ و‹هناك›، وانتهى؛ ثم؟!'
    assert normalize_for_fingerprint(quoted) == "قال لا ونعم وربما وهنا وهناك وانتهي ثم"


def test_english_is_lowercased_without_punctuation() -> None:
    assert normalize_for_fingerprint('He said: “Don’t PANIC” — the U.S. "Fed"!') == "he said dont panic the u s fed"


def test_whitespace_collapses_and_trims() -> None:
    assert normalize_for_fingerprint("  one\t\ttwo\n\nthree \u00a0 ") == "one two three"


def test_presentation_forms_and_decomposed_accents_match_plain_text() -> None:
    assert normalize_for_fingerprint("ﻻ") == normalize_for_fingerprint("لا")
    assert normalize_for_fingerprint("e\u0301cole") == normalize_for_fingerprint("école")


def test_empty_and_punctuation_only_text_normalise_to_nothing() -> None:
    assert normalize_for_fingerprint("") == ""
    assert normalize_for_fingerprint(" ... «» ") == ""
