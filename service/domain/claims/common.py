"""Language-neutral pieces of claim extraction: parse types, quotes, sentences, drafts."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from service.domain.records import Claim, ClaimKind


@dataclass(frozen=True)
class ParsedToken:
    """One word of a dependency parse (stanza-like; `head` is 1-based, 0 = root)."""

    text: str
    start_char: int
    end_char: int
    head: int
    deprel: str
    upos: str


@dataclass(frozen=True)
class ParsedSentence:
    """A dependency-parsed sentence whose character offsets index into the article text."""

    tokens: tuple[ParsedToken, ...]


@dataclass
class Draft:
    """A claim under construction; spans index into the article text."""

    cue: str
    cue_span: tuple[int, int]
    content_spans: list[tuple[int, int]]
    speaker: str = ""
    speaker_span: tuple[int, int] | None = None  # None when resolved from earlier text
    via: str | None = None
    pronoun: bool = False  # speaker omitted or a pronoun: resolve from discourse


SpanList = list[tuple[int, int]]

# Straight quotes are paired by direction (opening before a letter, closing after one);
# typographic ones carry their direction. Apostrophes are never quotes (Russia's).
_OPENERS = "«“„"
_CLOSERS = "»”"
QUOTE_CHARS = '"«»“”„'
_QUOTE_RUN = re.compile(r'"+|[«»“”„]')
_QUOTE_SPLIT = re.compile(r'(["«»“”„]+)')
_LETTERS = re.compile(r"[^\W_\u0640]+")
_ARABIC_DIACRITICS = re.compile("[\u064b-\u0652\u0640]")
_MIN_CONTENT_WORDS = 2
_CUT_TAIL = re.compile(r"[\s.…\[\]()]*\Z")
_QUOTED_PHRASE = 3  # words: a quoted term ("life-threatening") is not a quoted statement


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and ch != "\u0640"


def quote_regions(text: str) -> SpanList:
    """Interiors of quotations, paired within a paragraph; unclosed quotes are dropped."""
    regions: SpanList = []
    for para_start, para in _paragraphs(text):
        open_at: int | None = None
        n = len(para)
        for q in _QUOTE_RUN.finditer(para):
            i, j, ch = q.start(), q.end(), q.group()[0]
            if ch == '"':
                before = para[i - 1] if i > 0 else " "
                after = para[j] if j < n else " "
                opening = not _is_word_char(before) and (_is_word_char(after) or after in "([")
                if opening:
                    open_at = j  # a second opener means the first was never closed
                elif open_at is not None:
                    regions.append((para_start + open_at, para_start + i))
                    open_at = None
                elif _is_word_char(after):
                    open_at = j
            elif ch in _OPENERS:
                open_at = i + 1
            elif open_at is not None:
                regions.append((para_start + open_at, para_start + i))
                open_at = None
    return regions


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def inside(pos: int, regions: SpanList) -> bool:
    """`pos` falls in one of `regions` (sorted, non-overlapping: as quote_regions makes them)."""
    i = bisect.bisect_right(regions, (pos, math.inf)) - 1
    return i >= 0 and regions[i][0] <= pos < regions[i][1]


_SENT_END = re.compile(r"[.!?؟]+[\"”»']*(?=\s)|\n+")
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|St|Prof|Gov|Lt|Col|No|vs|Inc|Corp|Jr)|\b[A-Z])$")


def sentences(text: str, regions: SpanList) -> SpanList:
    """Sentence spans; a full stop inside a quotation does not end the sentence."""
    spans: SpanList = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.group().startswith("\n"):
            end = m.start()
        else:
            if inside(m.start(), regions) or _ABBREV.search(text, max(0, m.start() - 6), m.start()):
                continue
            end = m.end()
        if text[start:end].strip():
            spans.append(_strip_span(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


_EDGE = " \t\n\u00a0,،.;؛:"


def _strip_span(text: str, start: int, end: int, chars: str = " \t\n\u00a0") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces/punctuation and quote marks left unpaired by the cut."""
    start, end = _strip_span(text, start, end, _EDGE)
    piece = text[start:end]
    quotes = sum(piece.count(q) for q in QUOTE_CHARS)
    if piece[:1] in QUOTE_CHARS and piece[-1:] in QUOTE_CHARS and quotes == 2 and len(piece) > 2:
        start, end = start + 1, end - 1
    elif quotes % 2 == 1 and piece[-1:] in QUOTE_CHARS:
        end -= 1
    elif quotes % 2 == 1 and piece[:1] in QUOTE_CHARS:
        start += 1
    return _strip_span(text, start, end, _EDGE)


