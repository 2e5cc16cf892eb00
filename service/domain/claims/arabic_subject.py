"""Who the subject is when it is not right after the cue: before it, framed by كان, or opening the clause."""

from __future__ import annotations

import itertools
import re

from service.domain.claims import arabic_lexicon as lex
from service.domain.claims.common import QUOTE_CHARS, strip_diacritics

WORD = re.compile(r"\S+")
COMMA = re.compile(r"[،,]")
TRAILING_PUNCT = " \u00a0،,.:؛"
MAX_SPEAKER_WORDS = 9
# Compared without diacritics but not normalised: "على" normalised is the name "علي".
PREPOSITIONS = {"في", "وفي", "من", "على", "إلى", "الى", "عن", "مع", "ب", "وب", "خلال", "بعد", "قبل"}
KANA = {"كان", "كانت", "وكان", "وكانت"}
_FUNCTION_WORDS = {*KANA, "قد", "وقد", "ما", "وهو", "وهي", "هو", "هي", "بدوره", "بدورها", "أيضا", "كذلك"}
NOT_IN_SUBJECT = {*lex.BAD_IN_SPEAKER, *lex.TIME_WORDS, "وهو", "وهي", "هو", "هي"}


def bare(word: str) -> str:
    """A word as the lists above hold it: no diacritics, no surrounding punctuation."""
    return strip_diacritics(word).strip(TRAILING_PUNCT + QUOTE_CHARS)


def subject_before(text: str, cue_start: int, s_start: int) -> tuple[int, int] | None:
    """Subject-first order ('التقرير أشار إلى أن', 'وكانت الوكالة قد ذكرت'): a noun phrase opening the clause."""
    lead_start = segment_start(text, s_start, cue_start)
    words = _content_words(text, lead_start, cue_start)
    if not words and lead_start > s_start and text[lead_start - 1] in "،,":
        framed = _framed_subject(text, s_start, lead_start - 1)  # "وكان X، أعلن"
        return framed or _appositive_before(text, s_start, lead_start - 1)
    framed = _framed_subject(text, lead_start, cue_start)
    if framed is not None:
        return framed
    if not words or len(words) > 3:
        return None
    if any(w.group() in lex.BAD_IN_SPEAKER or w.group().startswith(("لكن", "إن", "أن")) for w in words):
        return None  # "لكنه أوضح": a pronoun, resolved from discourse instead
    if any(_object_after_subject(a.group(), b.group()) for a, b in itertools.pairwise(words)):
        return None  # "أصدرت الجمعية بيانا تنعى": a clause of its own before the verb
    clitic = 1 if words[0].group()[:1] in "وف" and words[0].group()[1:3] == "ال" else 0  # "فالسلطات"
    return words[0].start() + clitic, words[-1].end()


def _object_after_subject(first: str, second: str) -> bool:
    """'الجمعية بيانا': an indefinite accusative right after a definite noun is an object."""
    return bare(first).startswith("ال") and not bare(second).startswith(("ال", "و")) and bare(second).endswith("ا")


def opens_clause(text: str, s_start: int, pos: int) -> bool:
    """'وأضاف', '، ثم أكد', 'لكنه أوضح', 'وهو ما أكده': nothing but function words before the verb in its
    clause, so an omitted subject is the previous speaker."""
    words = _content_words(text, segment_start(text, s_start, pos), pos)
    return all(bare(w.group()) in _FUNCTION_WORDS or w.group().startswith(("لكن", "ولكن", "إن", "أن")) for w in words)


def _framed_subject(text: str, start: int, end: int) -> tuple[int, int] | None:
    """'وكان وزير الخارجية قد أعلن': the words between كان and (قد) are the subject."""
    words = _content_words(text, segment_start(text, start, end), end)
    if not words or words[0].group() not in KANA:
        return None
    inner = words[1:-1] if words[-1].group() == "قد" else words[1:]
    if not inner or len(inner) > MAX_SPEAKER_WORDS:
        return None
    if any(bare(w.group()) in NOT_IN_SUBJECT for w in inner):
        return None
    return inner[0].start(), inner[-1].end()


