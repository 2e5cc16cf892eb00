from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.domain.entities.mentions import (
    map_label,
    merge_mentions,
    normalise_surface,
    strip_span,
    trim_arabic_clitics,
)
from service.domain.records import Mention


def test_fine_labels_map_to_contract_labels_and_values_are_dropped() -> None:
    assert map_label("PERSON") == "PER"
    assert map_label("GPE") == "LOC"
    assert map_label("FAC") == "LOC"
    assert map_label("NORP") == "MISC"
    assert map_label("ORG") == "ORG"
    assert map_label("WORK_OF_ART") == "MISC"
    assert map_label("DATE") is None
    assert map_label("CARDINAL") is None
    assert map_label("MONEY") is None


def _span(text: str, word: str, known: set[str] | None = None) -> str:
    start = text.index(word)
    new_start, new_end = trim_arabic_clitics(
        text, start, start + len(word), (lambda w: w in known) if known is not None else None
    )
    return text[new_start:new_end]


def test_clitic_conjunction_is_trimmed_when_the_rest_is_a_known_name() -> None:
    assert _span("التقى نتانياهو وبايدن أمس", "وبايدن", {"بايدن"}) == "بايدن"


def test_stacked_clitics_are_trimmed() -> None:
    assert _span("وصل إلى وببايدن", "وببايدن", {"بايدن"}) == "بايدن"
    assert _span("قال ولبايدن", "ولبايدن", {"بايدن"}) == "بايدن"


def test_clitic_before_the_definite_article_is_trimmed_without_a_gazetteer() -> None:
    assert _span("القتال في سوريا والعراق", "والعراق") == "العراق"
    assert _span("وصل وبالعراق", "وبالعراق") == "العراق"
    assert _span("تحدث فالبنتاغون", "فالبنتاغون") == "البنتاغون"


def test_names_that_begin_with_clitic_letters_keep_them() -> None:
    assert _span("قال وليد إن", "وليد", {"وليد", "ليد"}) == "وليد"  # known as a whole
    assert _span("زار فلسطين", "فلسطين", {"بايدن"}) == "فلسطين"  # rest unknown
    assert _span("وصل ابن لبن", "لبن", {"بن"}) == "لبن"  # a 2-letter stem is too short to be a name
    assert _span("وصل بالي", "بالي") == "بالي"  # ال + 1 letter is no definite noun


def test_trimming_leaves_latin_text_and_the_end_alone() -> None:
    assert _span("met with Biden", "with Biden", {"ith"}) == "with Biden"
    text = "التقى وبايدن ونتانياهو"
    start = text.index("وبايدن")
    assert trim_arabic_clitics(text, start, len(text), lambda w: w == "بايدن") == (start + 1, len(text))


def test_merge_counts_mentions_and_keeps_first_offsets() -> None:
    text = "قال بايدن إن أمريكا ستدعم. وأضاف بايدن أن امريكا لن تنسحب."
    first, second = text.index("بايدن"), text.rindex("بايدن")
    usa1, usa2 = text.index("أمريكا"), text.index("امريكا")
    entities = merge_mentions(
        text,
        [
            Mention(second, second + 5, "PER"),
            Mention(first, first + 5, "PER", "PERSON"),
            Mention(usa2, usa2 + 6, "LOC"),
            Mention(usa1, usa1 + 6, "LOC", "GPE"),
        ],
    )
    assert [(e.text, e.label, e.count, e.start, e.fine_label) for e in entities] == [
        ("بايدن", "PER", 2, first, "PERSON"),
        ("أمريكا", "LOC", 2, usa1, "GPE"),
    ]


def test_same_surface_with_different_labels_stays_apart() -> None:
    text = "Washington said Washington"
    entities = merge_mentions(text, [Mention(0, 10, "ORG"), Mention(16, 26, "LOC")])
    assert [(e.label, e.count) for e in entities] == [("ORG", 1), ("LOC", 1)]


def test_a_mention_reported_twice_counts_once_and_bad_spans_are_ignored() -> None:
    text = "Biden met Biden"
    mentions = [Mention(0, 5, "PER"), Mention(0, 5, "PER"), Mention(10, 99, "PER"), Mention(3, 3, "PER")]
    entities = merge_mentions(text, mentions)
    assert [(e.text, e.count) for e in entities] == [("Biden", 1)]


def test_normalisation_ignores_case_diacritics_tatweel_and_alef_forms() -> None:
    assert normalise_surface("إسرائيل") == normalise_surface("اسرائيل")
    assert normalise_surface("مُحَمَّد") == normalise_surface("محمد")
    assert normalise_surface("بايـــدن") == normalise_surface("بايدن")
    assert normalise_surface("the  PENTAGON ") == normalise_surface("The Pentagon")


def test_strip_span_drops_quotes_and_punctuation() -> None:
    text = 'موقع "البنتاغون" الخميس'
    start, end = strip_span(text, text.index('"'), text.rindex('"') + 1)
    assert text[start:end] == "البنتاغون"


@st.composite
def _text_and_mentions(draw: st.DrawFn) -> tuple[str, list[Mention]]:
    text = draw(st.text(alphabet="ab وبايدن", min_size=1, max_size=40))
    spans = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=8))
    labels = draw(st.lists(st.sampled_from(["PER", "ORG", "LOC", "MISC"]), min_size=len(spans), max_size=len(spans)))
    return text, [Mention(min(a, b), max(a, b), label) for (a, b), label in zip(spans, labels, strict=True)]  # type: ignore[arg-type]


@given(_text_and_mentions())
def test_entity_text_always_equals_its_span(case: tuple[str, list[Mention]]) -> None:
    text, mentions = case
    entities = merge_mentions(text, mentions)
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
    assert sum(e.count for e in entities) <= len(mentions)


def test_spans_cut_out_of_a_fused_lam_alif_merge_with_the_article() -> None:
    text = "الأمين العام للأمم المتحدة ثم الأمم المتحدة"
    cut = text.index("للأمم") + 1
    mentions = [Mention(cut, cut + len("لأمم المتحدة"), "ORG"), Mention(text.rindex("الأمم"), len(text), "ORG")]
    merged = merge_mentions(text, mentions, fused_article={cut})
    assert len(merged) == 1 and merged[0].count == 2 and merged[0].text == "لأمم المتحدة"
    assert len(merge_mentions(text, mentions)) == 2  # without the hint they are different surfaces
