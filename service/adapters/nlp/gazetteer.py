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

# Arabic diacritics (shadda, tanween…) are combining marks, not \w: without them in the class,
# "السّعوديّة" would be three words.
_LETTERS = "[\\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+"
WORD = re.compile(f"{_LETTERS}(?:[-'’.]{_LETTERS})*")
Key = tuple[str, ...]
Names = dict[Key, tuple[EntityLabel, str | None]]  # phrase → (label, fine label)


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
    names: Names
    max_name_words: int
    roles: frozenset[Key]
    max_role_words: int
    stopwords: frozenset[str]
    known_words: frozenset[str]  # single words that are names on their own (clitic evidence)
    given_names: frozenset[str]
    cues: dict[str, frozenset[str]]  # trigger words of the language's rules, by kind (cues_ar, cues_en)


@dataclass(frozen=True)
class Gazetteer:
    ar: LanguageLists
    en: LanguageLists
    nisba_ar: frozenset[str]  # normalised masculine nisba adjectives: سوري، أمريكي، إسلامي

    def lists(self, lang: str) -> LanguageLists:
        return self.ar if lang == "ar" else self.en


def _country_names() -> dict[str, set[str]]:
    """Short, common and official names ("Congo, The Democratic Republic of the" read both ways)."""
    import pycountry

    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"], fallback=True)
    names: dict[str, set[str]] = {"ar": set(), "en": set()}
    for country in pycountry.countries:
        english_forms = [str(getattr(country, field, "") or "") for field in ("name", "common_name", "official_name")]
        for english in filter(None, english_forms):
            if "," in english:  # "Korea, Republic of" → "Republic of Korea"
                head, _, tail = english.partition(",")
                english = f"{tail.strip()} {head.strip()}".removeprefix("The ").removeprefix("the ")
            names["en"].add(english.removeprefix("the "))
            translated = arabic.gettext(english_forms[0] if english is english_forms[0] else english)
            for part in translated.split("،"):  # "الكونغو، جمهوريّة الكونغو الدّيموقراطيّة"
                if part.strip() and part.strip() != english:  # untranslated entries fall back to English
                    names["ar"].add(part.strip())
        for field in ("name", "official_name"):
            value = str(getattr(country, field, "") or "")
            translated = arabic.gettext(value) if value else value
            names["ar"].update(p.strip() for p in translated.split("،") if p.strip() and translated != value)
    return names


def arabic_nisba(country: str) -> str | None:
    """The masculine relational adjective of a one-word Arabic country name (normalised).

    سوريا → سوري, أمريكا → أمريكي, السعودية → سعودي, العراق → عراقي, لبنان → لبناني.
    Names already ending in ي (مالي، جيبوتي) give None: the adjective would be the name itself.
    """
    stem = country.removeprefix("ال")
    if " " in country or len(stem) < 3 or stem.endswith("ي"):
        return None
    for ending in ("يا", "ية", "يه", "ا", "ة"):
        if stem.endswith(ending):
            return stem[: -len(ending)] + "ي"
    return stem + "ي"


def arabic_nisbas(country: str) -> set[str]:
    """arabic_nisba, and for names whose ال is part of the name (ألمانيا → المانيا) the full form."""
    forms = {arabic_nisba(country), arabic_nisba("_" + country) if country.startswith("ال") else None}
    return {form.lstrip("_") for form in forms if form}


def _language_lists(data: dict[str, object], lang: str, countries: set[str]) -> LanguageLists:
    names: Names = {}
    for country in countries:
        names[phrase_key(country, lang)] = ("LOC", "GPE")
    labels: tuple[EntityLabel, ...] = ("LOC", "ORG", "PER")
    for label in labels:
        entries = data[label]
        assert isinstance(entries, dict)
        for phrase in entries[lang]:
            names.setdefault(phrase_key(phrase, lang), (label, None))
    for group in data[f"NORP_{lang}"]:  # type: ignore[attr-defined]
        names.setdefault(phrase_key(group, lang), ("MISC", "NORP"))
        if lang == "en" and not group.endswith(("ese", "ish", "ch", "ss", "i", "Orthodox", "ic", "Arab")):
            names.setdefault(phrase_key(group + "s", lang), ("MISC", "NORP"))  # Palestinians, Kurds
    if lang == "en":
        names[("Arabs",)] = ("MISC", "NORP")
    names.pop((), None)
    roles = frozenset(phrase_key(role, lang) for role in data["roles"][lang])  # type: ignore[index]
    stopwords = frozenset(word_key(w, lang) for w in data["stopwords"][lang])  # type: ignore[index]
    cues = data[f"cues_{lang}"]
    assert isinstance(cues, dict)
    return LanguageLists(
        names=names,
        max_name_words=max(len(k) for k in names),
        roles=roles,
        max_role_words=max(len(k) for k in roles),
        stopwords=stopwords,
        known_words=frozenset(key[0] for key in names if len(key) == 1),
        given_names=frozenset(word_key(w, lang) for w in data[f"given_names_{lang}"]),  # type: ignore[attr-defined]
        cues={kind: frozenset(word_key(w, lang) for w in words) for kind, words in cues.items() if kind != "_about"},
    )


@cache
def load_gazetteer() -> Gazetteer:
    """Built once per process, on first use (~50 ms)."""
    raw = resources.files("service.adapters.nlp").joinpath("data/gazetteer.json").read_text("utf-8")
    data = json.loads(raw)
    countries = _country_names()
    arabic = _language_lists(data, "ar", countries["ar"])
    from_countries = set().union(
        *(arabic_nisbas(key[0]) for key, (_, fine) in arabic.names.items() if fine == "GPE" and len(key) == 1)
    )
    listed = {word_key(w, "ar") for w in data["nisba_ar"]}
    return Gazetteer(
        ar=arabic,
        en=_language_lists(data, "en", countries["en"]),
        nisba_ar=frozenset(from_countries | listed),
    )
