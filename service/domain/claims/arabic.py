"""Arabic reported speech: cue verb + speaker noun phrase + content (an إن/أن/: clause, a quotation
or a noun phrase: arabic_object.py). Subjects not right after the verb: arabic_subject.py;
'بحسب X'، 'وفق ما أعلنه X'، 'جاء في بيان X' and headlines: arabic_attribution.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.domain.claims import arabic_lexicon as lex
from service.domain.claims.arabic_attribution import (
    attribution,
    clause_end_before,
    headline,
    pronoun_tail,
    statement,
    tail_boundary,
    via_name,
)
from service.domain.claims.arabic_object import PRONOUN_PREPOSITIONS, find_object
from service.domain.claims.arabic_subject import (
    COMMA,
    KANA,
    MAX_SPEAKER_WORDS,
    PREPOSITIONS,
    TRAILING_PUNCT,
    WORD,
    bare,
    clause_subject,
    opens_clause,
    preceded_by_comma,
    subject_before,
)
from service.domain.claims.common import (
    QUOTE_CHARS,
    Discourse,
    Draft,
    SpanList,
    by_sentence,
    inside,
    strip_diacritics,
)

_MAX_REGION_WORDS = 16
_CONNECTOR_TAIL = 24  # trailing connectors fit in this many characters; the $-anchored search is quadratic
_MAX_RELAY_WORDS = 26  # "نقلت الوكالة اليوم عن فلان مدير فريق … قوله:" names two sources
_MAX_RELAY_SPEAKER = 14


_NOT_COMPLEMENTISER = {
    lex.normalize(w) for w in ("كما", "وكما", "حيث", "بعد", "قبل", "منذ", "رغم", "برغم", "غير", "دون")
}


@dataclass
class _Speaker:
    text: str = ""
    span: tuple[int, int] | None = None
    via: str | None = None
    ok: bool = True
    stopped_early: bool = False  # NP closed by ذلك/عن…: a speaker named without content


def extract_ar(text: str, regions: SpanList, sents: SpanList, discourse: Discourse) -> list[Draft]:
    return by_sentence(text, regions, sents, discourse, _sentence)


def _sentence(text: str, s_start: int, s_end: int, regions: SpanList, discourse: Discourse) -> list[Draft]:
    found: list[tuple[int, Draft]] = []  # (clause start, draft)
    boundaries: list[int] = []
    cues = [m for m in lex.CUE.finditer(text, s_start, s_end)
            if m.group("conj") or lex.normalize(m.group("cue")) not in lex.NEEDS_CONJUNCTION]
    for k, m in enumerate(cues):
        if inside(m.start(), regions) or _not_a_verb(text, m.start(), s_start) or _embedded(text, m.start(), found):
            continue
        limit = cues[k + 1].start() if k + 1 < len(cues) else s_end
        made = _cue_claim(text, m, s_start, limit, regions, discourse, found)
        if made is not None:
            found.append(made)
            discourse.remember(made[1].speaker, made[1].speaker_span)
        elif _NEW_CLAUSE.search(text, s_start, m.start()) or (
            lex.is_participle(m.group("cue")) and preceded_by_comma(text, m.start(), s_start)
        ):
            boundaries.append(m.start())  # "…، فيما وعدت الرياض …", "…، مشيدا …": a new clause ends the content
    for m in lex.ATTRIBUTION.finditer(text, s_start, s_end):
        if inside(m.start(), regions) or lex.PRONOUN_TAIL.match(text, m.start()):
            continue
        made = attribution(text, m, s_start, s_end, found, discourse)
        if made is not None:
            found.append(made)
        elif (closed := clause_end_before(text, m.start(), s_start)) is not None:
            boundaries.append(closed)
    for m in lex.STATEMENT.finditer(text, s_start, s_end):
        made = None if inside(m.start(), regions) else statement(text, m, s_start, s_end, discourse)
        if made is not None:
            found.append(made)
            discourse.remember(made[1].speaker, made[1].speaker_span)
    for m in lex.PRONOUN_TAIL.finditer(text, s_start, s_end):
        if inside(m.start(), regions):
            continue
        boundaries.append(tail_boundary(text, m.start(), s_start))
        tail = pronoun_tail(text, m, s_start, s_end, found, discourse)
        if tail is not None:
            found.append(tail)
    if not found and (title := headline(text, s_start, s_end)) is not None:
        found.append(title)
        discourse.remember(title[1].speaker, title[1].speaker_span)
    starts = sorted({c for c, _ in found} | set(boundaries))
    for clause_start, draft in found:
        c_start, c_end = draft.content_spans[0]
        if c_end == -1:  # open-ended: runs to the next claim or attribution tail
            later = [b for b in starts if b > c_start and b != clause_start]
            c_end = min(later, default=s_end)
            cut = lex.TRAILING_CONNECTORS.search(text, max(c_start, c_end - _CONNECTOR_TAIL), c_end)
            draft.content_spans[0] = (c_start, cut.start() if cut and cut.start() > c_start else c_end)
    return [d for _, d in sorted(found, key=lambda x: x[0])]


_NEW_CLAUSE = re.compile(r"[،,]\s*(?:فيما|بينما|في حين|و)\s*$")
# A chunk that opens with these is an adverbial or a description ("، وهي موظفة …"), not a speaker.
_NOT_A_SPEAKER_LEAD = {*PREPOSITIONS, *PRONOUN_PREPOSITIONS, "وهي", "وهو", "وهم", "وهما", "هو", "هي"}
_ADVERBIAL_HEADS = {"في", "مع", "خلال", "عبر", "أمام", "لدى"}
_NOUN_BEFORE = {"من", "عن", "في", "على", "إلى", "الى", "عقب", "بعد", "قبل", "منذ", "حول", "لدى"}
_EMBED_WORDS = 3


def _not_a_verb(text: str, pos: int, s_start: int) -> bool:
    """'عقب يومين من كشف الإدارة عن …': after a preposition the word is a verbal noun, not a cue."""
    before = text[s_start:pos].split()
    return bool(before) and bare(before[-1]) in _NOUN_BEFORE


def _embedded(text: str, pos: int, found: list[tuple[int, Draft]]) -> bool:
    """'وتابع أن الوثيقة تطالب قادة العالم …': a cue a few words into another claim's content is part of it."""
    for _, draft in found:
        c_start = draft.content_spans[0][0]
        lead = text[c_start:pos]
        if pos >= c_start and len(lead.split()) <= _EMBED_WORDS and not COMMA.search(lead):
            return draft.content_spans[0][1] == -1
    return False


