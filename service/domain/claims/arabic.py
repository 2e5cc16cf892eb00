"""Arabic reported speech: cue verb + speaker noun phrase + complementiser (إن/أن/:) + content."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.domain.claims import arabic_lexicon as lex
from service.domain.claims.common import QUOTE_CHARS, Discourse, Draft, SpanList, inside

_WORD = re.compile(r"\S+")
_COMMA = re.compile(r"[،,]")
_TRAILING_PUNCT = " \u00a0،,.:؛"
_MAX_REGION_WORDS = 16
_MAX_SPEAKER_WORDS = 9


_PREPOSITIONS = {
    lex.normalize(w) for w in ("في", "وفي", "من", "على", "إلى", "عن", "مع", "ب", "وب", "خلال", "بعد", "قبل")
}
_NOT_IN_SUBJECT = {lex.normalize(w) for w in (*lex.BAD_IN_SPEAKER, *lex.TIME_WORDS, "وهو", "وهي", "هو", "هي")}


@dataclass
class _Speaker:
    text: str = ""
    span: tuple[int, int] | None = None
    via: str | None = None
    ok: bool = True
    stopped_early: bool = False  # NP closed by ذلك/عن…: a speaker named without content


def extract_ar(text: str, regions: SpanList, sents: SpanList, discourse: Discourse) -> list[Draft]:
    drafts: list[Draft] = []
    for s_start, s_end in sents:
        drafts.extend(_sentence(text, s_start, s_end, regions, discourse))
    return drafts


def _sentence(text: str, s_start: int, s_end: int, regions: SpanList, discourse: Discourse) -> list[Draft]:
    found: list[tuple[int, Draft]] = []  # (clause start, draft)
    boundaries: list[int] = []
    for m in lex.CUE.finditer(text, s_start, s_end):
        if inside(m.start(), regions):
            continue
        made = _cue_claim(text, m, s_start, s_end, regions, discourse)
        if made is not None:
            found.append(made)
            discourse.remember(made[1].speaker, made[1].speaker_span)
    for m in lex.ATTRIBUTION.finditer(text, s_start, s_end):
        if inside(m.start(), regions) or lex.PRONOUN_TAIL.match(text, m.start()):
            continue
        made = _attribution(text, m, s_start, s_end, found, discourse)
        if made is not None:
            found.append(made)
        elif _preceded_by_comma(text, m.start(), s_start):
            boundaries.append(m.start())
    for m in lex.PRONOUN_TAIL.finditer(text, s_start, s_end):
        if inside(m.start(), regions):
            continue
        boundaries.append(_tail_boundary(text, m.start(), s_start))
        tail = _pronoun_tail(text, m, s_start, s_end, found, discourse)
        if tail is not None:
            found.append(tail)
    starts = sorted({c for c, _ in found} | set(boundaries))
    for clause_start, draft in found:
        c_start, c_end = draft.content_spans[0]
        if c_end == -1:  # open-ended: runs to the next claim or attribution tail
            later = [b for b in starts if b > c_start and b != clause_start]
            c_end = min(later, default=s_end)
            cut = lex.TRAILING_CONNECTORS.search(text, c_start, c_end)
            draft.content_spans[0] = (c_start, cut.start() if cut and cut.start() > c_start else c_end)
    return [d for _, d in sorted(found, key=lambda x: x[0])]


def _tail_boundary(text: str, tail_start: int, s_start: int) -> int:
    """'…نجاحه، فالتحالف، كما يقول، يعتبر': the topic before a parenthetical tail belongs to its clause."""
    lead = text[s_start:tail_start].rstrip(" \u00a0")
    if not lead.endswith(("،", ",")):
        return tail_start
    topic_start = _segment_start(text, s_start, s_start + len(lead) - 1)
    if topic_start > s_start and len(_WORD.findall(text, topic_start, s_start + len(lead) - 1)) <= 2:
        return topic_start
    return tail_start


def _preceded_by_comma(text: str, pos: int, s_start: int) -> bool:
    return text[s_start:pos].rstrip(" \u00a0").endswith(("،", ","))


def _cue_claim(
    text: str, m: re.Match[str], s_start: int, s_end: int, regions: SpanList, discourse: Discourse
) -> tuple[int, Draft] | None:
    form = m.group("cue")
    lemma = lex.lemma(form)
    participle = lex.is_participle(form)
    next_cue = lex.CUE.search(text, m.end(), s_end)
    limit = next_cue.start() if next_cue else s_end
    comp = _next_complementiser(text, m.end(), limit, regions)
    region_end = comp.start() if comp else limit
    if len(_WORD.findall(text, m.end(), region_end)) > _MAX_REGION_WORDS:
        comp, region_end = None, limit
    spk = _parse_region(text, m.end(), region_end, lemma, discourse)
    if lemma in lex.SPEAKER_ONLY or comp is None:
        return _without_complementiser(text, m, lemma, spk, s_start, s_end, regions, discourse)
    if lemma in lex.QUOTE_ONLY and comp.group() != ":" and text[comp.end():].lstrip()[:1] not in QUOTE_CHARS:
        return None
    if not spk.ok:
        return None
    draft = Draft(cue=form, cue_span=(m.start("cue"), m.end("cue")), content_spans=[(comp.end(), -1)])
    draft.via = spk.via
    clause_start = m.start()
    if spk.text and not participle:
        draft.speaker, draft.speaker_span = spk.text, spk.span
    elif participle:
        if spk.text:
            return None
        _from_discourse(draft, discourse)
    else:
        before = _subject_before(text, m.start(), s_start)
        if before is not None:
            draft.speaker, draft.speaker_span = text[before[0]:before[1]], before
            clause_start = before[0]
        elif lex.normalize(form) in lex.IMPERSONAL:
            return None
        else:
            _from_discourse(draft, discourse)
    return (clause_start, draft) if draft.speaker else None


def _from_discourse(draft: Draft, discourse: Discourse) -> None:
    draft.speaker, draft.pronoun = discourse.speaker, True


def _without_complementiser(
    text: str, m: re.Match[str], lemma: str, spk: _Speaker, s_start: int, s_end: int,
    regions: SpanList, discourse: Discourse,
) -> tuple[int, Draft] | None:
    """Quote-first ('"…"، قال X') or 'كشف وصف، NAME، <noun phrase>'; else maybe name a speaker."""
    if not spk.text or not spk.ok:
        return None
    cue_span = (m.start("cue"), m.end("cue"))
    lead = text[s_start:m.start()].rstrip(" \u00a0،,")
    quote = next(((a, b) for a, b in regions if s_start <= a and b == len(lead) + s_start - 1), None)
    if quote is not None and lead[-1:] in QUOTE_CHARS:
        draft = Draft(cue=m.group("cue"), cue_span=cue_span, content_spans=[quote],
                      speaker=spk.text, speaker_span=spk.span, via=spk.via)
        return s_start, draft
    # Test the character itself: a text cut right after the speaker has none, and "" is in every string.
    comma = len(text) - len(text[spk.span[1]:].lstrip()) if spk.span is not None else len(text)
    if lemma in lex.NOMINAL_OK and text[comma:comma + 1] in ("،", ","):
        rest = _skip_time_segment(text, comma + 1, s_end)
        if rest < s_end and not inside(rest, regions):
            draft = Draft(cue=m.group("cue"), cue_span=cue_span, content_spans=[(rest, -1)],
                          speaker=spk.text, speaker_span=spk.span, via=spk.via)
            return m.start(), draft
    if spk.stopped_early:
        discourse.remember(spk.text, spk.span)
    return None


def _skip_time_segment(text: str, pos: int, s_end: int) -> int:
    """'أعلنت القيادة، الأحد، مقتل …': a day or time between commas is not part of the content."""
    comma = _COMMA.search(text, pos, s_end)
    if comma is None:
        return pos
    words = [w.strip(_TRAILING_PUNCT) for w in text[pos:comma.start()].split()]
    if words and len(words) <= 2 and all(w in lex.TIME_WORDS for w in words):
        return comma.end()
    return pos


def _next_complementiser(text: str, pos: int, s_end: int, regions: SpanList) -> re.Match[str] | None:
    for comp in lex.COMPLEMENTISER.finditer(text, pos, s_end):
        if not inside(comp.start(), regions):
            return comp
    return None


def _parse_region(text: str, start: int, end: int, lemma: str, discourse: Discourse) -> _Speaker:
    """Split 'NP، apposition، parenthetical' between the cue and the complementiser."""
    out = _Speaker()
    cuts = [start] + [c.end() for c in _COMMA.finditer(text, start, end)]
    parts = [(cuts[i], (cuts[i + 1] - 1) if i + 1 < len(cuts) else end) for i in range(len(cuts))]
    head, appositive = _Speaker(), None
    for i, (a, b) in enumerate(parts):
        words = [(w.start(), w.end()) for w in _WORD.finditer(text, a, b)]
        if not words:
            continue
        first = text[words[0][0]:words[0][1]]
        if lex.ATTRIBUTION.match(first) or first.startswith(("وفق", "نقلا")):
            out.via = _via_name(text, words[0][1], b) or out.via
            continue
        np = _noun_phrase(text, words, lemma, discourse)
        if i == 0:
            head = np
        elif np.text and np.ok and np.span and np.span[1] >= words[-1][1] - 1 and len(words) <= 4:
            appositive = np
        if np.via:
            out.via = np.via
    chosen = appositive if appositive is not None else head
    out.text, out.span, out.ok, out.stopped_early = chosen.text, chosen.span, head.ok, head.stopped_early
    return out


def _noun_phrase(text: str, words: list[tuple[int, int]], lemma: str, discourse: Discourse) -> _Speaker:
    np = _Speaker()
    kept: list[tuple[int, int]] = []
    for i, (a, b) in enumerate(words):
        w = text[a:b].strip(_TRAILING_PUNCT)
        nxt = text[words[i + 1][0]:words[i + 1][1]] if i + 1 < len(words) else ""
        if lemma == "نقل" and w == "عن":  # "نقلت الوكالة عن X قوله": X is the speaker
            np.via = text[kept[0][0]:kept[-1][1]] if kept else None
            inner = [(x, y) for x, y in words[i + 1:] if not text[x:y].startswith("قول")]
            return _finish(text, inner, np, discourse)
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
    if word in lex.ANONYMITY_VERBS and following.strip(_TRAILING_PUNCT) in ("عدم", "الكشف", "ذكر"):
        return True
    return word == "في" and following.strip(_TRAILING_PUNCT) in lex.VENUE_NOUNS


def _finish(text: str, kept: list[tuple[int, int]], np: _Speaker, discourse: Discourse) -> _Speaker:
    if not kept:
        return np
    words = [text[a:b].strip(_TRAILING_PUNCT) for a, b in kept]
    if len(words) > _MAX_SPEAKER_WORDS or any(w in lex.BAD_IN_SPEAKER for w in words):
        np.ok = False
        return np
    span = (kept[0][0], kept[-1][1])
    while span[1] > span[0] and text[span[1] - 1] in _TRAILING_PUNCT:
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
    return " ".join([first, *words[1:stop]]).strip(_TRAILING_PUNCT) or None


def _via_name(text: str, start: int, end: int) -> str | None:
    """'وفق تقرير نشره موقع وزارة الدفاع "البنتاغون" الخميس' → موقع وزارة الدفاع."""
    piece = re.sub(r"^\s*(?:ل(?:ـ)?)", "", text[start:end]).strip(_TRAILING_PUNCT)
    piece = lex.REPORT_OF.sub("", piece)
    piece = re.split(r"\s*[\"«“]|\s+(?:" + "|".join(lex.TIME_WORDS) + r")(?!\w)", piece)[0]
    return piece.strip(_TRAILING_PUNCT) or None


def _subject_before(text: str, cue_start: int, s_start: int) -> tuple[int, int] | None:
    """Subject-first order ('التقرير أشار إلى أن'): a short noun phrase opening the clause."""
    lead_start = _segment_start(text, s_start, cue_start)
    words = _content_words(text, lead_start, cue_start)
    if not words and lead_start > s_start and text[lead_start - 1] in "،,":
        return _appositive_before(text, s_start, lead_start - 1)
    if not words or len(words) > 3:
        return None
    if any(w.group() in lex.BAD_IN_SPEAKER or w.group().startswith(("لكن", "إن", "أن")) for w in words):
        return None  # "لكنه أوضح": a pronoun, resolved from discourse instead
    return words[0].start(), words[-1].end()


def _segment_start(text: str, s_start: int, end: int) -> int:
    start = max(text.rfind(p, s_start, end) for p in "،,:\n")
    return s_start if start < s_start else start + 1


def _content_words(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Words of text[start:end] after leading connectors ('لكن', 'و', 'فيما')."""
    words = list(_WORD.finditer(text, start, end))
    while words and lex.normalize(words[0].group()).lstrip("وف") in {"", *lex.CONNECTORS}:
        words.pop(0)
    return words


