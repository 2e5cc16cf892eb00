"""The model-free backend: rules + gazetteer (see fallback_rules.py) for Arabic and English."""

from __future__ import annotations

from collections.abc import Sequence

from service.adapters.nlp.fallback_arabic import ArabicExtractor
from service.adapters.nlp.fallback_english import EnglishExtractor
from service.adapters.nlp.fallback_rules import RuleExtractor
from service.adapters.nlp.gazetteer import load_gazetteer, word_key
from service.adapters.nlp.port import NlpBackend, no_pipeline
from service.domain.entities.mentions import merge_mentions
from service.domain.records import Entity, Mention

SUPPORTED_LANGS = ("ar", "en")
RULES_VERSION = "2"


class FallbackNlp(NlpBackend):
    name = "fallback"

    def __init__(self, langs: Sequence[str]) -> None:
        gazetteer = load_gazetteer()
        makers = {"ar": ArabicExtractor, "en": EnglishExtractor}
        self._extractors: dict[str, RuleExtractor] = {
            lang: makers[lang](gazetteer) for lang in langs if lang in SUPPORTED_LANGS
        }

    def describe(self, lang: str) -> dict[str, object]:
        if lang not in self._extractors:
            return no_pipeline(lang)
        return {"backend": "fallback", "lang": lang, "models": {"ner": f"rules-gazetteer-v{RULES_VERSION}"}}

    def entities(self, texts: Sequence[str], lang: str) -> list[list[Entity]]:
        extractor = self._extractors.get(lang)
        if extractor is None:
            return [[] for _ in texts]
        results = []
        for text in texts:
            mentions = extractor.mentions(text)
            fused = _fused_articles(text, mentions, extractor.lists.known_words) if lang == "ar" else ()
            results.append(merge_mentions(text, mentions, fused))
        return results


def _fused_articles(text: str, mentions: list[Mention], known: frozenset[str]) -> set[int]:
    """Starts of mentions cut out of "لل…" (للأمم → "لأمم"): merged with "الأمم". "للبنان" is
    ل + لبنان, a known name, so its "لبنان" stays as it is."""
    fused = set()
    for m in mentions:
        start = m.start
        cut = start and text[start - 1] == "ل" == text[start] and (start < 2 or not text[start - 2].isalpha())
        if cut and word_key(text[start : m.end].split()[0], "ar") not in known:
            fused.add(start)
    return fused
