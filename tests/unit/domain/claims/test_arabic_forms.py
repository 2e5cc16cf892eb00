"""Arabic reporting forms seen on real pages, each on a sentence written for the test."""

from __future__ import annotations

import pytest

from service.domain.claims.extract import extract_claims


def _triples(text: str) -> list[tuple[str, str, str]]:
    return [(c.speaker, c.cue, c.content) for c in extract_claims(text, "ar")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # time between commas, then a bare verbal-noun object
        ("أعلنت هيئة الدفاع المدني، صباح الخميس، انتشال ثلاث جثث من تحت الأنقاض.",
         "هيئة الدفاع المدني", "انتشال ثلاث جثث من تحت الأنقاض"),
        # a day name with no commas ends the speaker
        ("أعلن الجيش اللبناني الجمعة توقيف خمسة أشخاص قرب الحدود.",
         "الجيش اللبناني", "توقيف خمسة أشخاص قرب الحدود"),
        # nothing but the verbal noun itself tells where the speaker ends
        ("أعلن مدير مستشفى المدينة وفاة طفلين متأثرين بجروحهما.",
         "مدير مستشفى المدينة", "وفاة طفلين متأثرين بجروحهما"),
        # the verb's own particle opens the object
        ("أعربت الحكومة الأردنية عن قلقها من تصاعد التوتر في المنطقة.",
         "الحكومة الأردنية", "قلقها من تصاعد التوتر في المنطقة"),
        ("وشدد رئيس الوزراء على ضرورة أن تبقى المعابر مفتوحة.",
         "رئيس الوزراء", "ضرورة أن تبقى المعابر مفتوحة"),
        # an apposition between commas, a day, then the object
        ("أكد وزير الخارجية، سامي العلي، الأحد، رفض بلاده أي تدخل خارجي.",
         "سامي العلي", "رفض بلاده أي تدخل خارجي"),
        # the object after a venue adverbial, the clause after it left out
        ("وأدان رئيس البلدية، في بيان، الهجوم على المدرسة، فيما قالت الشرطة إن التحقيق بدأ.",
         "رئيس البلدية", "الهجوم على المدرسة"),
    ],
)
def test_noun_phrase_objects(text: str, speaker: str, content: str) -> None:
    assert _triples(text)[0][::2] == (speaker, content)


def test_b_object_and_subject_from_the_sentence_before() -> None:
    text = "وقال المحافظ إن الطرق مغلقة. وأفاد بتوقيف المشتبه به في ساعة متأخرة من الليل."
    assert _triples(text)[1] == ("المحافظ", "أفاد", "توقيف المشتبه به في ساعة متأخرة من الليل")


def test_participles_take_the_subject_of_their_clause() -> None:
    text = "رفع البنك المركزي سعر الفائدة نصف نقطة، قائلا إن التضخم ما زال مرتفعا."
    assert _triples(text) == [("البنك المركزي", "قائلا", "التضخم ما زال مرتفعا")]
    text = "وأدان رئيس البلدية، في بيان، الهجوم على المدرسة، داعيا السكان إلى التزام الهدوء."
    assert _triples(text)[1] == ("رئيس البلدية", "داعيا", "السكان إلى التزام الهدوء")
    text = "من جانبه، زار وزير الصحة مستشفى المدينة، مؤكدا على أهمية سرعة الاستجابة."
    assert _triples(text) == [("وزير الصحة", "مؤكدا", "أهمية سرعة الاستجابة")]


def test_quotation_without_colon_after_venue_or_alone() -> None:
    text = ('وقالت الوزارة في بيان نشرته وكالة الأنباء الرسمية “نرفض أي مساس بسيادة البلاد”. '
            'وأضافت “لن نتراجع عن هذا القرار”.')
    first, second = extract_claims(text, "ar")
    assert (first.speaker, first.content, first.kind) == ("الوزارة", "نرفض أي مساس بسيادة البلاد", "direct")
    assert (second.speaker, second.content, second.kind) == ("الوزارة", "لن نتراجع عن هذا القرار", "direct")
    # a quoted name followed by more words is part of the speaker phrase, not the statement
    assert extract_claims('وأعلن "اتحاد الكتاب العرب" تأجيل مؤتمره السنوي.', "ar")[0].content == "تأجيل مؤتمره السنوي"


