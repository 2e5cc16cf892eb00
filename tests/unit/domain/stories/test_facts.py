"""Facts and vetoes: what two reports of one event cannot disagree on. Sentences written for these tests."""

from __future__ import annotations

from service.domain.stories.facts import (
    DATE,
    LEDE_WORDS,
    MONTH,
    OCCASION,
    ORDINAL,
    WEEKDAY,
    YEAR,
    Facts,
    contradiction,
    lede_counts,
    value_of,
    values,
)
from service.domain.stories.terms import words

# Filler past the lede: rescue work, no numbers (written for these tests).
RESCUE = " ".join(["وواصلت فرق الإنقاذ البحث بين الأنقاض طوال الليل بينما نقلت سيارات الإسعاف المصابين."] * 6)


def facts(text: str, lang: str) -> Facts:
    return Facts.read(words(text), lang)


def veto(a: str, b: str, lang: str = "ar", other: str | None = None) -> str | None:
    return contradiction(facts(a, lang), facts(b, other or lang), same_language=other is None)


def marks(text: str, lang: str, kind: int) -> set[int]:
    return {m & 0x7FF for m in facts(text, lang).marks if m >> 12 == kind}


def test_numbers_keep_their_value_across_separators_scripts_and_scales() -> None:
    english = facts("Officials counted 1,250 tents and 2.5 tonnes of flour.", "en")
    arabic = facts("أحصى المسؤولون ١٢٥٠ خيمة و2.5 طن من الطحين، و9 ملايين برميل.", "ar")
    assert {value_of(n) for n in english.numbers} == {1250.0, 2.5}
    assert {value_of(n) for n in arabic.numbers} == {1250.0, 2.5, 9e6}
    # Where a number stands (in the lede or after it) is kept apart from its value.
    late = facts(RESCUE + " وأحصى المسؤولون 1250 خيمة.", "ar")
    assert values(late.numbers) == values(facts("أحصى المسؤولون 1250 خيمة.", "ar").numbers)
    assert late.numbers != facts("أحصى المسؤولون 1250 خيمة.", "ar").numbers


def test_a_number_with_a_fused_article_or_preposition_is_read_alone() -> None:
    assert words("عن عمر يناهز الـ91 عاما، وبـ30 مليونا في 2020 ولـ٥ سنوات") == [
        "عن", "عمر", "يناهز", "91", "عاما", "30", "مليونا", "في", "2020", "5", "سنوات"]
    # One report writes the age with the article, another without, and a third names another age:
    # the first two agree, and the third no longer stands alone against them.
    fused = "توفي الشيخ سالم عن عمر يناهز الـ91 عاما، ونقل الديوان أن نائبه البالغ 83 عاما تسلم المهام."
    plain = "توفي الشيخ سالم عن عمر 91 عاما بعد مرض."
    assert veto(fused, plain) is None
    assert veto("توفي الشيخ سالم عن عمر 88 عاما بعد مرض.", plain) == "number"


def test_another_count_of_the_same_thing_is_another_event() -> None:
    first = "أفرج الطرفان عن 120 محتجزا في عملية التبادل التي جرت عند المعبر الحدودي."
    second = "أفرج الطرفان عن 136 محتجزا في عملية التبادل التي جرت عند المعبر الحدودي."
    assert veto(first, second) == "number"
    assert veto(first, first) is None
    # Across languages the word after a number means nothing: only the values are compared.
    assert veto(first, "The two sides freed 136 detainees at the border crossing.", other="en") is None


def test_prices_cited_at_another_hour_do_not_make_another_event() -> None:
    first = ("قرر البنك المركزي رفع سعر الفائدة 200 نقطة أساس، وبلغ سعر الدولار 48 جنيها في البنوك، "
             "فيما سجل خام برنت 91 دولارا للبرميل.")
    later = ("رفع البنك المركزي سعر الفائدة 200 نقطة أساس في اجتماع استثنائي، وتجاوز سعر الدولار 50 جنيها، "
             "وتراجع خام برنت إلى 88 دولارا للبرميل.")
    assert veto(first, later) is None
    assert veto("The bank raised rates by 200 basis points as the pound slid to 48 pounds per dollar.",
                "The bank raised rates by 200 basis points; the dollar fetched 50 pounds by noon.", "en") is None
    # Another move of the rate itself is still another decision.
    assert veto(first, later.replace("200 نقطة", "300 نقطة")) == "number"


