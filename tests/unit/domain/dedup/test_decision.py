import importlib.util
import json
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from service.domain.dedup.decision import decide
from service.domain.dedup.fingerprint import Fingerprint, fingerprint
from service.domain.dedup.index import DedupIndex

ROOT = Path(__file__).resolve().parents[4]
DATA = ROOT / "tests" / "data" / "dedup"
WEEK = 7 * 24 * 3600.0


def _stories() -> dict[str, str]:
    stories = json.loads((DATA / "stories_ar.json").read_text()) + json.loads((DATA / "stories_en.json").read_text())
    return {s["id"]: "\n\n".join(s["paragraphs"]) for s in stories}


STORIES = _stories()


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_dedup", ROOT / "benchmarks" / "eval_dedup.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _random_fp(rng: np.random.Generator, size: int = 80) -> Fingerprint:
    sample = np.unique(rng.integers(0, 2**31, size, dtype=np.uint64) * 2)
    return Fingerprint(rng.bytes(16), tuple(sample.tolist()), size * 2)


def test_first_seen_is_canonical_and_an_exact_copy_points_to_it() -> None:
    index = DedupIndex(WEEK)
    original = decide(index, "a1", fingerprint(STORIES["en-fed-mar"]), 100.0)
    copy = decide(index, "a2", fingerprint("  " + STORIES["en-fed-mar"].upper() + " "), 200.0)
    assert (original.cluster_id, original.is_duplicate) == ("a1", False)
    assert (copy.duplicate_of, copy.cluster_id, copy.method, copy.similarity) == ("a1", "a1", "exact", 1.0)
    assert len(index) == 1  # copies are never indexed


def test_truncated_copy_with_leftover_boilerplate_is_a_near_copy() -> None:
    index = DedupIndex(WEEK)
    decide(index, "orig", fingerprint(STORIES["ar-hol-1"]), 0.0)
    opening = "\n\n".join(STORIES["ar-hol-1"].split("\n\n")[:2])
    copy = decide(index, "copy", fingerprint("الحسكة - وكالات\n\n" + opening + "\n\nالمصدر: وكالات"), 60.0)
    assert copy.duplicate_of == "orig" and copy.method == "near" and 0.45 <= copy.similarity <= 1.0


@pytest.mark.parametrize(("first", "second"), [("ar-hol-1", "ar-hol-2"), ("en-jobs-jun", "en-jobs-jul"),
                                               ("ar-tawjihi-2024", "ar-tawjihi-2023"), ("en-swap-1", "en-swap-2")])
def test_different_events_on_the_same_topic_stay_separate(first: str, second: str) -> None:
    index = DedupIndex(WEEK)
    decide(index, first, fingerprint(STORIES[first]), 0.0)
    verdict = decide(index, second, fingerprint(STORIES[second]), 60.0)
    assert not verdict.is_duplicate and verdict.cluster_id == second
    assert len(index) == 2


def test_replays_repeat_the_first_verdicts() -> None:
    index = DedupIndex(WEEK)
    full = fingerprint(STORIES["en-lamp-1"])
    opening = fingerprint(STORIES["en-lamp-1"].split("\n\n")[0])
    first = [decide(index, "o", full, 0.0), decide(index, "c", opening, 5.0)]
    decide(index, "other", fingerprint(STORIES["en-lamp-2"]), 6.0)
    replay = [decide(index, "o", full, 0.0), decide(index, "c", opening, 5.0)]
    assert replay == first
    assert first[0].duplicate_of is None and first[1].duplicate_of == "o"


def test_same_inputs_in_same_order_give_same_verdicts() -> None:
    def run() -> list[object]:
        index = DedupIndex(WEEK)
        return [decide(index, sid, fingerprint(text), float(n)) for n, (sid, text) in enumerate(STORIES.items())]

    assert run() == run()


