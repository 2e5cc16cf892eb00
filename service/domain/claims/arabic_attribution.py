"""Arabic attribution phrases: 'بحسب X'، 'وفق ما أعلنه X'، 'حسبما أفاد X'، 'كما يقول'، 'جاء في بيان X'."""

from __future__ import annotations

import re

from service.domain.claims import arabic_lexicon as lex
from service.domain.claims.arabic_subject import (
    COMMA,
    TRAILING_PUNCT,
    WORD,
    after_dateline,
    clause_subject,
    segment_start,
)
from service.domain.claims.common import Discourse, Draft, strip_diacritics


def attribution(
    text: str, m: re.Match[str], s_start: int, s_end: int, found: list[tuple[int, Draft]], discourse: Discourse
) -> tuple[int, Draft] | None:
    """'وبحسب X، فإن …' / 'وفق ما أعلنه X، …' open a claim; '…، بحسب X.' / '…، حسبما أفاد X.' at the
    end set `via` of the claim before, or make the clause before a claim of X."""
    said = _SAID_FORM.match(m.group("cue")) is not None  # a verb of saying: X is a source whatever its head
    comma = COMMA.search(text, m.end(), s_end)
    clause_initial = not text[s_start:m.start()].strip(" \u00a0،,")
    source_end = comma.start() if comma else s_end
    source = text[m.end():source_end].strip(TRAILING_PUNCT + '"«»“”')
    source, via = _split_spoke_to(source)
    source = lex.ANONYMITY.sub("", source)
    source = lex.REPORT_OF.sub("", source).strip()
    if said:
        source = _until_adjunct(source)
    if not source or len(source.split()) > 8:
        return None
    cue_span = (m.start("cue"), m.end("cue"))
    s_pos = text.find(source, m.end())
    speaker_span = (s_pos, s_pos + len(source))
    if clause_initial and comma is not None:
        rest = text[comma.end():s_end]
        lead = lex.CONTENT_LEAD.match(rest)
        if not (lead or said or lex.SOURCE_HEADS.match(source)):
            return None
        c_start = comma.end() + (lead.end() if lead else 0)
        draft = Draft(cue=m.group("cue"), cue_span=cue_span, content_spans=[(c_start, -1)],
                      speaker=source, speaker_span=speaker_span, via=via)
        discourse.remember(source, draft.speaker_span)
        return m.start(), draft
    closing = (comma is None or said) and clause_end_before(text, m.start(), s_start) is not None
    if closing and (said or lex.SOURCE_HEADS.match(source)):
        earlier = [(c, d) for c, d in found if c < m.start()]
        if earlier:
            clause_start, last = max(earlier, key=lambda x: x[0])
            if not lex.PRONOUN_TAIL.search(text, clause_start, m.start()):  # 'كما يقول' takes its own tail
                last.via = last.via or source
            return None
        c_start = after_dateline(text, s_start, m.start())
        draft = Draft(cue=m.group("cue"), cue_span=cue_span, content_spans=[(c_start, m.start())],
                      speaker=source, speaker_span=speaker_span)
        return c_start, draft
    return None


_SAID_FORM = re.compile(r"\S+\s+ما\s|حسبما|بحسبما|وفقما")
_THAT_IS = re.compile(r"[،,]\s*(?:و?ذلك)?\s*$")


def clause_end_before(text: str, pos: int, s_start: int) -> int | None:
    """'…، بحسب X' / '…، وذلك حسبما صرح X': where the clause closed by the phrase at `pos` ends."""
    closing = _THAT_IS.search(text, s_start, pos) if pos > s_start else None
    return closing.start() if closing else None


def _until_adjunct(source: str) -> str:
    """'مجلس السيادة السوداني في بيان' → مجلس السيادة السوداني; a time or venue ends the source."""
    words = source.split()
    for i, word in enumerate(words):
        following = strip_diacritics(words[i + 1]) if i + 1 < len(words) else ""
        if i and (word in lex.TIME_WORDS or (word == "في" and following in lex.VENUE_NOUNS)):
            return " ".join(words[:i])
    return source


def statement(
    text: str, m: re.Match[str], s_start: int, s_end: int, discourse: Discourse
) -> tuple[int, Draft] | None:
    """'وجاء في بيان صادر عن الحرس “…”' (the issuer speaks), 'أصدر الديوان بيانا …، جاء فيه: …'."""
    pos = m.end()
    if m.group("cue").endswith("في"):
        doc = WORD.match(text, pos + 1)
        if doc is None or strip_diacritics(doc.group()).removeprefix("ال") not in _DOCUMENTS:
            return None  # "وجاء في المرتبة الثانية"
        pos = doc.end()
    opener = _STATEMENT_OPENER.search(text, pos, s_end)
    if opener is None:
        return None
    issuer = _ISSUED_BY.sub("", text[pos:opener.start()].strip(TRAILING_PUNCT)).strip(TRAILING_PUNCT)
    draft = Draft(cue=m.group("cue"), cue_span=(m.start("cue"), m.end("cue")),
                  content_spans=[(opener.end() if opener.group() == ":" else opener.start(), -1)])
    if issuer and len(issuer.split()) <= _MAX_ISSUER_WORDS and not m.group("cue").endswith(("فيه", "فيها")):
        at = text.find(issuer, pos)
        draft.speaker, draft.speaker_span = issuer, (at, at + len(issuer))
    else:
        subject = clause_subject(text, s_start, m.start()) if m.group("cue").endswith(("فيه", "فيها")) else None
        if subject is not None:
            draft.speaker, draft.speaker_span = text[subject[0]:subject[1]], subject
        else:
            draft.speaker, draft.pronoun = discourse.speaker, True
    return (m.start(), draft) if draft.speaker else None


