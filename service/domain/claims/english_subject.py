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
# Role nouns that make a lower-case-led chunk a speaker ("civil aviation spokesman Yousef al-Mutairi",
# "state media", "maritime security company Ambrey").
_PERSON_ROLES = (
    r"spokes(?:man|woman|person)|minister|official|officials|director|chief|head|analyst|economist|"
    r"researcher|expert|professor|governor|mayor|commander|ambassador|envoy|lawyer|president|chairman|"
    r"secretary|adviser|advisor|critics|residents|witnesses|scientists|experts|analysts|sources|teacher|leader|"
    r"people|person|diplomats?|members?|lawmakers"
)
_BODY_ROLES = (
    r"police|media|company|firm|group|agency|monitor|channel|network|broadcaster|newspaper|outlet|ministry|"
    r"department|watchdog|observatory|army|military|authorities|authority|office|court|council|statement"
)
_ROLE_NOUNS = re.compile(rf"^(?:{_PERSON_ROLES}|{_BODY_ROLES})$")
_PERSON_ROLE = re.compile(_PERSON_ROLES)
_BODY_WORD = re.compile(rf"^(?:{_BODY_ROLES}|Ministry|Department|Agency|Organi[sz]ation|Command|Army|Forces|Council|"
                        r"Company|Bank|Fleet|Navy|Guards|Office|Court|Committee|Union|Media|News|Authority|"
                        r"Government|Corps|Service|Center|Centre|Observatory|Programme|Program)$")
_DATELINE = {"--", "—", "–", "-"}
_QUANTIFIERS = {"two", "three", "four", "five", "several", "some", "many", "a", "an", "one", "other", "senior"}
_SUBORDINATORS = {"after", "before", "since", "because", "until", "unless", "once", "although", "though"}
_NOT_IN_SUBJECT = re.compile(rf"{AUX.pattern}|said|says|told")
_MAX_SUBJECT_WORDS = 10
# Irregular past forms: with -ed forms and auxiliaries they tell a clause from a noun phrase.
PAST = {
    "had", "went", "came", "took", "made", "left", "fell", "rose", "hit", "kept", "held", "met", "saw", "gave",
    "got", "put", "ran", "began", "became", "found", "sent", "spent", "lost", "won", "paid", "built", "brought",
    "caught", "shot", "struck", "sold", "stood", "thought", "drove", "flew", "grew", "knew", "threw", "broke",
    "spoke", "chose", "fled", "led", "cut", "set", "let",
}
_OPENING_ADVERBIAL = {
    "In", "On", "At", "Last", "Earlier", "Later", "Meanwhile", "After", "During", "Speaking", "Since", "Before",
    "Separately", "Also", "Still", "However", "Elsewhere", "Further", "Shortly", "Over", "Under", "With",
}
# After an inverted subject ('"…," said the US 5th Fleet, which …'): where the subject ends.
_AFTER_INVERTED = {
    "which", "who", "that", "carried", "citing", "published", "posted", "issued", "released", "quoted", "on", "in",
    "at", "after", "during", "adding", "saying", "late", "earlier", "today", "yesterday",
}
WORDS = re.compile(r"\S+")
_FULL_NAME = re.compile(r"(?<![\w.])[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")
# A word of a name may start with an Arabic article instead of a capital ("Samer al-Jubouri").
_NAME_ARTICLE = r"[ae]l-"
# A name in apposition: 2-4 such words, e.g. "the command's spokesman, Brigadier Samer al-Jubouri, said".
_APPOSITIVE_NAME = re.compile(rf"(?:(?:[A-Z]|{_NAME_ARTICLE}[A-Z]?)[\w'.-]+\s?){{2,4}}")


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
        if w.group().endswith((",", ":", ";")) or w.group()[-1:] in QUOTE_CHARS or w.group() in _DATELINE:
            break
        chunk.insert(0, w)
    while chunk and chunk[0].group() in _LEAD_WORDS:
        chunk.pop(0)
    while chunk and chunk[0].group() in _LEAD_RELATIVE:  # "…, where residents say"
        chunk.pop(0)
    after = next((i for i in range(len(chunk) - 1, -1, -1) if chunk[i].group() in _SUBORDINATORS), None)
    if after is not None:  # "The decision comes after the watchdog declared …": the watchdog
        chunk = chunk[after + 1:]
    if not chunk or len(chunk) > _MAX_SUBJECT_WORDS or any(_NOT_IN_SUBJECT.fullmatch(w.group()) for w in chunk):
        return None  # "Tedros said the 14,000 cases reported": a clause, not a subject
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
    if words[0].lower() in _QUANTIFIERS and role <= 2:  # "two people familiar with the matter"
        return True
    return role == len(words) - 1 or all(w[:1].isupper() or re.match(_NAME_ARTICLE, w) for w in words[role + 1:])


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
    if head_words and head_words[0] in DETERMINERS and _APPOSITIVE_NAME.fullmatch(appos_text):
        pick = appos  # "The spokesman for X, Eric Mamer, said" → the name
    if len(pick) > 8:
        return None
    return pick[0].start(), pick[-1].end() - (1 if pick[-1].group().endswith(",") else 0)


