"""Postings: the newest slots of each key, by tag, across runs, and after compaction."""

from __future__ import annotations

import numpy as np

from service.domain.stories.postings import Postings


def keys(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.uint32)


def found(postings: Postings, probe: np.ndarray, tag: int = 0, per_key: int = 10) -> list[tuple[int, int]]:
    slots, probes = postings.newest(probe, tag, per_key)
    return sorted(zip(probes.tolist(), slots.tolist(), strict=True))


def test_each_probe_gets_the_newest_slots_of_its_key_and_tag() -> None:
    postings = Postings(buffer_capacity=8)  # small: adds spill into several runs
    for slot in range(20):
        postings.add(keys(7, 100 + slot % 2), slot)
        postings.add(keys(7), slot, tag=1)
    assert len(postings) == 60
    assert found(postings, keys(101)) == [(0, s) for s in range(1, 20, 2)]
    newest = found(postings, keys(7, 404), per_key=3)
    assert {p for p, _ in newest} == {0} and max(s for _, s in newest) == 19 and 3 <= len(newest) <= 3 * 8
    assert {s for _, s in found(postings, keys(7), tag=1, per_key=100)} == set(range(20))


def test_compaction_renumbers_and_drops() -> None:
    postings = Postings(buffer_capacity=4)
    for slot in range(6):
        postings.add(keys(1, 2), slot)
    slot_map = np.array([-1, 0, -1, 1, 2, 3])
    postings.compact(slot_map)
    assert found(postings, keys(1)) == [(0, 0), (0, 1), (0, 2), (0, 3)]
    postings.add(keys(1), 4)
    assert found(postings, keys(1), per_key=2)[-1] == (0, 4)