def quoted_fraction(s: str) -> float:
    """Share of word characters of `s` inside quotation marks (an unclosed quote runs to the end)."""
    inside_q = False
    quoted = total = 0
    for k, piece in enumerate(_QUOTE_SPLIT.split(s)):
        if k % 2:  # a run of quote marks (a doubled mark counts as one)
            inside_q = piece[0] not in _CLOSERS and not (inside_q and piece[0] != "«")
            continue
        letters = sum(len(w) for w in _LETTERS.findall(piece))
        total += letters
        quoted += letters if inside_q else 0
    return quoted / total if total else 0.0


def claim_kind(text: str, spans: SpanList) -> ClaimKind:
    """`direct` when the content is (mostly) quoted or opens with a quoted phrase; a quoted word or
    two leading an indirect statement ('warning of "life-threatening" storm surges') does not."""
    first = spans[0]
    window = text[max(0, first[0] - 1):first[1] + 1].lstrip(" :")
    if len(spans) > 1 or (window[:1] in QUOTE_CHARS and len(_opening_quote(window).split()) >= _QUOTED_PHRASE):
        return "direct"
    joined = "".join(text[max(0, s - 1):e + 1] for s, e in spans)
    return "direct" if quoted_fraction(joined) >= 0.5 else "indirect"


def _opening_quote(s: str) -> str:
    """The words of the quotation `s` opens with (to its closing mark, or all of `s`)."""
    body = s.lstrip(QUOTE_CHARS)
    close = _QUOTE_RUN.search(body)
    return body[:close.start()] if close else body


def strip_diacritics(s: str) -> str:
    return _ARABIC_DIACRITICS.sub("", s)


def to_claim(text: str, draft: Draft) -> Claim | None:
    spans = [trim_content(text, s, e) for s, e in draft.content_spans]
    spans = [sp for sp in spans if sp[1] - sp[0] >= 3]
    if not spans or not draft.speaker.strip():
        return None
    cut_short = _CUT_TAIL.match(text, spans[-1][1]) is not None
    if cut_short and sum(len(_LETTERS.findall(text, s, e)) for s, e in spans) < _MIN_CONTENT_WORDS:
        return None  # "أنه تم […]": a text cut right after the cue says nothing yet
    points = [draft.cue_span[0], draft.cue_span[1]] + [p for sp in spans for p in sp]
    if draft.speaker_span is not None:
        points += list(draft.speaker_span)
    content = " … ".join(text[s:e] for s, e in spans)
    return Claim(
        speaker=draft.speaker.strip(),
        cue=draft.cue,
        content=content,
        kind=claim_kind(text, spans),
        start=min(points),
        end=max(points),
        via=draft.via,
    )


@dataclass
class Discourse:
    """Who spoke last, so that 'وأضاف أن …' / 'he said' can be attributed."""

    speaker: str = ""
    speaker_span: tuple[int, int] | None = None
    person: str = ""  # the last speaker or subject that reads as a person: "he said" means them

    def remember(self, speaker: str, span: tuple[int, int] | None) -> None:
        if speaker:
            self.speaker, self.speaker_span = speaker, span


SentenceRule = Callable[[str, int, int, SpanList, Discourse], list[Draft]]


def by_sentence(text: str, regions: SpanList, sents: SpanList, discourse: Discourse, rule: SentenceRule) -> list[Draft]:
    """Claims sentence by sentence; a sentence that is nothing but a quotation, right after a quoted
    claim, continues it (the wire's 'Quote," he said. "More quote."' or a quoted paragraph)."""
    drafts: list[Draft] = []
    prev_direct: Draft | None = None
    for s_start, s_end in sents:
        found = rule(text, s_start, s_end, regions, discourse)
        if not found and prev_direct is not None and _whole_quote(s_start, s_end, regions):
            prev_direct.content_spans.append((s_start + 1, s_end - 1))
            continue
        prev_direct = next((d for d in reversed(found) if _ends_in_quote(text, d, regions)), None)
        drafts.extend(found)
    return drafts


def _whole_quote(s_start: int, s_end: int, regions: SpanList) -> bool:
    return any(a == s_start + 1 and b >= s_end - 2 for a, b in regions)


def _ends_in_quote(text: str, draft: Draft, regions: SpanList) -> bool:
    a, b = trim_content(text, *draft.content_spans[-1])
    return any(ra - 1 <= a and b <= rb + 1 for ra, rb in regions)


def word_alternation(words: str) -> str:
    """The literal words (or phrases) of "a|b|c" as a regex trie: "said|say|saying" becomes
    "sa(?:id|y(?:ing)?)". Between word boundaries it matches what the flat alternation matches,
    but `re` reads each letter once instead of trying every word at every boundary (the commit
    that brought it measured the English cue scan on the real corpus)."""
    trie: Trie = {}
    for word in words.split("|"):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


Trie = dict[str, "Trie"]


def _trie_pattern(node: Trie) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    optional = "?" if "" in node else ""  # a word ends here; longer ones go on
    if len(branches) == 1 and not optional:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + optional