def test_the_counts_a_lede_states_are_its_numbers_with_their_context_prices_aside() -> None:
    first = facts("رفع البنك المركزي سعر الفائدة 200 نقطة أساس، وبلغ سعر الدولار 48 جنيها. " + RESCUE
                  + " وكان البنك قد رفعها 100 نقطة أساس في مارس.", "ar")
    retold = facts("قال مصرفيون إن زيادة الـ200 نقطة أساس فاجأت الأسواق، وسجل الدولار 50 جنيها.", "ar")
    assert {value_of(n) for n in lede_counts(first.numbers)} == {200.0}  # not the price, not past the lede
    assert lede_counts(first.numbers) == lede_counts(retold.numbers)
    # A number with no word after it is stated too: two ledes that give one age agree.
    died = facts("The actor died on Sunday at 96. He had been ill since June.", "en")
    assert {value_of(n) for n in lede_counts(died.numbers)} == {96.0}
    mourned = facts("Tributes poured in for the actor, dead at 96.", "en")
    assert lede_counts(died.numbers) == lede_counts(mourned.numbers)


def test_a_later_reading_of_a_large_total_is_another_event() -> None:
    assert veto("The ministry said the toll rose to 48,213 people.", "Health officials put the dead at 48,250.",
                "en") == "quantity"
    # A rounded figure is another way to say the same total, not another total.
    assert veto("The ministry said the toll rose to 48,213 people.", "More than 48,000 people have died.",
                "en") is None


def test_a_later_count_that_cites_the_earlier_one_is_another_event() -> None:
    assert len(words(RESCUE)) > LEDE_WORDS
    earlier = "قالت وزارة الشؤون الاجتماعية إن 14 أسرة نزحت بعد السيول التي ضربت الوادي."
    later = ("ارتفع عدد الأسر النازحة بعد السيول التي ضربت الوادي إلى 19 أسرة. " + RESCUE +
             " وكانت الوزارة قد أعلنت في حصيلة أولية أن 14 أسرة نزحت.")  # fmt: skip
    # Both counts of families are in the later report, so the contexts alone do not disagree.
    assert veto(earlier, later) == "update" and veto(later, earlier) == "update"
    # A rewrite of the later count that also recalls the earlier one reports the same event.
    rewrite = "نزحت 19 أسرة بعد السيول التي ضربت الوادي بحسب الوزارة. " + RESCUE + " وذكرت حصيلة أولية 14 أسرة."
    assert veto(later, rewrite) is None


def test_tolls_in_other_words_or_another_language_are_compared_in_the_ledes() -> None:
    filler = " ".join(["Rescue teams worked through the night as ambulances carried the injured away."] * 6)
    assert len(words(filler)) > LEDE_WORDS
    quake = "A powerful earthquake killed at least 296 people and injured 153 overnight, the ministry said."
    later = "The death toll from the earthquake rose to 632 lives lost, with 329 injured, officials said."
    assert veto(quake, later, "en") == "number"
    arabic_later = "ارتفعت حصيلة ضحايا الزلزال إلى 632 قتيلا و329 جريحا بحسب الداخلية."
    arabic_rewrite = "أودى الزلزال بحياة 296 شخصا على الأقل وأصاب 153 آخرين بحسب الوزارة."
    assert veto(quake, arabic_later, "en", other="ar") == "number"
    assert veto(quake, arabic_rewrite, "en", other="ar") is None
    # Further down, a toll is background (another quake's), not this report's count.
    rewrite = "The overnight earthquake left 296 dead, the ministry said. " + filler + " A 2004 quake killed 628 people"
    assert veto(quake, rewrite, "en") is None


def test_a_toll_is_read_after_the_verb_that_counts_it() -> None:
    first = "A bomber struck the church on Sunday, killing at least 22 and wounding 63 others, state media said."
    later = "At least 20 people were killed and 63 wounded in the bombing of the church, the ministry said."
    retold = "At least 22 people were killed and 63 wounded in the bombing of the church, the ministry said."
    assert veto(first, later, "en") == "number"
    assert veto(first, retold, "en") is None
    arabic_first = "أسفر التفجير عن مقتل 22 وإصابة 63 آخرين داخل الكنيسة."
    arabic_later = "قتل 20 شخصا وأصيب 63 في تفجير الكنيسة."
    assert veto(arabic_first, arabic_later) == "number"
    assert veto(first, "أسفر التفجير عن مقتل 20 شخصا على الأقل داخل الكنيسة.", "en", other="ar") == "number"