def _cue_claim(
    text: str, m: re.Match[str], s_start: int, limit: int, regions: SpanList, discourse: Discourse,
    found: list[tuple[int, Draft]],
) -> tuple[int, Draft] | None:
    """A claim from the cue `m`; its speaker and content lie before `limit` (the next cue or the sentence end)."""
    form = m.group("cue")
    lemma = lex.lemma(form)
    participle = lex.is_participle(form)
    comp = _next_complementiser(text, m.end(), limit, regions)
    region_end = comp.start() if comp else limit
    max_words = _MAX_RELAY_WORDS if lemma == "نقل" else _MAX_REGION_WORDS
    if len(WORD.findall(text, m.end(), region_end)) > max_words:
        comp, region_end = None, limit
    obj = None if lemma in lex.SPEAKER_ONLY else find_object(
        text, m.end(), region_end, lemma, participle, comp is not None, regions)
    if obj is not None:
        region_end, content_start = obj.speaker_end, obj.content_start
    elif lemma in lex.SPEAKER_ONLY or comp is None:
        spk = _parse_region(text, m.end(), region_end, lemma, discourse)
        return _without_complementiser(text, m, spk, s_start, regions, discourse)
    else:
        if lemma in lex.QUOTE_ONLY and not _quote_only_ok(text, m.end(), comp):
            return None
        content_start = comp.end()
    spk = _parse_region(text, m.end(), region_end, lemma, discourse)
    if not spk.ok and not participle:
        return None
    draft = Draft(cue=form, cue_span=(m.start("cue"), m.end("cue")), content_spans=[(content_start, -1)])
    draft.via = spk.via
    clause_start = m.start()
    if participle:
        if spk.text and obj is None:
            return None  # "مؤكدا X أن": not the shape of a participle of saying
        _participle_speaker(text, draft, s_start, m.start(), found, discourse)
    elif spk.text:
        draft.speaker, draft.speaker_span = spk.text, spk.span
    else:
        before = subject_before(text, m.start(), s_start)
        if before is not None:
            draft.speaker, draft.speaker_span = text[before[0]:before[1]], before
            kana = re.search(r"\S+\s+$", text[s_start:before[0]])
            clause_start = s_start + kana.start() if kana and kana.group().strip() in KANA else before[0]
        elif lex.normalize(form) in lex.IMPERSONAL or not opens_clause(text, s_start, m.start()):
            return None  # "رسالة تطالب بوقف …": a verb inside a noun phrase, not an omitted subject
        else:
            _from_discourse(draft, discourse)
    return (clause_start, draft) if draft.speaker else None