def test_entries_outside_the_window_stop_matching_and_expire() -> None:
    index = DedupIndex(window_seconds=3600)
    fp = fingerprint(STORIES["en-nobel-2023"])
    index.add("old", "old", fp, received_at=0.0)
    assert index.lookup(fp, now=3599.0) is not None
    assert index.lookup(fp, now=3601.0) is None  # stops matching before any expire()
    assert index.drop_expired(now=3601.0) == ["old"]
    assert len(index) == 0 and index.cluster_of("old") is None
    assert decide(index, "new", fp, 3602.0).duplicate_of is None


def test_memory_is_bounded_after_expire() -> None:
    rng = np.random.default_rng(3)
    index = DedupIndex(window_seconds=100)
    baseline = index.nbytes
    for day in range(3):
        for n in range(5000):
            index.add(f"d{day}-{n}", f"d{day}-{n}", _random_fp(rng), received_at=day * 1000.0)
        held_bytes = index.nbytes
        assert index.expire(now=day * 1000.0 + 101) == 5000
        assert len(index) == 0
    assert held_bytes > 20 * baseline
    assert index.nbytes <= 2 * baseline


def test_expire_keeps_fresh_entries_findable_after_compaction() -> None:
    rng = np.random.default_rng(4)
    index = DedupIndex(window_seconds=100)
    fps = [_random_fp(rng) for _ in range(400)]
    for n, fp in enumerate(fps):
        index.add(f"id{n}", f"id{n}" if n % 2 else "cluster-x", fp, received_at=0.0 if n < 300 else 500.0)
    assert index.expire(now=550.0) == 300
    for n in range(300, 400):
        match = index.lookup(fps[n], now=550.0)
        assert match is not None and match.article_id == f"id{n}" and match.method == "exact"
        assert match.cluster_id == (f"id{n}" if n % 2 else "cluster-x")
    assert index.lookup(fps[0], now=550.0) is None


def test_remove_forgets_an_article() -> None:
    index = DedupIndex(WEEK)
    fp = fingerprint(STORIES["en-fire-evros"])
    decide(index, "x", fp, 0.0)
    index.remove("x")
    assert len(index) == 0 and index.lookup(fp, 1.0) is None
    with pytest.raises(ValueError, match="already held"):
        index.add("y", "y", fp, 2.0)
        index.add("y", "y", fp, 3.0)


@pytest.mark.parametrize("window", [0, -1, float("inf"), float("nan")])
def test_constructor_rejects_bad_window(window: float) -> None:
    with pytest.raises(ValueError, match="window_seconds must be"):
        DedupIndex(window)


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5])
def test_constructor_rejects_bad_threshold(threshold: float) -> None:
    with pytest.raises(ValueError, match=r"threshold .* must be in \(0, 1\]"):
        DedupIndex(WEEK, threshold)


def test_labelled_set_reaches_the_targets() -> None:
    eval_dedup = _eval_module()
    pairs = eval_dedup.load_pairs()
    assert sum(p["label"] == "copy" for p in pairs) >= 150 and sum(p["label"] == "different" for p in pairs) >= 100
    summary = eval_dedup.evaluate(pairs)
    assert summary["precision"] >= 0.99
    assert summary["recall"] >= 0.95
    assert summary["different_event_merges"] == 0
    shared = summary["shared"]  # every text through one index, several arrival orders
    assert shared["different_event_merges"] == 0
    assert shared["missed_copies"] <= 0.01 * shared["expected_copies"]


def _first_paragraph(story_id: str) -> str:
    return STORIES[story_id].split("\n\n")[0]


def test_one_sentence_with_a_shared_template_opening_is_another_event() -> None:
    # Both calls open "Sisi received a call from Mohammed bin Salman, ..." then differ (Gaza / Sudan).
    index = DedupIndex(WEEK)
    decide(index, "gaza-call", fingerprint(STORIES["ar-call-1"]), 0.0)
    verdict = decide(index, "sudan-call", fingerprint(_first_paragraph("ar-call-2")), 60.0)
    assert not verdict.is_duplicate


