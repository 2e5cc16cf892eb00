"""English reported speech: 'X said (that) …', '"…," X said', 'according to X, …'."""

from __future__ import annotations

import re

from service.domain.claims.common import QUOTE_CHARS, Discourse, Draft, SpanList, inside

_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|warned|warns|announced|announces|claimed|claims|"
    "denied|denies|noted|notes|explained|explains|insisted|insists|argued|argues|wrote|writes|reported|"
    "reports|cautioned|cautions|acknowledged|admitted|admits|confirmed|confirms|stressed|stresses|"
    "emphasi[sz]ed|asserted|alleged|alleges|suggested|suggests|predicted|recalled|declared|replied|"
    "tweeted|maintained|conceded|revealed|disclosed|contended|countered|observed|pointed out"
)
_PARTICIPLES = (
    "saying|adding|telling|warning|noting|explaining|insisting|arguing|claiming|denying|stressing|"
    "stating|cautioning|acknowledging|suggesting"
)
CUE = re.compile(rf"\b(?:(?P<part>{_PARTICIPLES})|(?P<verb>{_VERBS}))\b")
ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
_AUX = re.compile(
    r"\b(?:is|are|was|were|had|has|have|would|will|could|can|may|might|should|must|did|does|do|"
    r"remains?|expects?|plans?|wants?|needs?)\b"
)
_PRONOUNS = {"he", "she", "they", "it", "we", "He", "She", "They", "It", "We"}
_ADVERBS = {"also", "has", "have", "had", "long", "previously", "later", "again", "repeatedly", "publicly",
            "once", "then", "earlier", "recently", "separately", "further", "reportedly"}