def _quote_only_ok(text: str, pos: int, comp: re.Match[str]) -> bool:
    """'وتابع: "…"', 'وتابع أن …' right after the verb; not 'تابع الاجتماع الذي …'."""
    if comp.group() == ":" or text[comp.end():].lstrip()[:1] in QUOTE_CHARS:
        return True
    return not text[pos:comp.start()].strip()


def _participle_speaker(
    text: str, draft: Draft, s_start: int, pos: int, found: list[tuple[int, Draft]], discourse: Discourse
) -> None:
    """'…، مؤكدا أن': the subject of the clause it hangs on: the last claim's, or the clause's own."""
    if found:
        last = found[-1][1]
        draft.speaker, draft.speaker_span, draft.pronoun = last.speaker, last.speaker_span, True
        return
    subject = clause_subject(text, s_start, pos)
    if subject is not None:
        draft.speaker, draft.speaker_span = text[subject[0]:subject[1]], subject
        return
    _from_discourse(draft, discourse)


def _from_discourse(draft: Draft, discourse: Discourse) -> None:
    draft.speaker, draft.pronoun = discourse.speaker, True


def _without_complementiser(
    text: str, m: re.Match[str], spk: _Speaker, s_start: int, regions: SpanList, discourse: Discourse,
) -> tuple[int, Draft] | None:
    """Quote-first ('"…"، قال X'); otherwise the cue may only name a speaker for later sentences."""
    if not spk.text or not spk.ok:
        return None
    lead = text[s_start:m.start()].rstrip(" \u00a0،,")
    quote = next(((a, b) for a, b in regions if s_start <= a and b == len(lead) + s_start - 1), None)
    if quote is not None and lead[-1:] in QUOTE_CHARS:
        draft = Draft(cue=m.group("cue"), cue_span=(m.start("cue"), m.end("cue")), content_spans=[quote],
                      speaker=spk.text, speaker_span=spk.span, via=spk.via)
        return s_start, draft
    if spk.stopped_early:
        discourse.remember(spk.text, spk.span)
    return None


def _next_complementiser(text: str, pos: int, s_end: int, regions: SpanList) -> re.Match[str] | None:
    for comp in lex.COMPLEMENTISER.finditer(text, pos, s_end):
        before = text[max(pos, comp.start() - 8):comp.start()].split()
        if inside(comp.start(), regions) or (before and lex.normalize(before[-1]) in _NOT_COMPLEMENTISER):
            continue  # "كما أن" (moreover), "بعد أن" (after): a conjunction, not reported speech
        return comp
    return None


def _parse_region(text: str, start: int, end: int, lemma: str, discourse: Discourse) -> _Speaker:
    """Split 'NP، apposition، parenthetical' between the cue and the complementiser."""
    out = _Speaker()
    cuts = [start] + [c.end() for c in COMMA.finditer(text, start, end)]
    parts = [(cuts[i], (cuts[i + 1] - 1) if i + 1 < len(cuts) else end) for i in range(len(cuts))]
    head, appositive = _Speaker(), None
    for i, (a, b) in enumerate(parts):
        words = [(w.start(), w.end()) for w in WORD.finditer(text, a, b)]
        if not words:
            continue
        first = text[words[0][0]:words[0][1]]
        if lex.ATTRIBUTION.match(first) or first.startswith(("وفق", "نقلا")):
            out.via = via_name(text, words[0][1], b) or out.via
            continue
        if bare(first) in _NOT_A_SPEAKER_LEAD or lex.normalize(first).lstrip("وف") in lex.CONNECTORS:
            continue  # "قد ذكرت في يوليو الماضي، أن", "، في إعلان النتائج،": an adverbial, no speaker
        np = _noun_phrase(text, words, lemma, discourse)
        if i == 0:
            head = np
        elif head.text and np.text and np.ok and np.span and np.span[1] >= words[-1][1] - 1 and 2 <= len(words) <= 6:
            appositive = np  # "المتحدث باسم الجهاز، أرشد الحاكم،"; not a one-word acronym ("، مسام،")
        if np.via:
            out.via = np.via
    chosen = appositive if appositive is not None else head
    out.text, out.span, out.ok, out.stopped_early = chosen.text, chosen.span, head.ok, head.stopped_early
    return out