def _appositive_before(text: str, s_start: int, comma: int) -> tuple[int, int] | None:
    """'لكن الناطق باسم الوزارة، لورنس المجالي، أكد أن': an explicit subject, named in apposition."""
    name_start = _segment_start(text, s_start, comma)
    if name_start <= s_start or text[name_start - 1] not in "،,":
        return None
    name = _content_words(text, name_start, comma)
    head = _content_words(text, _segment_start(text, s_start, name_start - 1), name_start - 1)
    if not name or not head or len(name) > 4 or len(head) > 6:
        return None
    words = [lex.normalize(w.group().strip(_TRAILING_PUNCT)) for w in name + head]
    if any(w in _NOT_IN_SUBJECT for w in words) or lex.normalize(head[0].group()) in _PREPOSITIONS:
        return None  # "وفي تصريح صحفي، الأحد، أكد": an adverbial, not a subject
    return name[0].start(), name[-1].end()


def _attribution(
    text: str, m: re.Match[str], s_start: int, s_end: int, found: list[tuple[int, Draft]], discourse: Discourse
) -> tuple[int, Draft] | None:
    """'وبحسب X، فإن …' opens a claim; '…، بحسب X.' at the end sets `via` or closes one."""
    comma = _COMMA.search(text, m.end(), s_end)
    clause_initial = not text[s_start:m.start()].strip(" \u00a0،,")
    source_end = comma.start() if comma else s_end
    source = text[m.end():source_end].strip(_TRAILING_PUNCT + '"«»“”')
    source, via = _split_spoke_to(source)
    source = lex.ANONYMITY.sub("", source)
    source = lex.REPORT_OF.sub("", source).strip()
    if not source or len(source.split()) > 8:
        return None
    cue_span = (m.start("cue"), m.end("cue"))
    if clause_initial and comma is not None:
        rest = text[comma.end():s_end]
        lead = lex.CONTENT_LEAD.match(rest)
        if not (lead or lex.SOURCE_HEADS.match(source)):
            return None
        c_start = comma.end() + (lead.end() if lead else 0)
        s_pos = text.find(source, m.end())
        draft = Draft(cue=m.group("cue"), cue_span=cue_span, content_spans=[(c_start, -1)],
                      speaker=source, speaker_span=(s_pos, s_pos + len(source)), via=via)
        discourse.remember(source, draft.speaker_span)
        return m.start(), draft
    if comma is None and _preceded_by_comma(text, m.start(), s_start) and lex.SOURCE_HEADS.match(source):
        earlier = [(c, d) for c, d in found if c < m.start()]
        if earlier:
            clause_start, last = max(earlier, key=lambda x: x[0])
            if not lex.PRONOUN_TAIL.search(text, clause_start, m.start()):  # 'كما يقول' takes its own tail
                last.via = last.via or source
            return None
        s_pos = text.find(source, m.end())
        draft = Draft(cue=m.group("cue"), cue_span=cue_span,
                      content_spans=[(s_start, m.start())], speaker=source,
                      speaker_span=(s_pos, s_pos + len(source)))
        return s_start, draft
    return None


