"""Claim extraction (who said what) for Arabic and English news text.

The rule path stands alone; entity spans and dependency parses, when given, sharpen the speaker.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from service.domain.claims.arabic import extract_ar
from service.domain.claims.common import (
    Discourse,
    Draft,
    ParsedSentence,
    ParsedToken,
    quote_regions,
    sentences,
    to_claim,
)
from service.domain.claims.english import extract_en
from service.domain.claims.parse import refine_speakers
from service.domain.records import Claim, Entity

__all__ = ["ParsedSentence", "ParsedToken", "extract_claims"]

logger = logging.getLogger(__name__)

_EXTRACTORS = {"ar": extract_ar, "en": extract_en}
_SPEAKER_LABELS = ("PER", "ORG")


def extract_claims(
    text: str,
    lang: str,
    entities: Sequence[Entity] = (),
    parses: Sequence[ParsedSentence] | None = None,
) -> list[Claim]:
    """Attributed statements in `text` (offsets index into `text`); [] for unsupported languages."""
    extractor = _EXTRACTORS.get(lang)
    if extractor is None or not text.strip():
        return []
    regions = quote_regions(text)
    drafts = extractor(text, regions, sentences(text, regions), Discourse())
    if parses:
        refine_speakers(text, drafts, parses)
    if entities:
        _snap_to_entities(text, drafts, entities)
    claims = [c for c in (to_claim(text, d) for d in drafts) if c is not None]
    logger.debug("extracted %d claims (%s)", len(claims), lang)
    return claims


def _snap_to_entities(text: str, drafts: list[Draft], entities: Sequence[Entity]) -> None:
    """A name that ends the speaker phrase ('وزير الصحة فراس الأبيض' → the person) or an organisation
    that opens it names the speaker; one inside it ('المنظمة … التابعة للأمم المتحدة') does not."""
    names = sorted({e.text for e in entities if e.label in _SPEAKER_LABELS and e.text.strip()}, key=len, reverse=True)
    for draft in drafts:
        # A speaker carried over from earlier text has no span here; snap its words all the same so
        # that 'he said' names the same speaker as the claim it continues.
        start, end = draft.speaker_span if draft.speaker_span is not None else (-1, -1)
        phrase = text[start:end] if start >= 0 else draft.speaker
        for label in _SPEAKER_LABELS:
            hit = next((n for n in names if _placed(n, phrase, label) and _label_of(n, entities) == label), None)
            if hit is not None:
                offset = phrase.index(hit)
                trimmed = _GENITIVE_LEAD.sub("", hit)  # "للمنظمة بيتيري تالاس": the title's tail, not the name
                offset += len(hit) - len(trimmed)
                draft.speaker = trimmed
                draft.speaker_span = (start + offset, start + offset + len(trimmed)) if start >= 0 else None
                break


_GENITIVE_LEAD = re.compile(r"^(?:لل\S+\s+)+")


def _placed(name: str, phrase: str, label: str) -> bool:
    at = phrase.find(name)
    if at < 0:
        return False
    if label == "PER":
        return not phrase[at + len(name):].strip(" .,،")
    # "WMO Secretary-General Petteri Taalas": an organisation heading a person's title is not the speaker.
    return at == 0 and not any(ch.isupper() for ch in phrase[len(name):])


def _label_of(name: str, entities: Sequence[Entity]) -> str:
    return next(e.label for e in entities if e.text == name)