_DETERMINERS = {"the", "a", "an", "The", "A", "An", "this", "that", "These", "those"}
_LEAD_WORDS = {"and", "but", "while", "as", "when", "And", "But", "While", "so", "So"}
_ADVERBIAL_START = re.compile(
    r"^(?:on|in|at|aboard|during|via|from|late|earlier|later|last|this|yesterday|today|tonight|on\s+\w+"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_OBJECT = re.compile(
    r"\s*(?:(?P<outlet>(?:the\s+)?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*)*)|reporters|journalists|parliament|"
    r"lawmakers|legislators|the media|the press|the court|the committee|colleagues|supporters|me|us|him|her|them)\b"
)
_SPOKEN_TO = re.compile(
    r"\s*(?:Speaking|Talking|Writing)\s+(?:to|with|on|in)\s+([^,]+),|\s*In an interview with\s+([^,]+),"
)
_SOURCE_OF = re.compile(
    r"^(?:[Aa]n?|[Tt]he)\s+(?:statement|report|study|note|press release|post)\s+(?:from|by|of|on)\s+"
)
_SOURCE_WORD = re.compile(
    r"^(?:[A-Z]|(?:the|a|an)\s+[A-Z]|officials|sources|police|witnesses|analysts|people|residents|documents|"
    r"data|reports|(?:local |state |news )?media|a (?:statement|report|source|spokes\w+))"
)
# "according to the electricity ministry / the library's director": a lower-case source with a source head.
_SOURCE_NP = re.compile(
    r"^(?:the|a|an)\s+(?:[\w'.-]+\s+){0,5}(?:[\w'-]+[-\s])?(?:ministry|department|agency|office|authority|"
    r"authorities|government|council|commission|committee|court|directorate|bureau|institute|service|police|"
    r"army|military|company|bank|fund|organi[sz]ation|cent(?:er|re)|library|museum|university|hospital|"
    r"union|association|group|director|minister|governor|mayor|official|officials|spokes\w+|source|sources|"
    r"statement|report|survey|study|figures|data|observatory|monitor|regulator|operator|researchers?)$"
)
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
_WORDS = re.compile(r"\S+")
_COORDINATED = re.compile(r"(?:,\s*|\s)(?:and|but)\s+(?:also\s+)?$")
_FULL_NAME = re.compile(r"(?<![\w.])[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")


def extract_en(text: str, regions: SpanList, sents: SpanList, discourse: Discourse) -> list[Draft]:
    drafts: list[Draft] = []
    prev_direct: Draft | None = None
    for s_start, s_end in sents:
        found = _sentence(text, s_start, s_end, regions, discourse)
        if not found and prev_direct is not None and _whole_quote(text, s_start, s_end, regions):
            prev_direct.content_spans.append((s_start + 1, s_end - 1))  # the quotation continues
            continue
        prev_direct = next((d for d in reversed(found) if _is_quote(text, d, regions)), None)
        drafts.extend(found)
    return drafts


def _whole_quote(text: str, s_start: int, s_end: int, regions: SpanList) -> bool:
    return any(a == s_start + 1 and b >= s_end - 2 for a, b in regions)


def _is_quote(text: str, draft: Draft, regions: SpanList) -> bool:
    a, b = draft.content_spans[-1]
    return any(ra - 1 <= a and b <= rb + 1 for ra, rb in regions)


def _sentence(text: str, s_start: int, s_end: int, regions: SpanList, discourse: Discourse) -> list[Draft]:
    found: list[tuple[int, Draft]] = []
    for m in CUE.finditer(text, s_start, s_end):
        if inside(m.start(), regions):
            continue
        made = _cue_claim(text, m, s_start, s_end, regions, discourse, found)
        if made is not None:
            found.append(made)
            if not made[1].pronoun:
                discourse.remember(made[1].speaker, made[1].speaker_span)
    for m in ACCORDING.finditer(text, s_start, s_end):
        if not inside(m.start(), regions):
            made = _according(text, m, s_start, s_end, found)
            if made is not None:
                found.append(made)
                discourse.remember(made[1].speaker, made[1].speaker_span)
    spoken = _SPOKEN_TO.match(text, s_start, s_end)
    starts = sorted(c for c, _ in found)
    for _, draft in found:
        if spoken and draft.via is None:
            draft.via = (spoken.group(1) or spoken.group(2)).strip()
        c_start, c_end = draft.content_spans[0]
        if c_end == -1:
            later = [b for b in starts if b > c_start]
            draft.content_spans[0] = (c_start, _drop_connectors(text, c_start, min(later, default=s_end)))
    return [d for _, d in sorted(found, key=lambda x: x[0])]


def _drop_connectors(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    cut = re.search(r"[\s,]*(?:\b(?:and|but|before|while|then)\b[\s,]*)*$", piece)
    return start + (cut.start() if cut else len(piece))


def _cue_claim(
    text: str, m: re.Match[str], s_start: int, s_end: int, regions: SpanList,
    discourse: Discourse, found: list[tuple[int, Draft]],
) -> tuple[int, Draft] | None:
    cue_span = (m.start(), m.end())
    draft = Draft(cue=m.group(), cue_span=cue_span, content_spans=[])
    after = m.end()
    clause_start = m.start()
    if m.group("part"):
        if not found and not discourse.speaker:
            return None
        _speaker_from(draft, found[-1][1] if found else None, discourse)
    elif found and _COORDINATED.search(text, s_start, m.start()):
        _speaker_from(draft, found[-1][1], discourse)  # "…, and said …" / "but cautioned that …"
    else:
        subj = _subject_before(text, m.start(), s_start)
        if subj is None:
            inverted = _subject_after(text, m.end(), s_end, s_start, m.start())
            if inverted is None:
                return None
            draft.speaker, draft.speaker_span = text[inverted[0]:inverted[1]], inverted
            after = inverted[1]
        elif text[subj[0]:subj[1]] in _PRONOUNS:
            _speaker_from(draft, None, discourse)
            if not draft.speaker:
                draft.speaker = _last_name_before(text, s_start)
            clause_start = subj[0]
        else:
            lead = _SOURCE_OF.match(text[subj[0]:subj[1]])  # "The report by Human Rights Watch"
            if lead is not None:
                subj = (subj[0] + lead.end(), subj[1])
            draft.speaker, draft.speaker_span = text[subj[0]:subj[1]], subj
            clause_start = _appositive_head(text, s_start, subj[0])
    if m.group() in {"told", "tells", "telling"}:
        obj = _OBJECT.match(text, after, s_end)
        if obj is None:
            if not _after_quote(text, s_start, clause_start):
                return None
            after = s_end  # '"…," the director told a small ceremony.': the rest names the audience
            return _content_before(text, draft, clause_start, after, s_start, s_end, regions, found)
        if obj.group("outlet") and not obj.group("outlet").startswith(("Parliament", "Congress")):
            draft.via = obj.group("outlet")
        after = obj.end()
    content_start = _content_after(text, after, s_end)
    if content_start is not None:
        draft.content_spans = [(content_start, -1)]
        return clause_start, draft
    return _content_before(text, draft, clause_start, after, s_start, s_end, regions, found)


def _after_quote(text: str, s_start: int, clause_start: int) -> bool:
    return text[s_start:clause_start].rstrip().endswith((',"', ",”"))


def _appositive_head(text: str, s_start: int, name_start: int) -> int:
    """'the director, Maysoon Kareem, said': the clause starts at the head noun, not at the name."""
    lead = text[s_start:name_start].rstrip()
    if not lead.endswith(","):
        return name_start
    head = list(_WORDS.finditer(text, s_start, s_start + len(lead) - 1))
    picked: list[re.Match[str]] = []
    for w in reversed(head):
        if w.group().endswith((",", ";", ":")) or w.group()[-1:] in QUOTE_CHARS:
            break
        picked.insert(0, w)
    if picked and len(picked) <= 4 and picked[0].group() in _DETERMINERS:
        return picked[0].start()
    return name_start


def _speaker_from(draft: Draft, previous: Draft | None, discourse: Discourse) -> None:
    source = previous.speaker if previous is not None else discourse.speaker
    draft.speaker, draft.pronoun = source, True


def _subject_before(text: str, cue_start: int, s_start: int) -> tuple[int, int] | None:
    words = list(_WORDS.finditer(text, s_start, cue_start))
    while words and words[-1].group() in _ADVERBS:
        words.pop()
    if not words:
        return None
    last = words[-1].group()
    if last in _DETERMINERS or last[-1:] in QUOTE_CHARS or last[-1:] in ".:;":
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
    if not chunk or len(chunk) > 8 or any(_AUX.fullmatch(w.group()) for w in chunk):
        return None
    if len(chunk) == 1 and chunk[0].group() in _RELATIVE:
        return _antecedent(text, s_start, chunk[0].start())
    if chunk[0].group() in _RELATIVE:  # "…, which analysts said": the relative is the object
        chunk.pop(0)
    if len(chunk) > 1 and not any(w.group()[:1].isupper() or w.group() in _DETERMINERS for w in chunk[:2]) \
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
    words = list(_WORDS.finditer(text, s_start, comma))
    picked: list[re.Match[str]] = []
    for k in range(len(words) - 1, -1, -1):
        word = words[k].group()
        if word.endswith((",", ";", ":")) or word[-1:] in QUOTE_CHARS:
            break
        if word.lower() in _NP_STOP and not (word in _OF_PREPS and picked):
            break
        if picked and word[:1].islower() and picked[0].group()[:1].isupper() and word not in _DETERMINERS:
            break  # "The museum hired Maysoon Kareem, who": the name, not the clause before it
        picked.insert(0, words[k])
        before = words[k - 1].group() if k else ""
        if (word in _DETERMINERS and before not in _OF_PREPS) or len(picked) > 8:
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
    if head_words and head_words[0] in _DETERMINERS and re.fullmatch(r"(?:[A-Z][\w'.-]+\s?){2,4}", appos_text):
        pick = appos  # "The spokesman for X, Eric Mamer, said" → the name
    if len(pick) > 8:
        return None
    return pick[0].start(), pick[-1].end() - (1 if pick[-1].group().endswith(",") else 0)


def _last_name_before(text: str, pos: int) -> str:
    """'Economist Priya Sharma has … She explained' with no earlier speaker: the last full name."""
    names = _FULL_NAME.findall(text, 0, pos)
    return names[-1] if names else ""


def _subject_after(text: str, pos: int, s_end: int, s_start: int, cue_start: int) -> tuple[int, int] | None:
    """'"…," said Jodie Ginsberg, chief executive of …' — subject follows the verb."""
    before = text[s_start:cue_start].rstrip()
    if not before.endswith((",", ',"', ",”")):
        return None
    m = re.match(r"\s*((?:(?:the|a|an)\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)", text[pos:s_end])
    if m is None:
        return None
    return pos + m.start(1), pos + m.end(1)


def _content_after(text: str, pos: int, s_end: int) -> int | None:
    rest = text[pos:s_end]
    if rest.lstrip().startswith(",") and text[:pos].rstrip()[-1:] not in ":":
        return None  # "said, adding …" / '"…," she said, "…"': nothing reported after the verb
    marker = re.search(r"\bthat\b|:|[\"“]", rest)
    if marker is not None:
        between = rest[:marker.start()].strip(" ,")
        if not between or _ADVERBIAL_START.match(between):
            if marker.group() in '"“':
                return pos + marker.start()
            if marker.group() == "that" and _AUX.match(rest[marker.end():].lstrip()):
                return pos + marker.start()  # "said that was not the case": 'that' is the subject
            return pos + marker.end()
    lead = rest.lstrip(" ,")
    if not lead or lead[0] in ".;" or _ADVERBIAL_START.match(lead) or lead.startswith(("adding", "saying", "warning")):
        return None
    if re.match(r"(?:he|she|they|we|I)\s+[a-z]", lead):  # "say they see …": a new clause
        return pos + (len(rest) - len(lead))
    head_words = re.sub(r",[^,]*,", " ", lead).split()[:8]  # "64 people, most of them elderly, were"
    if any(_AUX.fullmatch(w.strip(",.")) for w in head_words[1:]):
        return pos + (len(rest) - len(lead))
    return None


def _content_before(
    text: str, draft: Draft, clause_start: int, after: int, s_start: int, s_end: int,
    regions: SpanList, found: list[tuple[int, Draft]],
) -> tuple[int, Draft] | None:
    """'<content>, X said (on Thursday).' and '"Q1," X said, "Q2."'."""
    lead_end = text.rfind(",", s_start, clause_start)
    if lead_end < 0 or len(text[s_start:lead_end].split()) < 3:
        return None
    tail = text[after:s_end]
    if re.search(r"[\w]", re.split(r",|\.", tail)[0]) and not _ADVERBIAL_START.match(tail.lstrip(" ,")):
        return None
    if found:  # "…, state media KCNA reported.": the earlier claim came through this outlet
        last = found[-1][1]
        last.via = last.via or draft.speaker
        if last.content_spans[0][1] == -1:
            last.content_spans[0] = (last.content_spans[0][0], lead_end)
        return None
    draft.content_spans = [(s_start, lead_end)]
    second = re.match(r"\s*,\s*[\"“]", tail)
    if second is not None:
        q_start = after + second.end()
        q = next(((a, b) for a, b in regions if a == q_start), None)
        if q is not None:
            draft.content_spans.append(q)
    return s_start, draft


def _according(
    text: str, m: re.Match[str], s_start: int, s_end: int, found: list[tuple[int, Draft]]
) -> tuple[int, Draft] | None:
    comma = text.find(",", m.end(), s_end)
    src_end = comma if comma >= 0 else s_end
    source = text[m.end():src_end].rstrip(" .")
    if not (_SOURCE_WORD.match(source) or _SOURCE_NP.match(source)) or len(source.split()) > 10:
        return None
    lead = _SOURCE_OF.match(source)
    s_pos = m.end() + (lead.end() if lead else 0)
    source = source[lead.end():] if lead else source
    cue_span = (m.start(), m.end() - 1)
    clause_initial = not text[s_start:m.start()].strip()
    if clause_initial and comma >= 0:
        draft = Draft(cue=m.group().strip(), cue_span=cue_span, content_spans=[(comma + 1, -1)],
                      speaker=source, speaker_span=(s_pos, s_pos + len(source)))
        return m.start(), draft
    if text[s_start:m.start()].rstrip().endswith(","):
        earlier = [d for c, d in found if c < m.start()]  # a claim after this phrase is not relayed by it
        if earlier:
            earlier[-1].via = earlier[-1].via or source
            return m.start() + 1, Draft(cue="", cue_span=cue_span, content_spans=[(m.start(), m.start())])
        draft = Draft(cue=m.group().strip(), cue_span=cue_span, content_spans=[(s_start, m.start())],
                      speaker=source, speaker_span=(s_pos, s_pos + len(source)))
        return s_start, draft
    return None
