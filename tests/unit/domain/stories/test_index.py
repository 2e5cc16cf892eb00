"""StoryIndex: joins, founding, vetoes, copies, events across languages, expiry, rebuild.

Texts are written for these tests: a mediated exchange of captives between two made-up states,
reported as a template (another exchange changes only the counts and the weekday), a rewrite,
an English report, and unrelated news.
"""

from __future__ import annotations

import pytest

from service.domain.stories.features import StoryFeatures, story_features
from service.domain.stories.index import StoryIndex
from service.domain.stories.records import StoryRecord

HOUR = 3600.0
SWAP = ("أعلنت وزارة الخارجية في جمهورية النخيل يوم {day} نجاح وساطة جديدة بين بلدي الشمال والجنوب أسفرت عن "
        "تبادل {n} أسيرا بواقع {half} أسيرا من كل جانب، ليصل العدد الإجمالي للأسرى المفرج عنهم بوساطة النخيل "
        "إلى {total} أسيرا منذ بدء الأزمة. وشكرت الوزارة البلدين على تعاونهما مع جهود الوساطة.")
SWAP_REWRITE = ("نجحت وساطة جديدة لجمهورية النخيل بين بلدي الشمال والجنوب في تبادل {n} أسيرا يوم {day}، "
                "ليصل العدد الإجمالي للأسرى المفرج عنهم بوساطة النخيل إلى {total} أسيرا منذ بدء الأزمة، "
                "وفق بيان وزارة الخارجية التي شكرت البلدين على تعاونهما.")
SWAP_EN = ("The foreign ministry of the Nakhil Republic announced on {day_en} a new mediated exchange of {n} "
           "captives between North and South, {half} from each side, bringing the total released through its "
           "mediation to {total}. Samer al-Halabi thanked both sides.")
# The spokesman's account of the exchange: the same facts in fewer of the ministry's words. BRIEF
# shares a cosine of about 0.46 with SWAP (above the kin threshold, below a join of 0.65 even less
# the margin that its agreeing counts take off), LOOSE about 0.17; both share their names and
# numbers with the English report.
BRIEF = ("قال المتحدث باسم حكومة الشمال سامر الحلبي إن {n} أسيرا عادوا يوم {day} إلى ذويهم بوساطة جديدة للنخيل "
         "بين بلدي الشمال والجنوب، وإن الدفعة المقبلة قيد الإعداد، ليصل العدد الإجمالي للأسرى المفرج عنهم إلى "
         "{total} أسيرا منذ بدء الأزمة.")
LOOSE = ("قال المتحدث باسم حكومة الشمال سامر الحلبي إن {n} أسيرا عادوا يوم {day} إلى ذويهم في صفقة جرت "
         "برعاية النخيل، وإن الدفعة المقبلة قيد الإعداد، مشيرا إلى أن {total} أسيرا أطلقوا منذ بدء الأزمة.")
FLOOD = ("غمرت الأمطار الغزيرة السوق القديمة في مدينة الميناء يوم الثلاثاء، وبقي الصيادون في منازلهم "
         "بانتظار تحسن الأحوال الجوية وفتح الطرق المؤدية إلى المرفأ.")
NAMES = [("النخيل", "LOC"), ("سامر الحلبي", "PER")]
NAMES_EN = [("Nakhil", "LOC"), ("Samer al-Halabi", "PER")]
DAYS = {"السبت": "Saturday", "الخميس": "Thursday"}


