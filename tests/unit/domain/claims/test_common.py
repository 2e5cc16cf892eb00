import re

from hypothesis import given
from hypothesis import strategies as st

from service.domain.claims.common import word_alternation

WORDS = "said|says|say|saying|read|reads|called on|called for|pointed out|suggest|suggests"


def test_a_trie_shares_prefixes() -> None:
    assert word_alternation("said|says|saying") == "sa(?:id|y(?:ing|s))"
    assert word_alternation("said|say|says|saying") == "sa(?:id|y(?:ing|s)?)"
    assert word_alternation("a.b|a") == r"a(?:\.b)?"  # literal: metacharacters are escaped


def test_it_matches_what_the_flat_alternation_matches() -> None:
    text = "He said, she says; saying it read well. Reads? They called on and called for it; sayings."
    flat = re.compile(rf"\b(?:{WORDS})\b")
    trie = re.compile(rf"\b(?:{word_alternation(WORDS)})\b")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]
    assert [m.group() for m in trie.finditer(text)] == ["said", "says", "saying", "read", "called on", "called for"]


@given(st.lists(st.sampled_from(["sa", "said", "say", "ys", "read", "s", " ", "on", "called", ",", "x"]), max_size=12))
def test_any_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    flat = re.compile(rf"\b(?:{WORDS})\b")
    trie = re.compile(rf"\b(?:{word_alternation(WORDS)})\b")
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]
