"""Second opinions on a near match that containment alone gets wrong.

Both failures seen when every labelled text went through one shared index were short copies
(one sentence) whose sampled containment was high for the wrong reason:
- a template opening ("Egypt's president received a call from the Saudi crown prince, ...")
  shared by two different calls: ten sampled hashes cannot tell "the first half of the
  sentence matches" from "one word differs", so short texts are compared on every shingle;
- a recurring story (this year's and last year's Ramadan announcement) that differs in the
  year: a number that disagrees with the other text in the same word context.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.domain.dedup.quantities import LEDE_MARK, OPENING_MARK

# A side with at most this many sampled hashes is a sentence or two: its sample is too small
# to estimate containment, so every shingle of it is compared instead.
SHORT_SAMPLE = 20
# Full-shingle containment a short text needs. Measured on every candidate pair of the labelled
# texts (a short side, sampled containment ≥ 0.45): other events with a shared template opening
# reach 0.50, copies of one story 0.63 and up (two independent edits of one sentence), one
# outlier at 0.52. 0.57 splits the gap.
SHORT_CONTAINMENT = 0.57


def numbers_disagree(first: Sequence[int], second: Sequence[int]) -> bool:
    """True when some number context occurs in both texts but never with the same number, or
    when each text's lede names a date or an ordinal that the other's opening never does.

    Entries are context32 << 32 | number32 (Fingerprint.numbers). A copy keeps its numbers, so
    it never disagrees; extra numbers on either side (a copyright year, a later paragraph) are
    not a disagreement, only a different number in the same words is. A truncated copy or one
    cut at another point lacks some dates, but its lede's are in the other text: only a
    template reused for another month or another plane has dates of its own on both sides.
    """
    if not first or not second:
        return False
    first_lede, first_all = _marked(first)
    second_lede, second_all = _marked(second)
    if first_lede - second_all and second_lede - first_all:
        return True
    common_contexts = {n >> 32 for n in first} & {n >> 32 for n in second} - _MARKS
    if not common_contexts:
        return False
    agreeing = {n >> 32 for n in set(first) & set(second)}
    return not common_contexts <= agreeing


_MARKS = {LEDE_MARK, OPENING_MARK}


def _marked(entries: Sequence[int]) -> tuple[set[int], set[int]]:
    """(the lede's dates and ordinals, all those of the opening), as value hashes."""
    lede = {n & 0xFFFFFFFF for n in entries if n >> 32 == LEDE_MARK}
    return lede, lede | {n & 0xFFFFFFFF for n in entries if n >> 32 == OPENING_MARK}


def short_text_containment(
    shared_sampled: int, shorter_sample_size: int, shorter_opening: Sequence[int], longer_opening: Sequence[int]
) -> float:
    """Containment of the shorter text counted on all its opening shingles, not a sample.

    The sampled hashes (shared_sampled of shorter_sample_size shared) and the unsampled
    opening hashes are disjoint halves of the shingle set, so the two counts add up.
    """
    shared = shared_sampled + len(set(shorter_opening) & set(longer_opening))
    return shared / max(1, shorter_sample_size + len(shorter_opening))