_DOCUMENTS = {"بيان", "نص", "تقرير", "رسالة", "تغريدة", "منشور", "كلمة", "خطاب", "مقال", "افتتاحية", "تدوينة"}
_STATEMENT_OPENER = re.compile(r":|[«“\"]")
_ISSUED_BY = re.compile(r"^(?:(?:ال)?صادرة?\s+عن|ل(?:ـ)?|نشره|نشرته|أصدره|أصدرته)\s*")
_MAX_ISSUER_WORDS = 6


def _split_spoke_to(source: str) -> tuple[str, str | None]:
    """'مصدر أمني تحدث لوكالة فرانس برس' → ('مصدر أمني', 'وكالة فرانس برس')."""
    m = re.search(r"\s+(?:تحدث|تحدثت|تحدثوا|قال|قالت)\s+ل(?:ـ)?", source)
    if not m:
        return source, None
    return source[:m.start()], source[m.end():].strip(' "«»“”') or None


def pronoun_tail(
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
        via = via_name(text, c_start + tail_via.end(), s_end) if tail_via else None
        draft = Draft(cue=m.group().removeprefix("و"), cue_span=cue_span, content_spans=[(c_start, -1)],
                      speaker=discourse.speaker, pronoun=True, via=via)
        return m.start(), draft
    if found or text[m.end():s_end].strip(TRAILING_PUNCT):
        return None
    draft = Draft(cue=m.group().removeprefix("و"), cue_span=cue_span, content_spans=[(s_start, m.start())],
                  speaker=discourse.speaker, pronoun=True)
    return s_start, draft


def tail_boundary(text: str, tail_start: int, s_start: int) -> int:
    """'…نجاحه، فالتحالف، كما يقول، يعتبر': the topic before a parenthetical tail belongs to its clause."""
    lead = text[s_start:tail_start].rstrip(" \u00a0")
    if not lead.endswith(("،", ",")):
        return tail_start
    topic_start = segment_start(text, s_start, s_start + len(lead) - 1)
    if topic_start > s_start and len(WORD.findall(text, topic_start, s_start + len(lead) - 1)) <= 2:
        return topic_start
    return tail_start


def via_name(text: str, start: int, end: int) -> str | None:
    """'وفق تقرير نشره موقع وزارة الدفاع "البنتاغون" الخميس' → موقع وزارة الدفاع."""
    piece = re.sub(r"^\s*(?:ل(?:ـ)?)", "", text[start:end]).strip(TRAILING_PUNCT)
    piece = lex.REPORT_OF.sub("", piece)
    piece = re.split(r"\s*[\"«“]|\s+(?:" + "|".join(lex.TIME_WORDS) + r")(?!\w)", piece)[0]
    return piece.strip(TRAILING_PUNCT) or None


def headline(text: str, s_start: int, s_end: int) -> tuple[int, Draft] | None:
    """'مسؤول أممي: كان يمكن تفادي معظم الوفيات': a headline naming its source before a colon."""
    colon = text.find(":", s_start, min(s_end, s_start + _HEADLINE_SPEAKER_CHARS))
    if colon < 0:
        return None
    words = text[s_start:colon].split()
    content_words = text[colon + 1:s_end].split()
    if not 1 <= len(words) <= _HEADLINE_SPEAKER_WORDS or len(content_words) < _HEADLINE_CONTENT_WORDS:
        return None
    head = strip_diacritics(words[0])
    if head.removeprefix("ال") not in _SOURCE_ROLES or head in _CREDIT_LINES:
        return None  # "الرياض: …" is a dateline, "المصدر: …" a credit line
    speaker_end = s_start + len(text[s_start:colon].rstrip())
    draft = Draft(cue=":", cue_span=(colon, colon + 1), content_spans=[(colon + 1, s_end)],
                  speaker=text[s_start:speaker_end], speaker_span=(s_start, speaker_end))
    return s_start, draft


# People heading a headline quote ("مسؤول أممي: …"); not المصدر (a credit line), a place (a dateline)
# or a ministry summing up a toll ("الصحة السورية: 20 قتيلا …", a headline of facts).
_SOURCE_ROLES = {
    "مسؤول", "مسؤولة", "مسؤولون", "وزير", "وزيرة", "رئيس", "رئيسة", "متحدث", "متحدثة", "ناطق", "مصدر", "مصادر",
    "خبير", "خبراء", "سفير", "مدير", "مديرة", "قائد", "نائب", "أمين", "مبعوث", "مفوض",
}
_CREDIT_LINES = {"المصدر", "المصادر"}
_HEADLINE_SPEAKER_CHARS = 60
_HEADLINE_SPEAKER_WORDS = 5
_HEADLINE_CONTENT_WORDS = 3