def _noun_phrase(text: str, words: list[tuple[int, int]], lemma: str, discourse: Discourse) -> _Speaker:
    np = _Speaker()
    relay = next((i for i, (a, b) in enumerate(words) if lemma == "نقل" and text[a:b] == "عن"), None)
    if relay is not None:  # "نقلت الوكالة اليوم عن X قوله": X is the speaker, the outlet relays
        outlet = [(a, b) for a, b in words[:relay] if text[a:b].strip(TRAILING_PUNCT) not in lex.TIME_WORDS]
        np.via = text[outlet[0][0]:outlet[-1][1]] if outlet else None
        inner = [(x, y) for x, y in words[relay + 1:] if not text[x:y].startswith("قول")]
        return _finish(text, inner, np, discourse, _MAX_RELAY_SPEAKER)
    kept: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(words):
        w = text[a:b].strip(TRAILING_PUNCT)
        nxt = text[words[i + 1][0]:words[i + 1][1]] if i + 1 < len(words) else ""
        if strip_diacritics(w) == "نقلا" and nxt == "عن" and kept:
            # "أعلنت وكالة رويترز نقلا عن القيادة المركزية …": the agency relays, the command speaks.
            relayed = _noun_phrase(text, words[i + 2:], lemma, discourse) if i + 2 < len(words) else np
            relayed.via = text[kept[0][0]:kept[-1][1]].strip(TRAILING_PUNCT + QUOTE_CHARS)
            return relayed
        if _ends_speaker(w, nxt):
            np.stopped_early = w in lex.DEMONSTRATIVES
            if lex.ADDRESSEE.match(w):
                np.via = _outlet(text, a, words[-1][1])
            break
        kept.append((a, b))
    return _finish(text, kept, np, discourse)


def _ends_speaker(word: str, following: str) -> bool:
    """Time, venue ("في بيان"), addressee ("لموقع") and demonstratives close the speaker phrase."""
    if word in lex.TIME_WORDS or word in lex.DEMONSTRATIVES or lex.ADDRESSEE.match(word):
        return True
    if word in lex.ANONYMITY_VERBS and following.strip(TRAILING_PUNCT) in ("عدم", "الكشف", "ذكر"):
        return True
    return word == "في" and strip_diacritics(following).strip(TRAILING_PUNCT) in lex.VENUE_NOUNS


def _finish(
    text: str, kept: list[tuple[int, int]], np: _Speaker, discourse: Discourse, max_words: int = MAX_SPEAKER_WORDS
) -> _Speaker:
    if not kept:
        return np
    words = [text[a:b].strip(TRAILING_PUNCT) for a, b in kept]
    if len(words) > max_words:  # "وزير الخارجية سامح شكري في اتصال هاتفي مع نظيره": the name, not the call
        cut = next((i for i, w in enumerate(words) if 0 < i <= max_words and bare(w) in _ADVERBIAL_HEADS), None)
        if cut is not None:
            kept, words = kept[:cut], words[:cut]
    if len(words) > max_words or any(w in lex.BAD_IN_SPEAKER for w in words):
        np.ok = False
        return np
    span = (kept[0][0], kept[-1][1])
    while span[1] > span[0] and text[span[1] - 1] in TRAILING_PUNCT:
        span = (span[0], span[1] - 1)
    known = discourse.speaker
    if known and len(words) > len(known.split()) and text.startswith(known, span[0]):
        span = (span[0], span[0] + len(known))  # "ووصف ماتني التحالف …": the known speaker
    np.text, np.span = text[span[0]:span[1]], span
    return np


def _outlet(text: str, start: int, end: int) -> str | None:
    """'لموقع "أكسيوس"' → أكسيوس; 'لوكالة فرانس برس' → وكالة فرانس برس."""
    piece = text[start:end]
    quoted = re.search(r"[\"«“]([^\"»”]+)[\"»”]", piece)
    if quoted:
        return quoted.group(1).strip()
    words = piece.split()
    if not words:
        return None
    first = re.sub(r"^ل(?:ـ|ل)?", "", words[0])
    stop = next((i for i, w in enumerate(words[1:], 1) if w in lex.TIME_WORDS or w == "في"), len(words))
    return " ".join([first, *words[1:stop]]).strip(TRAILING_PUNCT) or None
