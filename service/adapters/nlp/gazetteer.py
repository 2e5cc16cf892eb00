"""Name lists for the fallback NER: data/gazetteer.json plus country names from pycountry.

Keys are tuples of words as produced by `words()`; Arabic words are normalised (no
diacritics, one alef), English words keep their case so "WHO" never matches "who".
"""

from __future__ import annotations

import gettext
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from service.domain.entities.mentions import normalise_surface
from service.domain.records import EntityLabel

WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
Key = tuple[str, ...]


# Per-word memos (here and in fallback_rules) hold a working set, not the vocabulary: the wire's
# vocabulary keeps growing (numbers, codes, names), and memos of 65k-100k words grew a soaking
# worker for tens of minutes before they filled. Measured over 12,000 corpus articles: 8,192
# words cost 3% of fallback NLP speed against unbounded memos and hold ~4.6 MB when full.
WORD_CACHE_SIZE = 8192


@lru_cache(maxsize=WORD_CACHE_SIZE)
def word_key(word: str, lang: str) -> str:
    return normalise_surface(word) if lang == "ar" else word


def phrase_key(phrase: str, lang: str) -> Key:
    return tuple(word_key(w, lang) for w in WORD.findall(phrase))


@dataclass(frozen=True)
class LanguageLists:
    names: dict[Key, tuple[EntityLabel, str | None]]  # phrase → (label, fine label)
    max_name_words: int
    roles: frozenset[Key]
    max_role_words: int
    stopwords: frozenset[str]
    known_words: frozenset[str]  # single words that are names on their own (clitic evidence)


@dataclass(frozen=True)
class Gazetteer:
    ar: LanguageLists
    en: LanguageLists
    role_modifiers_ar: frozenset[str]
    org_heads_ar: frozenset[str]
    org_suffixes_en: frozenset[str]
    org_prefixes_en: frozenset[str]
    given_names_en: frozenset[str]

    def lists(self, lang: str) -> LanguageLists:
        return self.ar if lang == "ar" else self.en


def _country_names() -> dict[str, set[str]]:
    import pycountry

    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"], fallback=True)
    names: dict[str, set[str]] = {"ar": set(), "en": set()}
    for country in pycountry.countries:
        name = str(country.name)
        common = str(getattr(country, "common_name", "") or "")
        for english in (common, name if "," not in name else ""):
            if english:
                names["en"].add(english)
        translated = arabic.gettext(name).split("،")[0].strip()
        if translated and translated != name:  # untranslated entries fall back to English
            names["ar"].add(translated)
    return names


def _language_lists(data: dict[str, object], lang: str, countries: set[str]) -> LanguageLists:
    names: dict[Key, tuple[EntityLabel, str | None]] = {}
    for country in countries:
        names[phrase_key(country, lang)] = ("LOC", "GPE")
    labels: tuple[EntityLabel, ...] = ("LOC", "ORG", "PER")
    for label in labels:
        entries = data[label]
        assert isinstance(entries, dict)
        for phrase in entries[lang]:
            names.setdefault(phrase_key(phrase, lang), (label, None))
    if lang == "en":
        for adjective in data["NORP_en"]:  # type: ignore[attr-defined]
            names.setdefault(phrase_key(adjective, lang), ("MISC", "NORP"))
    names.pop((), None)
    roles = frozenset(phrase_key(role, lang) for role in data["roles"][lang])  # type: ignore[index]
    stopwords = frozenset(word_key(w, lang) for w in data["stopwords"][lang])  # type: ignore[index]
    known = frozenset(key[0] for key in names if len(key) == 1)
    return LanguageLists(
        names=names,
        max_name_words=max(len(k) for k in names),
        roles=roles,
        max_role_words=max(len(k) for k in roles),
        stopwords=stopwords,
        known_words=known,
    )


@cache
def load_gazetteer() -> Gazetteer:
    """Built once per process, on first use (~50 ms)."""
    raw = resources.files("service.adapters.nlp").joinpath("data/gazetteer.json").read_text("utf-8")
    data = json.loads(raw)
    countries = _country_names()
    heads = data["org_heads"]
    return Gazetteer(
        ar=_language_lists(data, "ar", countries["ar"]),
        en=_language_lists(data, "en", countries["en"]),
        role_modifiers_ar=frozenset(word_key(w, "ar") for w in data["role_modifiers_ar"]),
        org_heads_ar=frozenset(word_key(w, "ar") for w in heads["ar"]),
        org_suffixes_en=frozenset(w.rstrip(".") for w in heads["en_suffixes"]),
        org_prefixes_en=frozenset(heads["en_prefixes"]),
        given_names_en=frozenset(data["given_names_en"]),
    )