def features(template: str, lang: str, time: float, n: int = 292, total: int = 4641, day: str = "السبت",
             source: str = "") -> StoryFeatures:
    text = template.format(n=n, half=n // 2, total=total, day=day, day_en=DAYS[day])
    return story_features(text, lang, NAMES if lang == "ar" else NAMES_EN, time, source=source)


def test_a_rewrite_joins_and_an_unrelated_article_founds() -> None:
    index = StoryIndex()
    first = index.assign("a1", features(SWAP, "ar", 0.0, source="one.example"))
    rewrite = index.assign("a2", features(SWAP_REWRITE, "ar", HOUR, source="two.example"))
    other = index.assign("a3", story_features(FLOOD, "ar", [], HOUR))
    assert first.relation == "founded" and first.story_id == "a1" and first.score == 1.0
    assert rewrite.relation == "rewrite" and rewrite.story_id == "a1" and 0.5 < rewrite.score <= 1.0
    assert other.relation == "founded" and other.story_id == "a3"
    view = index.story("a1")
    assert view is not None and view.size == 2 and view.sources == ("one.example", "two.example")
    assert view.first_seen == 0.0 and view.last_seen == HOUR and view.languages == ("ar",)


def test_each_language_joins_at_its_own_threshold() -> None:
    # The rewrite, its counts in words (none to agree on), joins at an Arabic join of 0.5, not at 0.9
    # (English's 0.9 is not used).
    rewrite = SWAP_REWRITE.format(n="مئات", total="آلاف", day="السبت")
    for arabic_join, relation in ((0.5, "rewrite"), (0.9, "founded")):
        index = StoryIndex(join_threshold=0.9, language_join_thresholds={"ar": arabic_join})
        index.assign("a1", features(SWAP, "ar", 0.0))
        assert index.assign("a2", story_features(rewrite, "ar", NAMES, HOUR)).relation == relation


def test_a_retelling_below_the_join_joins_when_its_lede_states_the_same_count() -> None:
    # A witness's account shares few of the ministry's words (a cosine of about 0.27, under the join
    # of 0.35) but states its count of captives: it joins. Told without the count, it founds.
    told = ("عاد {n} أسيرا إلى ذويهم يوم {day} في صفقة جرت بوساطة جديدة للنخيل بين بلدي الشمال والجنوب، "
            "بحسب ما ذكره شهود عند المعبر الحدودي حيث احتشدت العائلات منذ ساعات الصباح الأولى.")
    for account, relation in ((told, "rewrite"), (told.replace("{n} أسيرا", "عشرات الأسرى"), "founded")):
        index = StoryIndex()
        index.assign("a1", features(SWAP, "ar", 0.0))
        joined = index.assign("w", features(account, "ar", HOUR))
        assert joined.relation == relation
        assert relation == "founded" or 0.2 <= joined.score < 0.35
    index = StoryIndex()
    index.assign("a1", features(SWAP, "ar", 0.0))
    assert index.assign("w", features(told, "ar", HOUR, n=40)).relation == "founded"  # another count


def test_another_exchange_from_the_same_template_founds_its_own_story() -> None:
    index = StoryIndex()
    index.assign("a1", features(SWAP, "ar", 0.0))
    assert index.assign("a2", features(SWAP, "ar", HOUR, n=314, total=4955)).relation == "founded"
    assert index.assign("a3", features(SWAP, "ar", HOUR, day="الخميس")).relation == "founded"
    assert index.assign("a4", features(SWAP_REWRITE, "ar", HOUR)).story_id == "a1"


def test_a_rewrite_is_found_when_its_rarest_words_are_each_in_one_unrelated_report() -> None:
    # As in a full window: the rewrite ends in a list of words that one unrelated report each also
    # has (the rarest it holds), while the exchange's words are in two reports (two exchanges).
    fruits = ["تفاح", "برتقال", "موز", "عنب", "رمان", "مشمش", "خوخ", "كمثرى", "تين", "توت", "ليمون", "جوافة",
              "بطيخ", "شمام", "كرز", "أناناس"]
    index = StoryIndex()
    index.assign("a1", features(SWAP, "ar", 0.0))
    index.assign("a2", features(SWAP, "ar", 0.0, n=314, total=4955))
    for i, fruit in enumerate(fruits):
        index.assign(f"u{i}", story_features(f"{fruit} {FLOOD}", "ar", [], HOUR))
    rewrite = features(f"{SWAP_REWRITE} {' '.join(fruits)}", "ar", 2 * HOUR)
    assert index.audit_lookup(rewrite) == (2, 2)  # both exchanges score a join; a2 is vetoed (counts)
    assert index.assign("r", rewrite).story_id == "a1"


def test_assign_is_idempotent() -> None:
    index = StoryIndex()
    index.assign("a1", features(SWAP, "ar", 0.0))
    index.assign("a2", features(SWAP_REWRITE, "ar", HOUR))
    again = index.assign("a2", features(SWAP_REWRITE, "ar", 2 * HOUR))
    assert again == index.assignment_of("a2")
    view = index.story("a1")
    assert view is not None and view.size == 2


def test_a_copy_joins_its_originals_story() -> None:
    index = StoryIndex()
    index.assign("a1", features(SWAP, "ar", 0.0))
    copy = index.add_copy("c1", "a1", HOUR, "copies.example")
    assert copy is not None and copy.relation == "copy" and copy.story_id == "a1" and copy.lang == "ar"
    assert index.add_copy("c2", "never-seen", HOUR) is None


def test_the_english_report_links_into_the_arabic_event_once() -> None:
    index = StoryIndex()
    index.assign("a1", features(SWAP, "ar", 0.0))
    english = index.assign("e1", features(SWAP_EN, "en", HOUR))
    assert english.relation == "founded" and english.story_id == "e1" and english.event_id == "a1"
    view = index.story("e1")
    assert view is not None and view.languages == ("ar", "en")
    # Another Arabic story that did not join a1 is another event: it does not enter a1's event.
    other = index.assign("a2", features(SWAP, "ar", 2 * HOUR, n=314, total=4955))
    assert other.event_id == "a2"


@pytest.mark.parametrize(("template", "event"), [(BRIEF, "a1"), (LOOSE, "a2")])
def test_a_second_story_of_one_language_enters_the_event_only_as_its_kin(template: str, event: str) -> None:
    # A join above the kin threshold (English's at the defaults; Arabic's equals it): BRIEF does not join a1.
    index = StoryIndex(language_join_thresholds={"ar": 0.65})
    index.assign("a1", features(SWAP, "ar", 0.0))
    index.assign("e1", features(SWAP_EN, "en", HOUR))
    # Both match the English report on names and numbers; only BRIEF resembles the Arabic one.
    second = index.assign("a2", features(template, "ar", 2 * HOUR))
    assert second.relation == "founded" and second.story_id == "a2" and second.event_id == event


def test_an_english_report_of_another_exchange_gets_its_own_event() -> None:
    index = StoryIndex()
    index.assign("a1", features(SWAP, "ar", 0.0))
    english = index.assign("e1", features(SWAP_EN, "en", HOUR, n=168, total=4349, day="الخميس"))
    assert english.event_id == "e1"


def test_stories_close_after_the_window() -> None:
    index = StoryIndex(window_seconds=24 * HOUR)
    index.assign("a1", features(SWAP, "ar", 0.0))
    late = index.assign("a2", features(SWAP_REWRITE, "ar", 30 * HOUR))
    assert late.relation == "founded"
    assert index.drop_expired(30 * HOUR) == ["a1"]
    assert index.assignment_of("a1") is None and len(index) == 1


def test_expiry_compacts_and_keeps_answering() -> None:
    index = StoryIndex(window_seconds=10 * HOUR)
    for i in range(40):
        index.assign(f"x{i}", features(SWAP, "ar", i * HOUR, n=100 + 2 * i, total=5000 + 37 * i))
    dropped = index.drop_expired(40 * HOUR)
    assert len(dropped) == 30 and len(index) == 10
    joined = index.assign("y", features(SWAP_REWRITE, "ar", 40 * HOUR, n=178, total=5000 + 37 * 39))
    assert joined.story_id == index.assignment_of("x39").story_id  # type: ignore[union-attr]


def test_rebuilt_from_records_the_index_decides_the_same() -> None:
    index = StoryIndex()
    inputs = [("a1", features(SWAP, "ar", 0.0)), ("e1", features(SWAP_EN, "en", HOUR)),
              ("a2", features(SWAP_REWRITE, "ar", 2 * HOUR))]
    records = []
    for article_id, f in inputs:
        assignment = index.assign(article_id, f)
        records.append(StoryRecord.of(assignment, f.time, f.source, f).to_bytes())
    copy = index.add_copy("c1", "a1", 3 * HOUR)
    assert copy is not None
    records.append(StoryRecord.of(copy, 3 * HOUR).to_bytes())
    rebuilt = StoryIndex()
    for data in records:
        rebuilt.restore(StoryRecord.from_bytes(data))
    for article_id in ("a1", "e1", "a2", "c1"):
        assert rebuilt.assignment_of(article_id) == index.assignment_of(article_id)
    assert rebuilt.story("a1") == index.story("a1") and rebuilt.story("e1") == index.story("e1")
    probe = features(SWAP_REWRITE, "ar", 4 * HOUR)
    assert rebuilt.assign("a3", probe) == index.assign("a3", probe)


def test_bad_parameters_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="seconds"):
        StoryIndex(window_seconds=0)
    with pytest.raises(ValueError, match="cosine"):
        StoryIndex(join_threshold=1.5)
    with pytest.raises(ValueError, match=r"language_join_thresholds\['ar'\] is a cosine"):
        StoryIndex(language_join_thresholds={"ar": 0.0})