def test_postposed_attribution_with_a_verb_of_saying() -> None:
    text = "وصلت الدفعة الأولى من المساعدات إلى الميناء، وفق ما أعلنه الهلال الأحمر في بيان."
    (claim,) = extract_claims(text, "ar")
    assert (claim.speaker, claim.cue) == ("الهلال الأحمر", "وفق ما أعلنه")
    assert claim.content == "وصلت الدفعة الأولى من المساعدات إلى الميناء"
    text = "انخفضت أسعار الوقود للمرة الثانية هذا العام، على ما أعلنت الشركة الوطنية."
    assert _triples(text) == [("الشركة الوطنية", "على ما أعلنت", "انخفضت أسعار الوقود للمرة الثانية هذا العام")]
    (opening,) = extract_claims("وفق ما أعلنته الشركة، ارتفعت الأرباح بنسبة عشرة في المئة.", "ar")
    assert (opening.speaker, opening.content) == ("الشركة", "ارتفعت الأرباح بنسبة عشرة في المئة")


def test_postposed_attribution_after_a_claim_is_its_relay() -> None:
    text = "وأكد الرئيس، خلال اللقاء، على أهمية التعاون بين البلدين، وذلك حسبما صرح المتحدث باسم الرئاسة."
    (claim,) = extract_claims(text, "ar")
    assert (claim.speaker, claim.content, claim.via) == ("الرئيس", "أهمية التعاون بين البلدين", "المتحدث باسم الرئاسة")


def test_the_statement_itself_as_source() -> None:
    (issued,) = extract_claims('وجاء في بيان صادر عن النقابة: "سنواصل الإضراب حتى تلبية مطالبنا".', "ar")
    assert (issued.speaker, issued.kind, issued.content) == ("النقابة", "direct", "سنواصل الإضراب حتى تلبية مطالبنا")
    (within,) = extract_claims('أصدرت النقابة بيانا مطولا، جاء فيه: "سنواصل الإضراب حتى تلبية مطالبنا".', "ar")
    assert within.speaker == "النقابة"
    assert extract_claims("وجاء في المرتبة الثانية فريق المدينة بفارق نقطتين.", "ar") == []


def test_subject_framed_by_kana_and_an_adverbial_after_the_verb() -> None:
    text = "وكانت وزارة المالية قد أعلنت في مارس الماضي، أن العجز سيتراجع."
    assert _triples(text) == [("وزارة المالية", "أعلنت", "العجز سيتراجع")]
    text = "وكان وزير النقل علي حسن، أعلن الأحد، عن تعليق الرحلات."
    assert _triples(text) == [("وزير النقل علي حسن", "أعلن", "تعليق الرحلات")]


def test_relayed_source_after_time_and_a_long_title() -> None:
    text = ('ونقلت الوكالة الرسمية اليوم عن رئيس لجنة الإغاثة في المحافظة قوله: "الوضع تحت السيطرة".')
    (claim,) = extract_claims(text, "ar")
    assert (claim.speaker, claim.via) == ("رئيس لجنة الإغاثة في المحافظة", "الوكالة الرسمية")
    text = "أعلنت وكالة الأنباء نقلا عن الجيش، الأربعاء، بدء انسحاب القوات."
    (relayed,) = extract_claims(text, "ar")
    assert (relayed.speaker, relayed.via, relayed.content) == ("الجيش", "وكالة الأنباء", "بدء انسحاب القوات")


@pytest.mark.parametrize(
    "text",
    [
        "ويأتي ذلك بعد أيام من كشف الصحيفة عن وثائق مسربة.",  # a verbal noun after a preposition
        "ويعتبر القطاع من أهم الموارد، كما أنه يوفر آلاف الوظائف.",  # "كما أن" is "moreover"
        "وتابع الفريق المباراة من المدرجات.",  # "followed", not "went on to say"
    ],
)
def test_look_alikes_are_not_claims(text: str) -> None:
    assert extract_claims(text, "ar") == []


def test_a_cue_inside_the_reported_clause_stays_in_it() -> None:
    text = "وقال المدير إن الخطة تدعو الموظفين إلى العمل عن بعد."
    assert _triples(text) == [("المدير", "قال", "الخطة تدعو الموظفين إلى العمل عن بعد")]


