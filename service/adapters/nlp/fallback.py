"""The model-free backend: rules + gazetteer (see fallback_rules.py) for Arabic and English."""

from __future__ import annotations

from collections.abc import Sequence

from service.adapters.nlp.fallback_rules import RuleExtractor
from service.adapters.nlp.gazetteer import load_gazetteer
from service.adapters.nlp.port import NlpBackend, no_pipeline
from service.domain.entities.mentions import merge_mentions
from service.domain.records import Entity

SUPPORTED_LANGS = ("ar", "en")
RULES_VERSION = "1"


class FallbackNlp(NlpBackend):
    name = "fallback"

    def __init__(self, langs: Sequence[str]) -> None:
        gazetteer = load_gazetteer()
        self._extractors = {
            lang: RuleExtractor(gazetteer, lang) for lang in langs if lang in SUPPORTED_LANGS
        }

    def describe(self, lang: str) -> dict[str, object]:
        if lang not in self._extractors:
            return no_pipeline(lang)
        return {"backend": "fallback", "lang": lang, "models": {"ner": f"rules-gazetteer-v{RULES_VERSION}"}}

    def entities(self, texts: Sequence[str], lang: str) -> list[list[Entity]]:
        extractor = self._extractors.get(lang)
        if extractor is None:
            return [[] for _ in texts]
        return [merge_mentions(text, extractor.mentions(text)) for text in texts]
