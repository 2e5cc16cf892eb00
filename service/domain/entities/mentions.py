"""Entity mentions → merged entities: label mapping, Arabic clitic trimming, exact offsets.

Label mapping (model label → contract label; the model's own label is kept as `fine_label`):

    PER, PERSON                                   → PER
    ORG                                           → ORG
    LOC, GPE (countries, cities), FAC (buildings,
    airports, bridges)                            → LOC
    MISC, NORP (nationalities, religious/political
    groups), EVENT, WORK_OF_ART, LAW, LANGUAGE,
    PRODUCT, and any label we do not know         → MISC
    DATE, TIME, PERCENT, MONEY, QUANTITY,
    ORDINAL, CARDINAL                             → dropped (values, not names)

NORP goes to MISC rather than ORG: "Israeli", "Palestinians", "Shiite" name groups of people,
not organisations with members and a spokesman.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Sequence

from service.domain.records import Entity, EntityLabel, Mention

_LABELS: dict[str, EntityLabel] = {
    "PER": "PER", "PERSON": "PER",
    "ORG": "ORG",
    "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
    "MISC": "MISC", "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC",
    "LAW": "MISC", "LANGUAGE": "MISC", "PRODUCT": "MISC",
}
NON_NAME_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})

# Single-letter Arabic proclitics: conjunctions و ف, prepositions ب ل ك. They stack (وب, فل, وك…)
# in that order: conjunction first, then preposition.
_CONJUNCTIONS = "وف"
_PREPOSITIONS = "بلك"
ARABIC_CLITIC_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {c + p for c in _CONJUNCTIONS for p in _PREPOSITIONS} | set(_CONJUNCTIONS) | set(_PREPOSITIONS),
        key=len,
        reverse=True,
    )
)
_DEFINITE_ARTICLE = "ال"
_MIN_STEM = 3  # a trimmed Arabic name keeps at least this many letters

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # + tatweel
_ALEF_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
_SPACES = re.compile(r"\s+")
_EDGE_JUNK = " \t\r\n\u00a0\u200f\u200e\"'«»“”‘’()[]{}،,.:;!?؟؛-–—"


def map_label(fine_label: str) -> EntityLabel | None:
    """The contract label for a model's label, or None for non-name types (dates, numbers…)."""
    tag = fine_label.upper()
    if tag in NON_NAME_LABELS:
        return None
    return _LABELS.get(tag, "MISC")


def normalise_surface(surface: str) -> str:
    """Key under which mentions of one entity are merged: case, spacing, Arabic spelling variants."""
    text = unicodedata.normalize("NFKC", surface)
    text = _ARABIC_DIACRITICS.sub("", text).translate(_ALEF_VARIANTS)
    return _SPACES.sub(" ", text).strip().casefold()


def merge_key(surface: str) -> str:
    """normalise_surface, plus "لل…" (ل + ال, e.g. للأمم) folded onto "ال…" (الأمم)."""
    key = normalise_surface(surface)
    if key.startswith("لل") and len(key) > 4:
        return "ا" + key[1:]
    return key


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding spaces, quotes and punctuation."""
    while start < end and text[start] in _EDGE_JUNK:
        start += 1
    while end > start and text[end - 1] in _EDGE_JUNK:
        end -= 1
    return start, end


def is_arabic_letter(char: str) -> bool:
    return "\u0621" <= char <= "\u064a" or "\u0671" <= char <= "\u06d3"


def trim_arabic_clitics(
    text: str, start: int, end: int, known: Callable[[str], bool] | None = None
) -> tuple[int, int]:
    """Move `start` past Arabic proclitics glued to the first word of the span.

    "وبايدن" → "بايدن" only when evidence says the prefix is a clitic: the rest is a `known`
    word (gazetteer name, another mention in the document) or starts with the definite article
    (وبالعراق → العراق). A word that is itself known (وليد, بشار, كمال) is left alone, so
    names that really begin with و ف ب ل ك keep their first letter.
    """
    is_known = known or (lambda _word: False)
    first_word_end = start
    while first_word_end < end and not text[first_word_end].isspace():
        first_word_end += 1
    word = text[start:first_word_end]
    if not word or not is_arabic_letter(word[0]) or is_known(word):
        return start, end
    for prefix in ARABIC_CLITIC_PREFIXES:
        rest = word[len(prefix) :]
        if not word.startswith(prefix) or len(rest) < _MIN_STEM:
            continue
        with_article = rest.startswith(_DEFINITE_ARTICLE) and len(rest) > len(_DEFINITE_ARTICLE) + 1
        if is_known(rest) or with_article:
            return start + len(prefix), end
    return start, end


def merge_mentions(text: str, mentions: Sequence[Mention], fused_article: Container[int] = ()) -> list[Entity]:
    """One Entity per (normalised surface, label), ordered by first occurrence.

    Offsets and `fine_label` come from the first mention, so text[start:end] == entity.text.
    A mention reported twice at the same offsets is counted once; empty or out-of-range
    spans are ignored. Mentions starting at an offset in `fused_article` begin with the ل left
    of "ال" after a fused preposition ("لأمم" out of "للأمم"): they merge with "الأمم".
    """
    seen_spans: set[tuple[int, int, str]] = set()
    first: dict[tuple[str, str], Mention] = {}
    counts: dict[tuple[str, str], int] = {}
    for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
        if not 0 <= mention.start < mention.end <= len(text):
            continue
        span = (mention.start, mention.end, mention.label)
        if span in seen_spans:
            continue
        seen_spans.add(span)
        surface = text[mention.start : mention.end]
        key = (merge_key("ا" + surface if mention.start in fused_article else surface), mention.label)
        if not key[0]:
            continue
        first.setdefault(key, mention)
        counts[key] = counts.get(key, 0) + 1
    return [
        Entity(
            text=text[m.start : m.end],
            label=m.label,
            start=m.start,
            end=m.end,
            count=counts[key],
            fine_label=m.fine_label,
        )
        for key, m in first.items()
    ]
