"""The story stage's state: repeated requests answered the same, copies wait for their original,
and the index rebuilt from its table places the next article as the live one would."""

from __future__ import annotations

import pytest

from service.domain.stories.features import story_features
from service.domain.stories.index import Thresholds
from service.domain.verdicts import StoryRequest
from service.stream.story_state import COPY_WAIT_SECONDS, StoryState

WINDOW = 3 * 86400.0
TEXT = (
    "The central bank held its benchmark rate at 5.25 percent on Thursday, saying inflation had eased "
    "but remained above its target, Governor Rania Aziz told reporters in the capital."
)
# Another agency's version: the same event in fewer shared words (cosine ~0.4 with TEXT).
RETOLD = (
    "Governor Rania Aziz kept the benchmark rate unchanged at 5.25 percent, the central bank said, "
    "as price growth slowed for a third month while staying above the official goal."
)


class Clock:
    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


def original(article_id: str, when: float, text: str = TEXT) -> StoryRequest:
    features = story_features(text, "en", [("Rania Aziz", "PER")], when, title="Bank holds rate", source="wire")
    return StoryRequest(article_id, "original", "en", when, "wire", features.to_bytes())


def copy_of(article_id: str, original_id: str, when: float) -> StoryRequest:
    return StoryRequest(article_id, "copy", "en", when, "aggregator", duplicate_of=original_id)


def test_a_copy_that_comes_first_waits_for_its_original_and_then_joins_its_story() -> None:
    clock = Clock()
    state = StoryState({}, WINDOW, clock)
    assert state.place(copy_of("c", "o", clock.now)) == []
    placed = state.place(original("o", clock.now))
    assert [(p.assignment.article_id, p.assignment.relation) for p in placed] == [("o", "founded"), ("c", "copy")]
    assert {p.assignment.story_id for p in placed} == {"o"}
    assert placed[-1].story is not None and placed[-1].story.size == 2


def test_a_copy_whose_original_is_late_gets_a_provisional_answer_then_joins_when_it_comes() -> None:
    clock = Clock()
    state = StoryState({}, WINDOW, clock)
    assert state.place(copy_of("c", "o", clock.now)) == []
    assert state.release_overdue() == []  # not waited long enough yet
    clock.now += COPY_WAIT_SECONDS
    [provisional] = state.release_overdue()
    assert (provisional.assignment.story_id, provisional.assignment.relation, provisional.story) == ("o", "copy", None)
    placed = state.place(original("o", clock.now))
    assert [(p.assignment.article_id, p.assignment.story_id) for p in placed] == [("o", "o"), ("c", "o")]
    assert placed[-1].story is not None and placed[-1].story.size == 2


def test_a_repeated_request_gets_the_first_answer() -> None:
    clock = Clock()
    state = StoryState({}, WINDOW, clock)
    first = state.place(original("o", clock.now))
    assert state.place(original("o", clock.now + 5)) == first


def test_after_a_restart_the_table_rebuilds_the_same_stories() -> None:
    clock, table = Clock(), {}
    live = StoryState(table, WINDOW, clock)
    live.place(original("o", clock.now))
    live.place(copy_of("c", "o", clock.now))
    rebuilt = StoryState(table, WINDOW, clock)
    [again] = rebuilt.place(copy_of("c", "o", clock.now))
    assert again.assignment == live.place(copy_of("c", "o", clock.now))[0].assignment
    [later] = rebuilt.place(copy_of("c2", "o", clock.now))
    assert later.assignment.story_id == "o" and later.story is not None and later.story.size == 3


@pytest.mark.parametrize(("join", "together"), [(0.2, True), (0.9, False)])
def test_the_deployment_s_join_threshold_decides_a_retelling_also_after_a_rebuild(join: float, together: bool) -> None:
    clock, table = Clock(), {}
    thresholds = Thresholds(join=join, join_by_language={})
    live = StoryState(table, WINDOW, clock, thresholds)
    [first] = live.place(original("o", clock.now))
    [retold] = live.place(original("r", clock.now + 60, RETOLD))
    assert (retold.assignment.story_id == first.assignment.story_id) is together
    table = {key: value for key, value in table.items() if b"r" not in key}  # only the first report held
    rebuilt = StoryState(table, WINDOW, clock, thresholds)
    [again] = rebuilt.place(original("r2", clock.now + 120, RETOLD))
    assert (again.assignment.story_id == first.assignment.story_id) is together