def test_a_report_of_what_followed_a_death_stays_out_of_the_deaths_story() -> None:
    # The council's report best matches the telling whose head names no occasion (about 0.53); the
    # story's other report names the death, so the story is the death's and the council founds its own.
    names = [("سالم بن راشد", "PER"), ("النخيل", "LOC")]
    mourning = "وأعلن الديوان الأميري الحداد الرسمي أربعين يوما وتنكيس الأعلام في جميع الدوائر الحكومية."
    death = f"نعى الديوان الأميري في إمارة النخيل الشيخ سالم بن راشد حاكم الإمارة الذي توفي عن 80 عاما، {mourning}"
    told = f"انتقل الشيخ سالم بن راشد حاكم إمارة النخيل إلى رحمة الله عن عمر ناهز 80 عاما، {mourning}"
    council = ("بعد ساعات على وفاة الشيخ سالم بن راشد حاكم إمارة النخيل إلى رحمة الله، انعقد مجلس العائلة "
               f"لاختيار خلفه، فيما {mourning[1:]}")
    index = StoryIndex()
    index.assign("d1", story_features(death, "ar", names, 0.0))
    assert index.assign("d2", story_features(told, "ar", names, HOUR)).story_id == "d1"
    assert index.assign("c", story_features(council, "ar", names, 2 * HOUR)).relation == "founded"