def last_name_before(text: str, pos: int) -> str:
    """'Economist Priya Sharma has … She explained' with no earlier speaker: the last full name."""
    names = _FULL_NAME.findall(text, 0, pos)
    return names[-1] if names else ""


def subject_after(text: str, pos: int, s_end: int, s_start: int, cue_start: int) -> tuple[int, int] | None:
    """'"…," said Jodie Ginsberg, chief executive of …', '"…," stated an IDF spokesperson': the subject
    follows the verb, up to a comma, a relative pronoun or a participle."""
    before = text[s_start:cue_start].rstrip()
    if not before.endswith((",", ',"', ",”")):
        return None
    picked: list[re.Match[str]] = []
    for w in WORDS.finditer(text, pos, s_end):
        word = w.group().strip(".,;:")
        if not picked and word not in DETERMINERS and not word[:1].isupper():
            return None
        if picked and (word in _AFTER_INVERTED or AUX.fullmatch(word)):
            break
        picked.append(w)
        if w.group()[-1] in ".,;:" or len(picked) >= _MAX_SUBJECT_WORDS:
            break
    if not picked or (len(picked) == 1 and picked[0].group().strip(".,;:") in DETERMINERS):
        return None
    end = picked[-1].end()
    while text[end - 1] in ".,;:":
        end -= 1
    return picked[0].start(), end


def clause_subject(text: str, s_start: int, pos: int) -> tuple[int, int] | None:
    """'Morocco's central bank kept its rate steady, saying …': the noun phrase that opens the clause,
    after an opening adverbial ("In a speech on Monday,") or a dateline ("RABAT -")."""
    words = list(WORDS.finditer(text, s_start, pos))
    dateline = next((i for i, w in enumerate(words[:10]) if w.group() in _DATELINE), None)
    if dateline is not None:
        words = words[dateline + 1:]
    if words and words[0].group() in _OPENING_ADVERBIAL:
        comma = next((i for i, w in enumerate(words) if w.group().endswith(",")), None)
        words = words[comma + 1:] if comma is not None else []
    picked: list[re.Match[str]] = []
    for w in words:
        word = w.group().strip(".,;:")
        if picked and word[:1].islower() and (AUX.fullmatch(word) or word in PAST or word.endswith("ed")):
            break
        if not picked and not (word[:1].isupper() or word in DETERMINERS):
            return None
        picked.append(w)
        if w.group().endswith(",") or len(picked) > _MAX_SUBJECT_WORDS:
            break
    if not picked or len(picked) > _MAX_SUBJECT_WORDS or picked[-1].group() in DETERMINERS:
        return None
    end = picked[-1].end()
    while text[end - 1] in ".,;:":
        end -= 1
    return picked[0].start(), end


def looks_like_person(speaker: str) -> bool:
    """'Noureddine Al-Baba', 'an IDF spokesperson', 'Tedros' — not 'The ministry', 'IDF', 'state media'."""
    words = [re.sub(r"['’]s$", "", w.strip(",.")) for w in speaker.split()]
    if any(_PERSON_ROLE.fullmatch(w) for w in words):  # "Interior Ministry spokesman …"
        return True
    if any(_BODY_WORD.match(w) for w in words):
        return False
    names = [w for w in words if w[:1].isupper() and w not in DETERMINERS]
    return bool(names) and not all(w.isupper() for w in names)
