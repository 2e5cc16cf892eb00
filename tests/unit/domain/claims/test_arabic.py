"""Arabic claim extraction on the real sample page and on hard cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.domain.claims.extract import extract_claims
from service.domain.records import Claim

SAMPLE = Path("/work/shared/samples/ar-aggregator-page.txt")


def _story() -> str:
    page = SAMPLE.read_text(encoding="utf-8")
    return page[: page.index("المصدر: الحرة")]


def _by_content(claims: list[Claim], fragment: str) -> Claim:
    return next(c for c in claims if fragment in c.content)


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample page not mounted")
def test_matney_paragraphs_keep_the_speaker_across_sentences() -> None:
    claims = extract_claims(_story(), "ar")
    added = _by_content(claims, "مرحلة طبيعية وصحية")
    assert (added.speaker, added.kind) == ("ماتني", "direct")  # "وأضاف أن …" continues Matney
    relayed = _by_content(claims, "داعش لم يعد")
    assert relayed.speaker == "ماتني" and relayed.via == "موقع وزارة الدفاع الأميركية"
    assert relayed.kind == "indirect"  # only a fragment is quoted
    assert _by_content(claims, "أسلوبه الغامض").speaker == "المسؤول الأميركي"
    assert _by_content(claims, "يختلف عن غيره").speaker == "التقرير"
    assert _by_content(claims, "وجود استراتيجيات").speaker == "آلان ماتني"


@pytest.mark.skipif(not SAMPLE.exists(), reason="shared sample page not mounted")
def test_every_span_covers_its_cue_and_content() -> None:
    text = _story()
    claims = extract_claims(text, "ar")
    assert len(claims) >= 15
    for claim in claims:
        statement = text[claim.start:claim.end]
        assert claim.cue in statement
        assert all(part in statement for part in claim.content.split(" … "))


def test_descriptions_and_outlet_addressee() -> None:
    text = ('قال 3 مسؤولين إن الطرفين اقتربا من التفاهم. وقال مسؤول إسرائيلي كبير لموقع "أكسيوس" '
            'إن الخطط الحالية لا تزال "أكثر عدوانية" مما يرغب البيت الأبيض.')
    first, second = extract_claims(text, "ar")
    assert first.speaker == "3 مسؤولين" and first.content == "الطرفين اقتربا من التفاهم"
    assert (second.speaker, second.via, second.kind) == ("مسؤول إسرائيلي كبير", "أكسيوس", "indirect")


def test_words_that_contain_a_cue_are_not_cues() -> None:
    text = ("نشرت الصحيفة مقالا مطولا عن أزمة المياه، وقالب الحلوى أثار جدلا واسعا أن يقدم هكذا. "
            "وأعلنت الحكومة حالة الطوارئ، وفقا للقانون الصادر عام 2015.")
    assert extract_claims(text, "ar") == []


def test_feminine_plural_and_present_forms_with_clitics() -> None:
    text = "فقالت الوزيرة إن الخطة جاهزة. ويقولون إن التنفيذ سيبدأ قريبا."
    claims = extract_claims(text, "ar")
    assert [c.cue for c in claims] == ["قالت", "يقولون"]
    assert [c.speaker for c in claims] == ["الوزيرة", "الوزيرة"]  # omitted subject: last speaker


def test_outlet_only_source_is_the_speaker() -> None:
    text = "وبحسب وكالة رويترز، فإن الشركة تعتزم خفض إنتاجها بنسبة 10 في المئة."
    (claim,) = extract_claims(text, "ar")
    assert claim.speaker == "وكالة رويترز"
    assert claim.content == "الشركة تعتزم خفض إنتاجها بنسبة 10 في المئة"


def test_quote_before_the_cue_and_participle_continuation() -> None:
    text = ('"لن نقبل بأي تسوية"، قال رئيس السلطة محمود عباس خلال اجتماع. '
            'ونفى المتحدث باسم الجيش أن تكون قواته قد استهدفت المستشفى، مؤكدا أن "الصواريخ أطلقت من داخل القطاع".')
    quote, denial, affirmation = extract_claims(text, "ar")
    assert (quote.speaker, quote.kind, quote.content) == ("رئيس السلطة محمود عباس", "direct", "لن نقبل بأي تسوية")
    assert denial.kind == "indirect" and affirmation.kind == "direct"
    assert affirmation.speaker == denial.speaker == "المتحدث باسم الجيش"


def test_impersonal_aside_is_not_a_claim() -> None:
    assert extract_claims("ويذكر أن المدينة شهدت احتجاجات مماثلة العام الماضي.", "ar") == []


def test_attribution_cue_keeps_its_own_first_letter() -> None:
    text = ("ويعد القطاع الزراعي من أبرز مصادر الدخل في وادي الأردن، وفق أرقام رسمية. "
            "ووفقا لبيانات البنك المركزي، ارتفع التضخم.")
    official, bank = extract_claims(text, "ar")
    assert (official.cue, official.speaker) == ("وفق", "أرقام رسمية")
    assert (bank.cue, bank.speaker, bank.content) == ("وفقا", "البنك المركزي", "ارتفع التضخم")


def test_explicit_subject_in_apposition_beats_the_previous_speaker() -> None:
    text = ('وقالت أم أحمد: "كيلو البندورة صار بدينار". لكن الناطق باسم وزارة الزراعة، لورنس المجالي، '
            'أكد أن الوزارة "لن توقف التصدير"، مشيراً إلى أن الارتفاع مؤقت.')
    said, stressed, noted = extract_claims(text, "ar")
    assert said.speaker == "أم أحمد"
    assert (stressed.speaker, noted.speaker) == ("لورنس المجالي", "لورنس المجالي")
    # An adverbial between commas is not a subject: the speaker carries over.
    text = 'وقال الوزير إن الخطة جاهزة. وفي تصريح صحفي، الأحد، أكد أن التنفيذ سيبدأ قريبا.'
    assert [c.speaker for c in extract_claims(text, "ar")] == ["الوزير", "الوزير"]


def test_subject_first_clause_is_kept() -> None:
    (claim,) = extract_claims("التقرير أشار إلى أن داعش كان يختلف عن غيره.", "ar")
    assert (claim.speaker, claim.cue, claim.kind) == ("التقرير", "أشار", "indirect")


def test_anonymity_clause_and_time_between_commas() -> None:
    text = "وبحسب مسؤول أمني طلب عدم الكشف عن هويته، فإن المجموعة كانت تخطط لهجمات."
    (claim,) = extract_claims(text, "ar")
    assert (claim.speaker, claim.content) == ("مسؤول أمني", "المجموعة كانت تخطط لهجمات")
    (announced,) = extract_claims("أعلنت قيادة العمليات المشتركة، الأحد، مقتل أربعة من عناصر التنظيم.", "ar")
    assert announced.content == "مقتل أربعة من عناصر التنظيم"


def test_report_source_and_parenthetical_tail() -> None:
    text = ('ووصف ماتني التحالف بأنه "منظمة فريدة" وهو كان السبب في نجاحه، فالتحالف، كما يقول، يعتبر من '
            '"المنظمات القائمة على التوافق"، نقلا عن التقرير الذي نشره موقع وزارة الدفاع الأميركية.')
    described, tail = extract_claims(text, "ar")
    assert described.content.endswith("السبب في نجاحه") and described.via is None
    assert tail.via == "موقع وزارة الدفاع الأميركية"


@pytest.mark.parametrize(
    "text",
    [
        "وأوضح البيان أن الوفد سيصل غدا. أعلن المتحدث باسم الوزارة",
        "كشف وزير الخارجية الأمريكي ",
        "كشف وزير الخارجية الأمريكي،",
        "أكد رئيس الوزراء،    ",
    ],
)
def test_a_text_cut_right_after_a_cue_and_its_subject_yields_no_claim_there(text: str) -> None:
    # Scraped excerpts stop anywhere; this once raised ValueError('substring not found').
    claims = extract_claims(text, "ar")
    cut_clause = text.rfind(".") + 1
    assert all(claim.end <= len(text) for claim in claims)
    assert not [claim for claim in claims if claim.start >= cut_clause]
