"""Who is speaking in English reported speech: the subject before the cue, after it, or earlier."""

from __future__ import annotations

import re

from service.domain.claims.common import QUOTE_CHARS

AUX = re.compile(
    r"\b(?:is|are|was|were|had|has|have|would|will|could|can|may|might|should|must|did|does|do|"
    r"remains?|expects?|plans?|wants?|needs?)\b"
)
PRONOUNS = {"he", "she", "they", "it", "we", "He", "She", "They", "It", "We"}
_ADVERBS = {"also", "has", "have", "had", "long", "previously", "later", "again", "repeatedly", "publicly",
            "once", "then", "earlier", "recently", "separately", "further", "reportedly"}
DETERMINERS = {"the", "a", "an", "The", "A", "An", "this", "that", "These", "those"}
_LEAD_WORDS = {"and", "but", "while", "as", "when", "And", "But", "While", "so", "So"}
# Relative pronouns stand for the noun phrase before the comma ("the department, which warned …").
_RELATIVE = {"which", "who", "that"}
_OF_PREPS = {"of", "for", "at"}
_LEAD_RELATIVE = {"where", "when", "whereas", "because", "although", "though", "since", "if"}
# Words that end the antecedent noun phrase when walking back from the comma.
_NP_STOP = {
    "to", "by", "with", "from", "at", "in", "on", "into", "than", "as", "said", "told", "says", "and", "or",
    "but", "according", "for", "after", "before", "about", "over", "under", "via", "is", "was", "were", "are",
}
# Role nouns that make a lower-case-led chunk a speaker ("civil aviation spokesman Yousef al-Mutairi").
_ROLE_NOUNS = re.compile(
    r"^(?:spokes(?:man|woman|person)|minister|official|officials|director|chief|head|analyst|economist|"
    r"researcher|expert|professor|governor|mayor|commander|ambassador|envoy|lawyer|president|chairman|"
    r"secretary|adviser|advisor|police|critics|residents|witnesses|scientists|experts|analysts|sources)$"
)
WORDS = re.compile(r"\S+")
_FULL_NAME = re.compile(r"(?<![\w.])[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")


def appositive_head(text: str, s_start: int, name_start: int) -> int:
    """'the director, Maysoon Kareem, said': the clause starts at the head noun, not at the name."""
    lead = text[s_start:name_start].rstrip()
    if not lead.endswith(","):
        return name_start
    head = list(WORDS.finditer(text, s_start, s_start + len(lead) - 1))
    picked: list[re.Match[str]] = []
    for w in reversed(head):
        if w.group().endswith((",", ";", ":")) or w.group()[-1:] in QUOTE_CHARS:
            break
        picked.insert(0, w)
    if picked and len(picked) <= 4 and picked[0].group() in DETERMINERS:
        return picked[0].start()
    return name_start


def subject_before(text: str, cue_start: int, s_start: int) -> tuple[int, int] | None:
    words = list(WORDS.finditer(text, s_start, cue_start))
    while words and words[-1].group() in _ADVERBS:
        words.pop()
    if not words:
        return None
    last = words[-1].group()
    if last in DETERMINERS or last[-1:] in QUOTE_CHARS or last[-1:] in ".:;":
        return None
    if last.endswith(","):  # "X, Russia's foreign minister, said" / "The official, who …, said"
        return _appositive_subject(text, words)
    chunk: list[re.Match[str]] = []
    for w in reversed(words):
        if w.group().endswith((",", ":", ";")) or w.group()[-1:] in QUOTE_CHARS:
            break
        chunk.insert(0, w)
    while chunk and chunk[0].group() in _LEAD_WORDS:
        chunk.pop(0)
    while chunk and chunk[0].group() in _LEAD_RELATIVE:  # "…, where residents say"
        chunk.pop(0)
    if not chunk or len(chunk) > 8 or any(AUX.fullmatch(w.group()) for w in chunk):
        return None
    if len(chunk) == 1 and chunk[0].group() in _RELATIVE:
        return _antecedent(text, s_start, chunk[0].start())
    if chunk[0].group() in _RELATIVE:  # "…, which analysts said": the relative is the object
        chunk.pop(0)
    if len(chunk) > 1 and not any(w.group()[:1].isupper() or w.group() in DETERMINERS for w in chunk[:2]) \
            and chunk[0].group()[:1].islower() and not _titled_name(chunk):
        return None
    return chunk[0].start(), chunk[-1].end()


