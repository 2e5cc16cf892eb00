"""Arabic content that is a noun phrase or a quotation rather than an أن-clause.

'أعلنت الوزارة، الأحد، مقتل …', 'أعربت قطر عن أسفها …', 'أفاد الدفاع المدني بتمكنه …',
'وقال الديوان في بيان نقلته الوكالة “…”', 'مؤكدا في تصريح على أهمية …': find where the speaker
region ends and the content begins, between the cue and the complementiser (or the clause end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.domain.claims import arabic_lexicon as lex
from service.domain.claims.common import QUOTE_CHARS, SpanList, strip_diacritics

_TOKEN = re.compile(r"[^\s،,]+|[،,]")
_PUNCT = " \u00a0،,.:؛()" + QUOTE_CHARS
_PARTICLES = {"عن": "عن", "على": "على", "إلى": "إلى", "الى": "إلى", "من": "من"}  # exact: "علي" is a name
# "ينعى فيه …", "أكد له …": a preposition carrying a pronoun opens an adverbial, not a subject.
PRONOUN_PREPOSITIONS = {"فيه", "فيها", "له", "لها", "لهم", "عليه", "عليها", "منه", "منها", "عنه", "عنها", "به", "بها"}
_ADJUNCT_HEADS = {lex.normalize(w) for w in ("في", "خلال", "عبر", "أمام", "لدى", "من", "مع", "وفي", "بحسب", "وفق",
                                              "وفقا", "حسب", "نقلا", "بعد", "قبل", "عقب", "إثر", "أثناء",
                                              *PRONOUN_PREPOSITIONS)}
_TIME_KEYS = {lex.normalize(w) for w in lex.TIME_WORDS}
_VENUE_KEYS = {lex.normalize(w) for w in lex.VENUE_NOUNS}
_MIN_QUOTE_WORDS = 3
_OPENING_QUOTE = re.compile(f"(?:بـ?)?[{re.escape(QUOTE_CHARS)}]+")


@dataclass(frozen=True)
class ObjectStart:
    speaker_end: int  # the speaker region runs from the cue to here
    content_start: int


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    key: str  # normalised, punctuation stripped


def find_object(
    text: str, start: int, end: int, lemma: str, participle: bool, has_comp: bool, regions: SpanList
) -> ObjectStart | None:
    """Where a noun-phrase or quoted object starts in text[start:end], if it does."""
    tokens, commas = _tokens(text, start, end)
    particles = lex.OBJECT_PARTICLES.get(lemma, ())
    bare = lemma in lex.BARE_OBJECT and not has_comp
    chunk = 0
    subject = 0  # words of a post-verbal subject seen so far
    state = _State()
    for i, tok in enumerate(tokens):
        if i in commas:
            chunk, state = chunk + 1, _State()
        quote = None if has_comp or lemma in lex.NO_QUOTE_OBJECT else _quote_object(text, tok, end, regions)
        if quote is not None:
            return quote
        prev = tokens[i - 1] if i else None
        particle = _PARTICLES.get(strip_diacritics(tok.text).strip(_PUNCT))
        if particle in particles and (prev is None or prev.key not in lex.GOVERNS_PARTICLE) and i + 1 < len(tokens):
            nxt = tokens[i + 1]
            if not has_comp or lex.is_masdar(nxt.text.strip(_PUNCT)):
                return ObjectStart(tok.start, nxt.start)
        b_word = lex.is_b_object(tok.text) or (participle and i == 0 and tok.text.startswith("ب"))  # "مشيدا بجهود"
        if "ب" in particles and not has_comp and b_word:
            return ObjectStart(tok.start, tok.start + 1 + (text[tok.start + 1] == "ـ"))
        time_word = tok.key in _TIME_KEYS and tok.key not in _ADJUNCT_HEADS
        starts_adjunct = tok.key in _ADJUNCT_HEADS or lex.ADDRESSEE.match(tok.text) is not None
        if bare and not time_word and not starts_adjunct and _bare_object_here(
            tok, prev, chunk, subject, participle, state, last_chunk=not any(i < c < len(tokens) for c in commas)
        ):
            return ObjectStart(tok.start, tok.start)
        if time_word:
            state.after_time = state.words == 0 or (chunk == 0 and subject > 0) or state.after_time
            continue
        state.after_time = False
        state.words += 1
        state.adjunct = state.adjunct or starts_adjunct
        if chunk == 0 and not state.adjunct:
            subject += 1
    return None


@dataclass
class _State:
    """Where the scan is inside one comma-delimited chunk."""

    words: int = 0  # words other than time words
    adjunct: bool = False  # inside "في بيان …", "خلال اللقاء …", "لوكالة …"
    after_time: bool = False  # right after "السبت", "اليوم الثلاثاء"




def _bare_object_here(
    tok: _Token, prev: _Token | None, chunk: int, subject: int, participle: bool, state: _State, last_chunk: bool
) -> bool:
    masdar = lex.is_masdar(tok.text.strip(_PUNCT))
    if state.adjunct:
        # "أعلنت الوزارة في بيان مقتل …": a verbal noun after the venue or after a definite word
        # ends the adjunct; inside an idafa chain ("في حادث إطلاق نار") it does not.
        return masdar and prev is not None and (prev.key in _VENUE_KEYS or prev.key.startswith(("ال", "لل")))
    if state.after_time:
        return True  # "أعلن الحرس الثوري السبت احتجاز …"
    if chunk == 0:
        # "مناشدا القرى المجاورة …": after a participle everything is content.
        return participle or masdar  # "أكد دعمه …", "فالسلطات تؤكد عدم حاجتها …"
    if state.words:
        return False
    # "أكد أمير قطر، الشيخ تميم، الأحد، دعمه …": an apposition may follow the subject, between
    # commas; past it (or past an adverbial) the next phrase is the object.
    appositive_slot = chunk == 1 and subject > 0
    return not appositive_slot or last_chunk or masdar


def _tokens(text: str, start: int, end: int) -> tuple[list[_Token], set[int]]:
    """Words of text[start:end] and the indices of words that follow a comma."""
    tokens: list[_Token] = []
    commas: set[int] = set()
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        if word in "،,":
            commas.add(len(tokens))
            continue
        tokens.append(_Token(m.start(), m.end(), word, lex.normalize(word.strip(_PUNCT))))
        if word[-1] in "،,":
            commas.add(len(tokens))
    return tokens, commas


def _quote_object(text: str, tok: _Token, end: int, regions: SpanList) -> ObjectStart | None:
    """A quotation of a few words that closes the clause is the statement ('وأضاف “…”')."""
    opening = _OPENING_QUOTE.match(tok.text)  # '“نرفض', 'بـ”بطولة'; not the ب of 'ببالغ'
    if opening is None:
        return None
    lead = opening.end()
    inner = next(((a, b) for a, b in regions if a == tok.start + lead), None)
    if inner is None or len(text[inner[0]:inner[1]].split()) < _MIN_QUOTE_WORDS:
        return None
    rest = text[inner[1]:end].lstrip(_PUNCT.replace("،", "").replace(",", ""))
    if rest.strip(_PUNCT) and not (rest[:1] in "،," and _TAIL.match(rest, 1)):
        return None  # more words follow: a quoted name in the speaker phrase
    return ObjectStart(tok.start, tok.start + lead - 1)


# What may follow a closing quotation in the same clause: an attribution tail, "وذلك …".
_TAIL = re.compile(r"\s*(?:و?(?:بحسب|حسب|وفق|وفقا|وفقاً|نقلا|نقلاً|طبقا|على حد|كما|حسبما)|وذلك|في|خلال)(?![\w])")
