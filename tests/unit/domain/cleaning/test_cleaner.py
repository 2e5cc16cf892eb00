"""The article cleaner: aggregator boilerplate removed and recorded, story text kept verbatim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.cleaning.cleaner import KINDS, clean

SAMPLES = Path(__file__).resolve().parents[4] / "samples"

AR_1 = (
    "وقال وزير الخارجية في مؤتمر صحافي إن المحادثات مع الجانب التركي كانت صريحة وبناءة، "
    "وإن الطرفين اتفقا على مواصلتها الشهر المقبل."
)
AR_2 = (
    "وأضاف أن بلاده لن تقبل بأي حل لا يضمن عودة النازحين إلى مناطقهم، "
    "مشيراً إلى أن الملف الإنساني يبقى أولوية الحكومة في المرحلة المقبلة."
)
EN_1 = (
    "The central bank held its benchmark rate at 5.25% on Thursday, saying inflation had eased "
    "but remained above its target for a third straight quarter."
)
EN_2 = (
    '"We are not yet where we want to be," Governor Rania Aziz told reporters, '
    "adding that the bank was ready to act if price pressures returned."
)


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n") if text else []


def kinds(body: str, title: str | None = None) -> list[str]:
    return [b.kind for b in clean(body, title).boilerplate]


# --- the real aggregator page -------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return (SAMPLES / "ar-aggregator-page.txt").read_text(encoding="utf-8")


def test_page_keeps_the_matney_story_from_first_to_last_paragraph(page: str) -> None:
    text = clean(page).text
    assert text.startswith("كشف منسق وزارة الدفاع الأميركية للتحالف الدولي لهزيمة داعش")
    assert text.endswith("نقلا عن التقرير الذي نشره موقع وزارة الدفاع الأميركية.")
    assert len(paragraphs(text)) == 15
    for kept in ('ماتني: "أعتقد أنه إذا تعلمنا', "وبشأن العراق، قال", "ووصف ماتني التحالف الدولي"):
        assert kept in text


@pytest.mark.parametrize(
    "removed",
    [
        "10 سنوات تأسيس على التحالف الدولي ضد داعش",
        "الانسحاب الأميركي من العراق .. تباين في المواقف",
        "تباين واضح في الخطاب الرسمي",
        "المصدر: الحرة",
        "كلمات دلالية",
        "إقرأ أيضاً",
        "أمريكا تخشى خططاً إسرائيلية",
        "أكسيوس",
        "Axios",
        "Democracy Now",
        "t.co",
        "لويد أوستن",
        "مقالات مشابهة",
        "عودة أكثر من 700 عراقي",
    ],
)
def test_page_drops_teasers_appended_story_tweets_and_related_list(page: str, removed: str) -> None:
    assert removed not in clean(page).text


def test_page_records_each_block_once_in_order(page: str) -> None:
    removed = clean(page).boilerplate
    assert [b.kind for b in removed] == ["teaser", "teaser", "source_line", "tags", "read_also", "related_list"]
    read_also, related = removed[4], removed[5]
    assert read_also.text.startswith("إقرأ أيضاً:\nأمريكا تخشى خططاً إسرائيلية")
    assert "— Democracy Now! (@democracynow) October 11, 2024" in read_also.text
    assert read_also.text.endswith("ووزير الدفاع الأمريكي لويد أوستن.")
    assert related.text.startswith("مقالات مشابهة\n")
    assert related.text.count("•") == 9


# --- each kind, Arabic and English, between two genuine paragraphs ------------------------

CASES = [
    ("source_line", "المصدر: الحرة", AR_1, AR_2),
    ("source_line", "مصدر الخبر: وكالات", AR_1, AR_2),
    ("source_line", "Source: Reuters", EN_1, EN_2),
    ("tags", "كلمات دلالية: العراق، تركيا، النازحين", AR_1, AR_2),
    ("tags", "Tags: Iraq, Turkey, displaced people", EN_1, EN_2),
    ("read_also", "اقرأ أيضا: الحكومة تعلن خطة جديدة لإعادة الإعمار", AR_1, AR_2),
    ("read_also", "إقرأ ايضا: مجلس النواب يؤجل جلسة التصويت", AR_1, AR_2),
    ("read_also", "اقرأ المزيد: أسعار النفط ترتفع للأسبوع الثالث", AR_1, AR_2),
    ("read_also", "Read more: Oil prices climb for a third week", EN_1, EN_2),
    ("read_also", "Also read: Parliament delays budget vote", EN_1, EN_2),
    ("read_also", "READ ALSO: Parliament delays budget vote", EN_1, EN_2),
    ("related_list", "Related: Parliament delays budget vote", EN_1, EN_2),
    ("teaser", "مجلس النواب يؤجل جلسة التصويت مجلس النواب يؤجل جلسة التصويت", AR_1, AR_2),
    ("teaser", "Parliament delays budget vote again Parliament delays budget vote again", EN_1, EN_2),
    (
        "teaser",
        "أزمة المياه في الجنوب .. تحذيرات من صيف قاس تحذيرات متزايدة من خبراء المياه "
        "بشأن تراجع منسوب الأنهار هذا العام في المحافظات الجنوبية",
        AR_1,
        AR_2,
    ),
    ("embedded_tweet", "pic.twitter.com/Ab12Cd34Ef", EN_1, EN_2),
    ("caption", "صورة أرشيفية - وزير الخارجية خلال مؤتمر صحافي", AR_1, AR_2),
    ("caption", "Photo: The governor speaks to reporters in the capital", EN_1, EN_2),
    ("share", "شارك الخبر", AR_1, AR_2),
    ("share", "تابعونا على تويتر وفيسبوك", AR_1, AR_2),
    ("share", "Share this article", EN_1, EN_2),
    ("share", "Follow us on X and Instagram", EN_1, EN_2),
    ("share", "Subscribe to our newsletter", EN_1, EN_2),
    ("share", "Facebook Twitter WhatsApp Email", EN_1, EN_2),
    ("byline", "بقلم: سامي الخطيب", AR_1, AR_2),
    ("byline", "By Jane Doe and John Roe, Reuters", EN_1, EN_2),
    ("byline", "(Reporting by Sara Nadim; Editing by Tom Hale)", EN_1, EN_2),
    ("dateline", "آخر تحديث: 11 أكتوبر 2024 - 12:30", AR_1, AR_2),
    ("dateline", "Published: October 15, 2024 08:40 GMT", EN_1, EN_2),
]


@pytest.mark.parametrize(("kind", "boilerplate", "before", "after"), CASES)
def test_each_kind_is_removed_and_recorded(kind: str, boilerplate: str, before: str, after: str) -> None:
    result = clean(f"{before}\n\n{boilerplate}\n\n{after}")
    assert result.text == f"{before}\n\n{after}"
    assert [(b.kind, b.text) for b in result.boilerplate] == [(kind, boilerplate)]
    assert kind in KINDS


def test_related_list_takes_header_and_bullets_but_not_the_story_after_it() -> None:
    body = f"{EN_1}\n\nMore from Reuters\n• Oil climbs\n• Gold slips to a two-week low\n\n{EN_2}"
    result = clean(body)
    assert result.text == f"{EN_1}\n\n{EN_2}"
    assert result.boilerplate[0].text == "More from Reuters\n• Oil climbs\n• Gold slips to a two-week low"


def test_related_list_of_plain_headlines_stops_at_a_sentence() -> None:
    body = f"{AR_1}\nمقالات ذات صلة\nالعراق وتركيا يبحثان ملف المياه\nزيارة مرتقبة لوزير الخارجية إلى أنقرة\n{AR_2}"
    assert clean(body).text == f"{AR_1}\n\n{AR_2}"


def test_embedded_tweet_text_signature_and_link_are_removed_and_trailing_text_kept() -> None:
    tweet = "Talks were frank and constructive https://t.co/AbC123xyZ"
    signature = "— Rania Aziz (@RaniaAzizCB) October 10, 2024"
    result = clean(f"{EN_1}\n\n{tweet}\n\n{signature} What comes next?\n\n{EN_2}")
    assert result.text == f"{EN_1}\n\nWhat comes next?\n\n{EN_2}"
    assert [(b.kind, b.text) for b in result.boilerplate] == [("embedded_tweet", f"{tweet}\n{signature}")]


def test_tweet_text_on_the_signature_line_is_removed_with_it() -> None:
    line = "المحادثات كانت صريحة https://t.co/Zz9 — وزارة الخارجية (@MofaIraq) 12 أكتوبر 2024"
    result = clean(f"{AR_1}\n{line}\n{AR_2}")
    assert result.text == f"{AR_1}\n\n{AR_2}"
    assert kinds(f"{AR_1}\n{line}\n{AR_2}") == ["embedded_tweet"]


def test_read_also_after_the_source_line_drops_the_whole_appended_article() -> None:
    appended = [
        "عنوان خبر آخر لا علاقة له بالقصة",
        "قال مسؤولون إن اجتماعاً عقد أمس في العاصمة لبحث ملفات عدة بينها الطاقة والمياه والحدود المشتركة بين البلدين.",
        "وأضاف المسؤولون أن الاجتماع المقبل سيعقد خلال أسابيع.",
    ]
    body = "\n\n".join([AR_1, AR_2, "المصدر: الحرة", "إقرأ أيضاً:", *appended])
    result = clean(body)
    assert result.text == f"{AR_1}\n\n{AR_2}"
    assert result.boilerplate[-1].text == "\n".join(["إقرأ أيضاً:", *appended])


def test_read_also_mid_story_takes_only_its_headline() -> None:
    body = f"{AR_1}\nاقرأ أيضاً:\nالحكومة تقرر تمديد الإعفاءات الزراعية\n{AR_2}"
    result = clean(body)
    assert result.text == f"{AR_1}\n\n{AR_2}"
    assert result.boilerplate[0].text == "اقرأ أيضاً:\nالحكومة تقرر تمديد الإعفاءات الزراعية"


@pytest.mark.parametrize(
    ("lead", "dateline", "rest"),
    [
        (
            "BEIRUT (Reuters) - Lebanon's parliament met on Monday.",
            "BEIRUT (Reuters) -",
            "Lebanon's parliament met on Monday.",
        ),
        ("WASHINGTON, Oct 10 (Reuters) - The talks resumed.", "WASHINGTON, Oct 10 (Reuters) -", "The talks resumed."),
        (
            "BEIRUT, Lebanon (AP) — Rescuers searched the rubble.",
            "BEIRUT, Lebanon (AP) —",
            "Rescuers searched the rubble.",
        ),
        (
            "بيروت - (أ ف ب) - عقد البرلمان اللبناني جلسة الاثنين.",
            "بيروت - (أ ف ب) -",
            "عقد البرلمان اللبناني جلسة الاثنين.",
        ),
        ("القاهرة (رويترز) - ارتفعت أسعار الذهب.", "القاهرة (رويترز) -", "ارتفعت أسعار الذهب."),
    ],
)
def test_agency_dateline_is_cut_from_the_lead_only(lead: str, dateline: str, rest: str) -> None:
    result = clean(f"{lead}\n\n{EN_2}")
    assert result.text == f"{rest}\n\n{EN_2}"
    assert [(b.kind, b.text) for b in result.boilerplate] == [("dateline", dateline)]


def test_title_repeated_as_first_line_is_removed_but_not_a_lead_that_starts_like_it() -> None:
    title = "Central bank holds rates"
    assert clean(f"{title}\n\n{EN_1}", title).text == EN_1
    assert kinds(f"  central bank holds rates.\n{EN_1}", title) == ["title_repeat"]
    lead = f"{title} for a third time, surprising analysts who had expected a cut."
    assert clean(f"{lead}\n\n{EN_1}", title).text == f"{lead}\n\n{EN_1}"


def test_caption_repeated_in_the_page_is_removed_everywhere() -> None:
    caption = "Rescue teams at the site of the collapse"
    result = clean(f"{caption}\n{EN_1}\n{caption}\n{EN_2}")
    assert result.text == f"{EN_1}\n\n{EN_2}"
    assert kinds(f"{caption}\n{EN_1}\n{caption}\n{EN_2}") == ["caption", "caption"]


# --- genuine paragraphs that look a bit like boilerplate ----------------------------------

GENUINE = [
    "وقال المصدر: إن القوات تقدمت نحو المدينة بعد اشتباكات عنيفة استمرت ساعات، وإن الخسائر لم تحص بعد.",
    "وأكد مصدر أمني أن المصدر الرئيسي للتمويل كان شبكة تهريب عبر الحدود.",
    "A source familiar with the talks said the two sides were close to a deal on the border crossings.",
    "Source: a senior official who spoke on condition of anonymity told reporters the vote had been delayed.",
    '"Read more books, and you will understand the world better," the minister told students in Amman.',
    "Read more of the report and you find a darker picture of the economy, analysts said.",
    "By the end of the year, the ministry expects to have rebuilt 40 schools in the province.",
    "By Monday, the team was ready.",
    "شارك آلاف المحتجين في مظاهرة وسط العاصمة للمطالبة بتحسين الخدمات.",
    "تابعوا الأحداث عن كثب منذ الصباح.",
    "Subscribers to the service will pay 10% more from January, the company said.",
    "Follow-up talks are planned for next week in Geneva, according to the UN.",
    "Related to the case, police arrested two more suspects on Tuesday, according to a statement.",
    "Share prices fell 3% after the announcement.",
    "Photo evidence shows the convoy crossing the border at night, investigators said.",
    "وأضاف أن الوضع في المدينة .. صعب جداً ويحتاج إلى تدخل عاجل من الحكومة والمنظمات الدولية لإنقاذ السكان.",
    "Tags on the luggage showed it had passed through Istanbul.",
    "Tags on the luggage and a boarding pass from Istanbul",
    "Source of the leak remains unknown",
    "اقرأوا التاريخ جيداً، قال الوزير للطلاب، لأن من لا يعرف ماضيه لا يفهم حاضره.",
    "Most read the statement as a sign that talks would resume.",
    "Published reports said the deal was worth $2 billion.",
    "He wrote on X that the talks were over.",
]


@pytest.mark.parametrize("line", GENUINE)
def test_genuine_paragraph_that_resembles_boilerplate_is_kept(line: str) -> None:
    body = f"{EN_1}\n\n{line}\n\n{AR_2}"
    result = clean(body)
    assert result.text == body
    assert result.boilerplate == ()


def test_genuine_story_without_boilerplate_is_unchanged_apart_from_paragraph_spacing() -> None:
    body = f"  {AR_1}  \r\n{AR_2}\n\n\n{EN_1}\n"
    assert clean(body).text == f"{AR_1}\n\n{AR_2}\n\n{EN_1}"


def test_body_that_is_only_boilerplate_cleans_to_empty_text() -> None:
    result = clean("Share this article\nSource: Reuters\nTags: oil, OPEC")
    assert result.text == ""
    assert [b.kind for b in result.boilerplate] == ["share", "source_line", "tags"]


# --- bundled samples ----------------------------------------------------------------------


def _sample_bodies() -> list[tuple[str, str | None]]:
    bodies: list[tuple[str, str | None]] = [((SAMPLES / "ar-aggregator-page.txt").read_text(encoding="utf-8"), None)]
    for path in sorted(SAMPLES.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        bodies.append((record["body"], record.get("title")))
    for line in (SAMPLES / "mixed.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        bodies.append((record["body"], record.get("title")))
    return bodies


def _load(name: str) -> dict[str, str]:
    record: dict[str, str] = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return record


def test_english_syndicated_copy_cleans_to_exactly_the_original_text() -> None:
    original, copy = _load("en-original.json"), _load("en-syndicated-copy.json")
    assert original["body"] != copy["body"]
    assert clean(copy["body"], copy["title"]).text == clean(original["body"], original["title"]).text


def test_arabic_syndicated_copy_is_the_first_paragraphs_of_the_page_story(page: str) -> None:
    copy = _load("ar-syndicated-copy.json")
    copy_paragraphs = paragraphs(clean(copy["body"], copy["title"]).text)
    assert copy_paragraphs == paragraphs(clean(page).text)[: len(copy_paragraphs)]
    assert 5 < len(copy_paragraphs) < 15


def test_second_arabic_story_shares_no_paragraph_with_the_page(page: str) -> None:
    second = _load("ar-second-story.json")
    assert not set(paragraphs(clean(second["body"]).text)) & set(paragraphs(clean(page).text))


@pytest.mark.parametrize(("body", "title"), _sample_bodies())
def test_samples_are_idempotent_and_keep_paragraphs_verbatim(body: str, title: str | None) -> None:
    once = clean(body, title)
    assert once.text and once.text == once.text.strip()
    assert clean(once.text, title).text == once.text
    for kept in paragraphs(once.text):
        assert kept in body


# --- properties over shuffled pages -------------------------------------------------------

POOL = [
    AR_1,
    AR_2,
    EN_1,
    EN_2,
    *GENUINE,
    *(case[1] for case in CASES),
    "إقرأ أيضاً:",
    "مقالات مشابهة",
    "  • العراق يعلن تصفية 100 عنصر إرهابي",
    "Read more:",
    "— Axios (@axios) October 10, 2024 ماذا بعد المحادثة؟",
    "Biden and Netanyahu talk https://t.co/R4jrEokaDV",
    "BEIRUT (Reuters) - Lebanon's parliament met on Monday.",
    "Related articles",
    "",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(POOL), max_size=14),
    st.sampled_from(["\n", "\n\n"]),
    st.sampled_from([None, "Read more:", EN_1]),
)
def test_cleaning_is_idempotent_and_substring_preserving(lines: list[str], sep: str, title: str | None) -> None:
    body = sep.join(lines)
    once = clean(body, title)
    assert clean(once.text, title).text == once.text
    for kept in paragraphs(once.text):
        assert kept and kept in body
    assert all(b.kind in KINDS and b.text for b in once.boilerplate)


# --- page furniture around the story (shapes seen on real scraped pages, our own words) ----------

PAGE_HEAD = [
    "الرئيسية أخبار محلية عربي ودولي اقتصاد رياضة",
    "جميع الحقوق محفوظة © موقع الخبر 2026",
    "عربي-دولي",
    "الحكومة تعلن خطة جديدة لدعم المزارعين",
    "موقع الخبر",
    "10-02-2026 | 13:20",
    "الحكومة تعلن خطة جديدة لدعم المزارعين photos 0",
]
PAGE_TAIL = ["اترك رد", "تعليقات", "محمد من عمان - منذ ساعتين", "خبر مهم جدا شكرا لكم على المتابعة"]


def test_menus_labels_and_repeated_headlines_before_the_lede_are_page_chrome() -> None:
    cleaned = clean("\n".join([*PAGE_HEAD, AR_1, AR_2]))
    assert cleaned.text == f"{AR_1}\n\n{AR_2}"
    assert {b.kind for b in cleaned.boilerplate} <= {"page_chrome", "dateline", "caption"}
    assert "".join(b.text for b in cleaned.boilerplate).count("الحكومة تعلن خطة جديدة") == 2


def test_a_comment_section_and_widgets_after_the_story_are_removed() -> None:
    cleaned = clean("\n".join([AR_1, "اضافة اعلان", AR_2, *PAGE_TAIL]))
    assert cleaned.text == f"{AR_1}\n\n{AR_2}"
    assert [b.kind for b in cleaned.boilerplate] == ["page_chrome", "page_chrome", "comments"]


def test_short_fragments_after_the_last_sentence_go_but_a_long_cut_line_stays() -> None:
    cut = "But the rights group said the figures did not include the dozens of people still missing in"
    assert clean("\n".join([EN_1, EN_2, cut, "Middle East News", "AFP"])).text == f"{EN_1}\n\n{EN_2}\n\n{cut}"


def test_a_page_without_any_sentence_is_kept_whole() -> None:
    body = "\n".join(PAGE_HEAD[:4])
    assert clean(body).text == "\n\n".join(PAGE_HEAD[:4])


def test_a_short_lede_behind_an_agency_dateline_is_story_not_chrome() -> None:
    assert clean(f"BEIRUT (Reuters) - Lebanon's parliament met on Monday.\n{EN_1}").text.startswith("Lebanon's")