def test_a_name_spelled_like_a_preposition_is_still_a_name() -> None:
    text = "وقال علي حسن إن الاجتماع انتهى."
    assert _triples(text) == [("علي حسن", "قال", "الاجتماع انتهى")]


def test_a_quotation_whose_first_word_starts_with_ba() -> None:
    text = "وقال المجلس في بيان نقلته الصحف “ببالغ الأسى ننعى فقيد الوطن”."
    (claim,) = extract_claims(text, "ar")
    assert (claim.speaker, claim.content, claim.kind) == ("المجلس", "ببالغ الأسى ننعى فقيد الوطن", "direct")


def test_a_preposition_with_a_pronoun_is_not_a_speaker() -> None:
    text = "أصدرت الجمعية بيانا تنعى فيه رئيسها المؤسس، الدكتور سامي نور، رحمه الله."
    assert extract_claims(text, "ar") == []


def test_a_verb_after_a_noun_is_not_a_continuation_of_the_last_speaker() -> None:
    text = "وقال الوزير إن الخطة جاهزة. ووقع النواب على عريضة تطالب بوقف المشروع."
    assert _triples(text) == [("الوزير", "قال", "الخطة جاهزة")]


def test_a_text_cut_after_the_complementiser_has_no_claim() -> None:
    assert extract_claims("وأفاد المعهد الوطني، في العاصمة، أنه تم […]", "ar") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وطالب المتظاهرون بمحاسبة المسؤولين عن انقطاع الكهرباء.",
         [("المتظاهرون", "طالب", "محاسبة المسؤولين عن انقطاع الكهرباء")]),
        ("وقال طالب في الجامعة إن الامتحانات أجلت.", [("طالب في الجامعة", "قال", "الامتحانات أجلت")]),
        ("ونفت الشرطة توقيف أي صحفي، مدعية أن المحتجزين من مثيري الشغب.",
         [("الشرطة", "نفت", "توقيف أي صحفي"), ("الشرطة", "مدعية", "المحتجزين من مثيري الشغب")]),
        ("وتوقع البنك الدولي نمو الاقتصاد بنسبة اثنين في المئة.",
         [("البنك الدولي", "توقع", "نمو الاقتصاد بنسبة اثنين في المئة")]),
        ("ورحبت النقابة بالاتفاق، مشيدة بدور الوسطاء.",
         [("النقابة", "رحبت", "الاتفاق"), ("النقابة", "مشيدة", "دور الوسطاء")]),
    ],
)
def test_more_verbs_and_participles(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _triples(text) == expected


def test_a_speaker_phrase_running_into_the_occasion_is_cut_at_it() -> None:
    text = "وأكد وزير الخارجية سامي العلي في اتصال هاتفي مع نظيره الإيطالي دعم بلاده لجهود التهدئة."
    assert _triples(text) == [("وزير الخارجية سامي العلي", "أكد", "دعم بلاده لجهود التهدئة")]


def test_it_is_expected_is_not_a_claim() -> None:
    assert extract_claims("ويتوقع أن يصل الوفد إلى العاصمة غدا.", "ar") == []


def test_a_quoted_paragraph_with_no_cue_continues_the_quotation_before() -> None:
    text = 'وقال الوزير: "سنبدأ التنفيذ الأسبوع المقبل".\n\n"ولن نتراجع عن أي بند من بنود الاتفاق".'
    (claim,) = extract_claims(text, "ar")
    assert claim.speaker == "الوزير" and claim.kind == "direct"
    assert claim.content == "سنبدأ التنفيذ الأسبوع المقبل … ولن نتراجع عن أي بند من بنود الاتفاق"


def test_a_headline_naming_its_source_before_a_colon() -> None:
    text = "مسؤول أممي: كان يمكن تفادي معظم الوفيات\nأعلنت المنظمة أن الإنذار تأخر."
    assert _triples(text)[0] == ("مسؤول أممي", ":", "كان يمكن تفادي معظم الوفيات")
    for line in ("الرياض: وصل وفد رفيع إلى العاصمة", "المصدر: وكالة الأنباء الرسمية للأخبار",
                 "الصحة السورية: 20 قتيلا و50 مصابا في الهجوم"):
        assert extract_claims(line, "ar") == []