def test_people_counted_after_a_toll_verb_are_that_verbs_toll() -> None:
    # "153 people" after "injuring" are the hurt, not a second count of the dead.
    assert veto("The quake killed 296 people and injured 153 people, the ministry said.",
                "The ministry said the quake killed 296 people.", "en") is None
    assert veto("The quake killed 296 people and injured 153 people, the ministry said.",
                "The quake killed 296 people and injured 140 people, the ministry said.", "en") == "number"
    assert veto("سجلت وزارة الداخلية إصابة 153 شخصا بجروح جراء الزلزال.",
                "أسفر الزلزال عن مقتل 296 شخصا وإصابة 153 بجروح.") is None
    # With no toll verb before them, people are still the dead.
    assert veto("The quake left 296 people dead.", "The quake left 290 people dead.", "en") == "number"


def test_a_day_beside_its_month_is_a_date_not_a_count() -> None:
    first = "At least 22 people were killed in the attack on the church on Sunday, officials said."
    later = "The ministry said the attack on the church on June 22 killed 20 people, raising an earlier toll of 15."
    assert veto(first, later, "en") == "number"  # 22 is the day; the toll is 20
    assert values(facts("The attack on June 22 killed 20 people.", "en").numbers) == values(
        facts("The attack killed 20 people.", "en").numbers)
    assert marks("The attack on June 22 killed 20 people.", "en", DATE) == {6 * 32 + 22}


def test_digits_that_are_no_decimal_numbers_are_neither_dates_nor_counts() -> None:
    # str.isdigit() accepts superscripts, int() does not: "June ²²" once raised here.
    text = "On June ²² the storm killed ²⁰ people in the valley."
    assert marks(text, "en", DATE) == set() and marks(text, "en", MONTH) == {6}
    assert facts(text, "en").numbers == ()


def test_marks_are_read_with_their_place() -> None:
    text = "Tuesday, 4 March 2031: the third convoy left the northern depot for the valley."
    assert marks(text, "en", MONTH) == {3} and marks(text, "en", DATE) == {3 * 32 + 4}
    assert marks(text, "en", YEAR) == {2031 - 1900} and marks(text, "en", ORDINAL) == {3}
    assert marks(text, "en", WEEKDAY) == {3}
    arabic = "انطلقت القافلة الثانية عشرة يوم الخميس في 17 أيلول وعلى متنها أدوية."
    assert marks(arabic, "ar", ORDINAL) == {12} and marks(arabic, "ar", WEEKDAY) == {5}
    assert marks(arabic, "ar", DATE) == {9 * 32 + 17}


def test_a_levantine_month_and_its_ordinal_are_one_month() -> None:
    text = "بدأت القوات في 21 كانون الثاني 2031 نقل الدفعة الأولى، وتنتهي في تشرين الأول."
    assert marks(text, "ar", MONTH) == {1, 10} and marks(text, "ar", DATE) == {1 * 32 + 21}
    assert marks(text, "ar", ORDINAL) == {1}  # الأولى: the first batch; الثاني and الأول name months
    assert marks("افتتح المعرض في كانون الأول.", "ar", MONTH) == {12}
    assert marks("افتتح المعرض في تشرين الثاني.", "ar", MONTH) == {11}


def test_a_template_filled_in_for_another_day_or_round_is_another_event() -> None:
    template = "وصلت القافلة {n} الى مستودع الوادي يوم {day} محملة بالادوية والخيام."
    assert veto(template.format(n="الثامنة", day="الاثنين"), template.format(n="العاشرة", day="الاثنين")) == "ordinal"
    assert veto(template.format(n="الثامنة", day="الاثنين"), template.format(n="الثامنة", day="الخميس")) == "weekday"


