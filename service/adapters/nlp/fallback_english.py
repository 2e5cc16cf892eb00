"""English rules of the fallback NER: runs of capitalised words, read as a whole.

A run ("Kuwaiti Emir Sheikh Sabah al-Ahmad Al-Sabah", "Syrian Interior Ministry") joins
capitalised words, name particles (bin, al-) and "of/for/on" between capitalised words. It is
labelled, in order:

1. as a gazetteer name (an ALL-CAPS run is looked up in title case: ABU DHABI → Abu Dhabi);
2. split at its last role word: the words after it are a person, those before it are labelled
   on their own ("WMO Secretary-General Petteri Taalas" → ORG + PER);
3. by its head words: organisation (… Ministry, … News Agency, Ministry of …), place (… City,
   … Church, Port …, Umm …), event or document (… Declaration, … Cup);
4. piece by piece: gazetteer names inside it, the rest a person when it starts with a known
   given name or is said to speak ("Brad Cooper said"), else nothing (on real pages such runs
   were headlines and slogans, never a MISC name).

A lower-case role, organisation or place noun before a run says what it is: "spokesman Daniel
Hagari" (PER), "rights group Yesh Din" (ORG), "the city of Derna" (LOC).
"""

from __future__ import annotations

from service.adapters.nlp.fallback_rules import Found, RuleExtractor, Word
from service.adapters.nlp.gazetteer import Gazetteer
from service.domain.records import EntityLabel, Mention

_CONNECTORS = frozenset({"of", "for", "on"})
_PARTICLES = frozenset({"bin", "ibn", "bint", "al", "el", "de", "van", "von", "da", "abu", "Abu", "Abdel", "abdel"})
_ARTICLE_PREFIXES = ("al-", "el-", "Al-", "El-")
_MAX_NAME_WORDS = 6
_ROMAN = frozenset({"II", "III", "IV", "VI"})


def _capitalised(word: Word) -> bool:
    surface = word.surface
    return surface[0].isupper() or (surface.startswith(_ARTICLE_PREFIXES[:2]) and surface[3:4].isupper())


def _all_caps(words: list[Word]) -> bool:
    return all(w.surface.isupper() and len(w.surface) > 1 for w in words)