def test_last_years_edition_differing_in_the_year_is_another_event() -> None:
    index = DedupIndex(WEEK)
    decide(index, "ramadan-1445", fingerprint(STORIES["ar-hilal-1445"]), 0.0)
    assert not decide(index, "ramadan-1444", fingerprint(_first_paragraph("ar-hilal-1444")), 60.0).is_duplicate


@pytest.mark.parametrize("story_id", ["ar-call-2", "ar-hilal-1444", "en-jobs-jun"])
def test_one_sentence_copies_with_a_dateline_or_an_edit_are_still_copies(story_id: str) -> None:
    sentence = _first_paragraph(story_id)
    words = sentence.split(" ")
    edited = " ".join([*words[:10], words[12], *words[11:]])  # one word replaced by another
    for number, copy in enumerate(["LONDON (Reuters) - " + sentence, edited]):
        index = DedupIndex(WEEK)
        decide(index, "orig", fingerprint(STORIES[story_id]), 0.0)
        assert decide(index, f"copy{number}", fingerprint(copy), 60.0).duplicate_of == "orig"


def test_numbers_disagree_only_on_a_different_number_in_the_same_words() -> None:
    from service.domain.dedup.guards import numbers_disagree

    def numbers(text: str) -> tuple[int, ...]:
        found = fingerprint(text).numbers
        assert found is not None
        return found

    base = numbers("prices rose 3 percent in 2024 said the office")
    assert numbers_disagree(base, numbers("prices rose 3 percent in 2023 said the office"))
    assert not numbers_disagree(base, numbers("prices rose 3 percent in 2024 said the office © 2025 all rights"))
    assert not numbers_disagree(base, numbers("no digits here at all"))


def test_version_1_fingerprints_still_match_and_skip_the_guards() -> None:
    index = DedupIndex(WEEK)
    full = fingerprint(STORIES["ar-call-1"])
    index.add("old", "old", Fingerprint.from_bytes(_as_v1(full)), 0.0)
    assert index.lookup(full, 1.0) is not None  # exact, through the v1 record
    assert index.lookup(fingerprint(STORIES["ar-call-1"].split("\n\n")[0]), 1.0) is not None


def _as_v1(fp: Fingerprint) -> bytes:
    return Fingerprint(fp.exact, fp.sample, fp.shingle_count).to_bytes()


def test_large_runs_with_bucket_directory_find_exactly_the_postings() -> None:
    from service.domain.dedup.packed_runs import DIRECTORY_MIN_RUN, PackedRuns

    rng = np.random.default_rng(5)
    runs = PackedRuns()
    keys_of_slot = [rng.integers(0, 2**32, 40, dtype=np.uint64).astype(np.uint32) for _ in range(4000)]
    hot_key = np.uint32(123456)
    for slot, keys in enumerate(keys_of_slot):
        runs.add(np.append(keys, hot_key), slot)
    runs.add(np.array([7], dtype=np.uint32), 1, tag=1)
    assert any(run.postings.size >= DIRECTORY_MIN_RUN for run in runs._runs)  # the directory path is tested
    probe = np.concatenate((keys_of_slot[17][:20], keys_of_slot[2500][:5], [hot_key], [np.uint32(7)]))
    slots, probe_of = runs.slots_of(probe, max_per_key=1000)
    # Key 7 exists only under tag 1; the hot key (4000 postings) is skipped where a run holds > 1000.
    assert sorted(slots[probe_of < 25].tolist()) == sorted([17] * 20 + [2500] * 5)
    assert 0 < (probe_of == 25).sum() < 1000 and not (probe_of == 26).any()
    tagged, _ = runs.slots_of(np.array([7], dtype=np.uint32), 1000, tags=np.array([1], dtype=np.uint32))
    assert tagged.tolist() == [1]