def _appositive_before(text: str, s_start: int, comma: int) -> tuple[int, int] | None:
    """'لكن الناطق باسم الوزارة، لورنس المجالي، أكد أن': an explicit subject, named in apposition."""
    name_start = segment_start(text, s_start, comma)
    if name_start <= s_start or text[name_start - 1] not in "،,":
        return None
    name = _content_words(text, name_start, comma)
    head = _content_words(text, segment_start(text, s_start, name_start - 1), name_start - 1)
    if not name or not head or len(name) > 4 or len(head) > 6:
        return None
    if any(bare(w.group()) in NOT_IN_SUBJECT for w in name + head) or bare(head[0].group()) in PREPOSITIONS:
        return None  # "وفي تصريح صحفي، الأحد، أكد": an adverbial, not a subject
    return name[0].start(), name[-1].end()


def clause_subject(text: str, s_start: int, pos: int) -> tuple[int, int] | None:
    """'أبقى البنك المركزي سعر الفائدة …، قائلا': the noun phrase after the verb that opens the clause."""
    start = after_dateline(text, s_start, pos)
    lead = COMMA.search(text, start, pos)
    if lead is not None and _is_adverbial(_content_words(text, start, lead.start())):
        start = lead.end()  # "من جانبه، أدان وزير الإعلام …"
    words = _content_words(text, start, pos)
    if len(words) < 2:
        return None
    verb = bare(words[0].group())
    if verb.startswith(("ال", "لل")) or verb in NOT_IN_SUBJECT or verb in PREPOSITIONS or words[0].group()[-1] in "،,":
        return None
    kept: list[re.Match[str]] = []
    definite = False
    for w in words[1:]:
        raw = w.group()
        key = bare(raw)
        is_definite = key.startswith(("ال", "لل"))
        if key in NOT_IN_SUBJECT or key in PREPOSITIONS or raw[:1] in QUOTE_CHARS or lex.is_masdar(key):
            break
        if kept and not is_definite and (definite or key.endswith("ا")):
            break  # "البنك المركزي سعر الفائدة", "ديوان البلاط بيانا": the object after the subject
        kept.append(w)
        definite = definite or is_definite
        if raw[-1] in "،," or len(kept) >= MAX_SPEAKER_WORDS:
            break
    if not kept:
        return None
    end = kept[-1].end()
    while text[end - 1] in TRAILING_PUNCT:
        end -= 1
    return kept[0].start(), end


def _is_adverbial(words: list[re.Match[str]]) -> bool:
    """'من جانبه', 'بدوره', 'وفي سياق متصل': a short phrase that opens with a preposition."""
    if not words or len(words) > 3:
        return False
    first = bare(words[0].group()).removeprefix("و")
    return first in PREPOSITIONS or first.startswith("بدور")


def after_dateline(text: str, s_start: int, pos: int) -> int:
    """'رويترز – أبقى …', 'الرياض - كتبت فلانة - أعلنت …': the clause starts after the dateline."""
    head = text[s_start:min(pos, s_start + 80)]
    dash = max(head.rfind(" – "), head.rfind(" - "), head.rfind("- "))
    return s_start + dash + 2 if dash >= 0 else s_start


def segment_start(text: str, s_start: int, end: int) -> int:
    start = max(text.rfind(p, s_start, end) for p in "،,:\n")
    return s_start if start < s_start else start + 1


def _content_words(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Words of text[start:end] after leading connectors ('لكن', 'و', 'فيما')."""
    words = list(WORD.finditer(text, start, end))
    while words and lex.normalize(words[0].group()).lstrip("وف") in {"", *lex.CONNECTORS}:
        words.pop(0)
    return words


def preceded_by_comma(text: str, pos: int, s_start: int) -> bool:
    return text[s_start:pos].rstrip(" \u00a0").endswith(("،", ","))