def test_a_day_apart_is_the_event_and_its_report_not_another_day() -> None:
    # Struck late on one day, announced the next: one quake.
    assert veto("The quake struck late on Friday, killing 296 people.",
                "Authorities announced on Saturday that the quake killed 296 people.", "en") is None
    assert veto("Guards seized the tanker on 14 November, the navy said.",
                "Guards confirmed on 15 November that they seized the tanker.", "en") is None
    visit = "زار الوزير المستودع يوم {} وتفقد الشحنات."
    # Around the week: Saturday and Sunday are a day apart, Saturday and Monday two.
    assert veto(visit.format("السبت"), visit.format("الأحد")) is None
    assert veto(visit.format("السبت"), visit.format("الاثنين")) == "weekday"
    assert veto("Guards seized the tanker on 14 November.", "Guards seized the tanker on 16 November.", "en") == "date"


def test_a_report_that_leaves_a_fact_out_or_names_it_in_passing_does_not_disagree() -> None:
    lede = "The central bank kept its main rate at 4 percent on Tuesday, 12 June, citing slower prices."
    silent = "The central bank kept its main rate unchanged, citing slower prices and a weaker harvest."
    assert veto(lede, silent, "en") is None
    # A year named as background in one report's body is not its own year.
    background = lede + " " + " ".join(["Prices rose for months."] * 15) + " The last cut came in 2029."
    assert veto(background, lede.replace("June,", "June 2031,"), "en") is None


def test_each_side_naming_its_own_month_disagrees() -> None:
    first = "The ministry extended the output cut to the end of August, a source said."
    second = "The ministry extended the output cut to the end of October, a source said."
    assert veto(first, second, "en") == "month"


def test_a_burial_or_condolences_are_not_the_death_they_follow() -> None:
    death = "توفي الشيخ سالم بن راشد حاكم الإمارة عن عمر ناهز 80 عاما بعد صراع مع المرض."
    burial = "شيع الآلاف اليوم جثمان الشيخ سالم بن راشد حاكم الإمارة الذي توفي أمس عن 80 عاما."
    condolence = "بعث الملك برقية تعزية إلى ولي العهد في وفاة الشيخ سالم بن راشد حاكم الإمارة."
    assert marks(burial, "ar", OCCASION) and veto(death, burial) == "occasion"
    assert veto(burial, condolence) == "occasion"
    assert veto(death, "Sheikh Salem bin Rashid, the emirate's ruler, was buried on Friday.", other="en") == "occasion"
    # Two tellings of the death agree; so does a report whose head names no occasion at all.
    assert veto(death, "رحيل حاكم الإمارة الشيخ سالم بن راشد بعد مسيرة طويلة في الحكم.") is None
    assert veto(burial, "أغلقت الدوائر الرسمية في الإمارة أبوابها ونكست الأعلام.") is None


def test_the_occasion_is_read_from_the_head_only() -> None:
    death = "توفي الشيخ سالم بن راشد حاكم الإمارة عن عمر ناهز 80 عاما بعد صراع مع المرض."
    late_burial = RESCUE + " وسيشيع جثمانه غدا."
    assert not marks(late_burial, "ar", OCCASION)
    assert veto(death, late_burial) is None


def test_what_followed_a_death_is_not_the_death() -> None:
    death = "توفي الشيخ سالم بن راشد حاكم الإمارة عن عمر ناهز 80 عاما بعد صراع مع المرض."
    council = "بعد مرور ساعات قليلة على وفاة الشيخ سالم بن راشد، اجتمع مجلس العائلة لاختيار حاكم جديد للإمارة."
    proclaimed = "Two days after the death of Sheikh Salem bin Rashid, his son was proclaimed the emirate's ruler."
    assert veto(death, council) == "occasion"
    assert veto(death, proclaimed, other="en") == "occasion"
    assert veto(council, proclaimed, other="en") is None  # both tell what came after it
    # A death told after its circumstances is still the death: only a noun names the background.
    assert veto(death, "بعد صراع طويل مع المرض توفي الشيخ سالم بن راشد حاكم الإمارة.") is None
    # A head that names its own occasion tells that one, whatever it followed.
    burial = "شيع الآلاف اليوم جثمان الشيخ سالم بن راشد حاكم الإمارة الذي توفي أمس عن 80 عاما."
    assert veto(burial, "دفن الشيخ سالم بن راشد اليوم في مقبرة الإمارة بعد جنازة حضرها الآلاف.") is None