class EnglishExtractor(RuleExtractor):
    cue_kinds = ("org_nouns", "place_nouns")

    def __init__(self, gazetteer: Gazetteer) -> None:
        super().__init__(gazetteer, "en")

    def may_be_name(self, word: Word) -> bool:
        return _capitalised(word)

    def surname_keys(self, name: list[str]) -> set[str]:
        surname = name[-1]
        if surname in _ROMAN or surname in _PARTICLES or not super().surname_keys(name):
            return set()
        return {surname, surname[3:]} if surname.startswith(_ARTICLE_PREFIXES) else {surname}

    def rules_at(self, text: str, words: list[Word], i: int) -> Found | None:
        if _capitalised(words[i]):
            return self._run(text, words, i)
        if not self.word_cues(words[i].key):  # most lower-case words start no name, role or cue
            return None
        introduced = self._introduced(text, words, i)
        if introduced:
            size, label = introduced
            return self._run(text, words, i + size, label)
        found = self.name_at(text, words, i)  # lower-case multi-word names: "al-Qaeda in Iraq"
        if found and found[0] > 1:
            label, fine = self.lists.names[found[2]]
            return [Mention(words[i].start, words[i + found[0] - 1].end, label, fine)], i + found[0]
        return None

    def _introduced(self, text: str, words: list[Word], i: int) -> tuple[int, EntityLabel] | None:
        """A lower-case role, organisation or place noun before a capitalised run says what it is:
        "spokesman Daniel Hagari", "army chief General Burhan", "rights group Yesh Din", "the city
        of Derna"."""
        key = words[i].key
        label: EntityLabel = "PER"
        size = 1
        if key in self.cues["org_nouns"]:
            label = "ORG"
        elif key in self.cues["place_nouns"] and self.adjacent(text, words, i) and words[i + 1].key == "of":
            size, label = 2, "LOC"  # "the town of El Alamein", "the city of Derna"
        else:
            role = self.role_at(text, words, i)
            if not role:
                return None
            size = role[0]
        if self.adjacent(text, words, i + size - 1) and _capitalised(words[i + size]):
            return size, label
        return None

    # -- runs ----------------------------------------------------------------------------
    def _run_end(self, text: str, words: list[Word], i: int) -> int:
        j = i
        while self.adjacent(text, words, j):
            nxt = words[j + 1]
            if _capitalised(nxt):
                j += 1
                continue
            link = j + 1
            if nxt.key == "of" and self.adjacent(text, words, link) and words[link + 1].key == "the":
                link += 1  # "Democratic Republic of the Congo"
            joins = nxt.key in _CONNECTORS or nxt.key in _PARTICLES
            if joins and self.adjacent(text, words, link) and _capitalised(words[link + 1]):
                if words[link + 1].key.lower() in self.lists.stopwords:
                    break  # "Forces on April 15": a date, not "Council on Foreign Relations"
                j = link + 1
                continue
            break
        return j

    def _run(self, text: str, words: list[Word], i: int, default: EntityLabel | None = None) -> Found:
        """Label the run starting at i; `default`: what an unknown run is (after "spokesman", PER)."""
        j = self._run_end(text, words, i)
        if self._gazetteer_label(words, i, j):
            return self._label(text, words, i, j, default), j + 1
        start = i
        honorifics = self.cues["honorifics"]
        while start <= j and words[start].key in honorifics:
            start += 1
        if start <= j and words[start].key.lower() in self.lists.stopwords:
            start += 1  # "The", "In": not part of the name
        elif start + 1 <= j and self.is_sentence_start(text, words[i]) and words[start + 1].key in _CONNECTORS:
            start += 2  # "Shares of Acme Corp": a sentence-initial noun is not part of the name
        if start > j:
            return [], j + 1
        return self._label(text, words, start, j, default), j + 1

    def _label(self, text: str, words: list[Word], i: int, j: int, default: EntityLabel | None) -> list[Mention]:
        whole = self._gazetteer_label(words, i, j)
        if whole:
            return [self._span(words, i, j, *whole)]
        for k in range(j, i - 1, -1):  # the last role word of the run
            role = self.role_at(text, words, k)
            if role and k + role[0] - 1 <= j and words[k].surface[0].isupper():
                before = self._pieces(text, words, i, k - 1, unknown=False)
                after = k + role[0]
                if after > j:
                    return before
                if words[after].key in _CONNECTORS:  # "Emir of the State of Kuwait": no name follows
                    after += 2 if words[after + 1].key == "the" else 1
                    return before + self._label(text, words, after, j, None)
                return before + self._label(text, words, after, j, "PER")
        known = self._pieces(text, words, i, j, unknown=False)
        if known and sum(len(text[m.start : m.end].split()) for m in known) == j - i + 1:
            return known  # "Palestinian West Bank": known names side by side
        label = default if default in ("ORG", "LOC") else self._by_head(words, i, j) or default
        if label == "PER":
            size = self._name_size(words, i, j)
            return [self._span(words, i, i + size - 1, "PER")] if size else []
        if label:
            return [self._span(words, i, j, label)]
        return self._pieces(text, words, i, j, unknown=True)

    def _gazetteer_label(self, words: list[Word], i: int, j: int) -> tuple[EntityLabel, str | None] | None:
        key = tuple(w.key for w in words[i : j + 1])
        found = self.lists.names.get(key)
        if found is None and _all_caps(words[i : j + 1]):  # datelines: "ABU DHABI, Feb 4 (WAM) -"
            found = self.lists.names.get(tuple(k.title() for k in key))
        return found

    def _by_head(self, words: list[Word], i: int, j: int) -> EntityLabel | None:
        first, last, inner = words[i].key, words[j].key.rstrip("."), words[i + 1 : j + 1]
        cues = self.cues
        if not inner:
            return None
        if first in cues["org_prefixes"] or any(w.key in cues["org_suffixes"] for w in inner):
            return "ORG"
        if last in cues["loc_suffixes"] or first in cues["loc_prefixes"]:
            return "LOC"
        if last in cues["misc_suffixes"] or first in cues["misc_prefixes"]:
            return "MISC"
        return None

    def _pieces(self, text: str, words: list[Word], i: int, j: int, unknown: bool) -> list[Mention]:
        """Gazetteer names inside the run and, if `unknown`, what lies between them as people or
        MISC (else only acronyms)."""
        found: list[Mention] = []
        rest = i
        k = i
        while k <= j:
            name = self.name_at(text, words, k)
            if name and k + name[0] - 1 <= j:
                found += self._unknown(text, words, rest, k - 1, unknown)
                label, fine = self.lists.names[name[2]]
                found.append(self._span(words, k, k + name[0] - 1, label, fine))
                k = rest = k + name[0]
            else:
                k += 1
        return found + self._unknown(text, words, rest, j, unknown)

    def _unknown(self, text: str, words: list[Word], i: int, j: int, words_too: bool) -> list[Mention]:
        if i > j or (i < j and not words_too):
            return []
        span = words[i : j + 1]
        if i == j:  # an acronym; one opening a sentence only before a role ("WMO Secretary-General …")
            key = span[0].key
            acronym = 3 <= len(key) <= 6 and key.isupper() and key.isalpha() and key not in self.cues["not_acronyms"]
            opening = words_too and self.is_sentence_start(text, span[0])
            return [self._span(words, i, j, "ORG")] if acronym and not opening else []
        if any(w.key.lower() in self.lists.stopwords for w in span) or not self._person_like(text, words, i, j):
            return []  # unknown capitalised runs that are no person are mostly headlines and slogans
        return [self._span(words, i, j, "PER")]

    def _person_like(self, text: str, words: list[Word], i: int, j: int) -> bool:
        if words[i].key in self.lists.given_names:
            return True
        after = text[words[j].end : words[j].end + 12].split()
        before = text[max(0, words[i].start - 12) : words[i].start].split()
        return bool(after and after[0] in self.cues["speech_verbs"]) or bool(
            before and before[-1] in self.cues["person_before"]
        )

    def _name_size(self, words: list[Word], i: int, j: int) -> int:
        """How many words from i (to at most j) form a person's name."""
        size = 0
        while i + size <= j and size < _MAX_NAME_WORDS:
            key = words[i + size].key
            if key.lower() in self.lists.stopwords or (size == 0 and key.islower()):
                break
            size += 1
        while size and words[i + size - 1].key in _PARTICLES and words[i + size - 1].key.islower():
            size -= 1
        return size

    @staticmethod
    def _span(words: list[Word], i: int, j: int, label: EntityLabel, fine: str | None = None) -> Mention:
        return Mention(words[i].start, words[j].end, label, fine)