def _titled_name(chunk: list[re.Match[str]]) -> bool:
    """'civil aviation spokesman Yousef al-Mutairi': a role noun followed by a capitalised name."""
    words = [w.group() for w in chunk]
    role = next((i for i, w in enumerate(words) if _ROLE_NOUNS.match(w)), None)
    if role is None:
        return False
    return role == len(words) - 1 or all(w[:1].isupper() or w[:3] in ("al-", "el-") for w in words[role + 1:])


def _antecedent(text: str, s_start: int, pronoun_start: int) -> tuple[int, int] | None:
    """'…, according to the meteorological department, which warned': the noun phrase before the comma."""
    comma = text.rfind(",", s_start, pronoun_start)
    if comma < 0 or text[comma + 1:pronoun_start].strip():
        return None
    words = list(WORDS.finditer(text, s_start, comma))
    picked: list[re.Match[str]] = []
    for k in range(len(words) - 1, -1, -1):
        word = words[k].group()
        if word.endswith((",", ";", ":")) or word[-1:] in QUOTE_CHARS:
            break
        if word.lower() in _NP_STOP and not (word in _OF_PREPS and picked):
            break
        if picked and word[:1].islower() and picked[0].group()[:1].isupper() and word not in DETERMINERS:
            break  # "The museum hired Maysoon Kareem, who": the name, not the clause before it
        picked.insert(0, words[k])
        before = words[k - 1].group() if k else ""
        if (word in DETERMINERS and before not in _OF_PREPS) or len(picked) > 8:
            break  # "the head of the agency": 'of' keeps the phrase going
    if not picked or len(picked) > 8 or picked[0].group() in _RELATIVE:
        return None
    return picked[0].start(), picked[-1].end()


def _appositive_subject(text: str, words: list[re.Match[str]]) -> tuple[int, int] | None:
    chunks: list[list[re.Match[str]]] = [[]]
    for w in words:
        chunks[-1].append(w)
        if w.group().endswith(",") or w.group()[-1:] in QUOTE_CHARS:  # a quotation ends the subject too
            chunks.append([])
    chunks = [c for c in chunks if c]
    if len(chunks) < 2:
        return None
    head, appos = chunks[-2], chunks[-1]
    head_text = " ".join(w.group() for w in head).rstrip(",")
    appos_text = " ".join(w.group() for w in appos).rstrip(",")
    pick = head
    head_words = head_text.split()
    if head_words and head_words[0] in DETERMINERS and re.fullmatch(r"(?:[A-Z][\w'.-]+\s?){2,4}", appos_text):
        pick = appos  # "The spokesman for X, Eric Mamer, said" → the name
    if len(pick) > 8:
        return None
    return pick[0].start(), pick[-1].end() - (1 if pick[-1].group().endswith(",") else 0)


def last_name_before(text: str, pos: int) -> str:
    """'Economist Priya Sharma has … She explained' with no earlier speaker: the last full name."""
    names = _FULL_NAME.findall(text, 0, pos)
    return names[-1] if names else ""


def subject_after(text: str, pos: int, s_end: int, s_start: int, cue_start: int) -> tuple[int, int] | None:
    """'"…," said Jodie Ginsberg, chief executive of …' — subject follows the verb."""
    before = text[s_start:cue_start].rstrip()
    if not before.endswith((",", ',"', ",”")):
        return None
    m = re.match(r"\s*((?:(?:the|a|an)\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)", text[pos:s_end])
    if m is None:
        return None
    return pos + m.start(1), pos + m.end(1)