def test_one_key_lookup_finds_what_the_many_probe_lookup_finds() -> None:
    from service.domain.dedup.packed_runs import PackedRuns

    rng = np.random.default_rng(8)
    runs = PackedRuns(buffer_capacity=64)
    keys = rng.integers(0, 2**32, 3000, dtype=np.uint64).astype(np.uint32)
    for slot, key in enumerate(keys.tolist()):  # runs of several sizes, and a buffer not yet sorted
        runs.add(np.array([key, 0xFFFFFFFF], dtype=np.uint32), slot)
    runs.add(np.array([keys[5]], dtype=np.uint32), 2999)  # one key in two runs
    runs.add(np.array([keys[6]], dtype=np.uint32), 77, tag=1)
    assert len(runs._runs) > 1 and runs._buffered
    for key in (*keys[:50].tolist(), 0xFFFFFFFF, 42):
        many, _ = runs.slots_of(np.array([key], dtype=np.uint32), max_per_key=1 << 30)
        assert sorted(runs.slots_of_key(key)) == sorted(many.tolist())
    assert sorted(runs.slots_of_key(int(keys[5]))) == [5, 2999]
    assert runs.slots_of_key(int(keys[6]), tag=1) == [77] and runs.slots_of_key(int(keys[6])) == [6]


# --- shapes seen on real pages (our own sentences) ------------------------------------------------

OIL_TEMPLATE = (
    "أعلن مصدر مسؤول في وزارة الطاقة أن المملكة ستمدد الخفض الطوعي لإنتاج النفط البالغ مليون برميل "
    "يوميا والذي بدأ تطبيقه في شهر يوليو لشهر آخر ليشمل شهر {month}، مع إمكانية تمديده أو زيادته. "
    "وأوضح المصدر أن هذا الخفض يأتي إضافة إلى الخفض الذي أعلنته المملكة في أبريل الماضي والممتد "
    "حتى نهاية العام المقبل، دعما لاستقرار أسواق النفط وتوازنها."
)
RELIEF_TEMPLATE = (
    "وصلت اليوم إلى مطار حلب الدولي الطائرة الإغاثية {ordinal} التي يسيرها المركز، وتحمل على متنها "
    "سلالا غذائية وحقائب إيوائية وأدوية لمساعدة المتضررين من الزلزال. ويأتي ذلك في إطار الجسر الجوي "
    "الذي يسيره المركز لتخفيف معاناة الشعب السوري الشقيق، تنفيذا لتوجيهات القيادة."
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (OIL_TEMPLATE.format(month="أغسطس"), OIL_TEMPLATE.format(month="سبتمبر").replace("ليشمل شهر", "ليشمل")),
        (RELIEF_TEMPLATE.format(ordinal="الثامنة"), RELIEF_TEMPLATE.format(ordinal="العاشرة")),
    ],
    ids=["another-month-reworded-around-it", "another-plane"],
)
def test_a_template_reused_for_another_month_or_another_plane_is_another_event(first: str, second: str) -> None:
    index = DedupIndex(WEEK)
    decide(index, "first", fingerprint(first), 0.0)
    assert not decide(index, "second", fingerprint(second), 60.0).is_duplicate


def test_a_dateline_date_is_not_a_date_the_copy_must_repeat() -> None:
    story = RELIEF_TEMPLATE.format(ordinal="الثامنة") + " وكانت الطائرة السابعة قد وصلت في يوليو الماضي."
    index = DedupIndex(WEEK)
    decide(index, "orig", fingerprint(story), 0.0)
    assert decide(index, "copy", fingerprint("حلب في 11 ديسمبر /واس/ " + story), 60.0).duplicate_of == "orig"


def test_a_copy_that_clears_the_threshold_twice_points_at_the_closer_text() -> None:
    story = STORIES["ar-call-1"]
    paragraphs = story.split("\n\n")
    index = DedupIndex(WEEK, threshold=0.3)
    # Held first: a text sharing only the opening paragraph (another outlet's story around it).
    decide(index, "shares-the-opening", fingerprint("\n\n".join([paragraphs[0], STORIES["en-jobs-jun"]])), 0.0)
    decide(index, "the-story", fingerprint(story), 10.0)
    copy = story.replace(paragraphs[-1], "")  # a near copy: the last paragraph cut off
    verdict = decide(index, "copy", fingerprint(copy), 60.0)
    assert (verdict.method, verdict.duplicate_of) == ("near", "the-story")