def _split_spoke_to(source: str) -> tuple[str, str | None]:
    """'مصدر أمني تحدث لوكالة فرانس برس' → ('مصدر أمني', 'وكالة فرانس برس')."""
    m = re.search(r"\s+(?:تحدث|تحدثت|تحدثوا|قال|قالت)\s+ل(?:ـ)?", source)
    if not m:
        return source, None
    return source[:m.start()], source[m.end():].strip(' "«»“”') or None


def _pronoun_tail(
    text: str, m: re.Match[str], s_start: int, s_end: int, found: list[tuple[int, Draft]], discourse: Discourse
) -> tuple[int, Draft] | None:
    """'فالتحالف، كما يقول، …' → a claim by the current speaker; a closing tail only delimits."""
    after = text[m.end():s_end]
    if not discourse.speaker:
        return None
    cue_span = (m.start(), m.end())
    if after.lstrip(" \u00a0")[:1] in "،," and m.group().removeprefix("و").startswith("كما"):
        c_start = m.end() + after.index(after.lstrip(" \u00a0")[0]) + 1
        tail_via = re.search(r"[،,]\s*(?:نقلا|نقلاً|وفق|بحسب)\s+عن?\s*", text[c_start:s_end])
        via = _via_name(text, c_start + tail_via.end(), s_end) if tail_via else None
        draft = Draft(cue=m.group().removeprefix("و"), cue_span=cue_span, content_spans=[(c_start, -1)],
                      speaker=discourse.speaker, pronoun=True, via=via)
        return m.start(), draft
    if found or text[m.end():s_end].strip(_TRAILING_PUNCT):
        return None
    draft = Draft(cue=m.group().removeprefix("و"), cue_span=cue_span, content_spans=[(s_start, m.start())],
                  speaker=discourse.speaker, pronoun=True)
    return s_start, draft
