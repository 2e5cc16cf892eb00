"""Rule + gazetteer entity finder, shared by Arabic and English (no models, ~1-2 ms per article).

One left-to-right pass over the words; at each word the language's rules are tried in order
(fallback_arabic.py, fallback_english.py) and the first that fires wins: it returns the mentions
it found (a rule may find several: "المتحدث باسم الجيش الإسرائيلي دانيال هاغاري" is an ORG and a
PER) and the scan jumps past what it consumed, so mentions never overlap.

A second pass tags later bare surnames of people found in the first ("ماتني", "Blinken").
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from service.adapters.nlp.gazetteer import WORD, WORD_CACHE_SIZE, Gazetteer, Key, LanguageLists, word_key
from service.domain.entities.mentions import ARABIC_CLITIC_PREFIXES, trim_arabic_clitics
from service.domain.records import Mention

Found = tuple[list[Mention], int]  # mentions found by a rule, index of the first word after them
_PATRONYMICS = frozenset({"بن", "بنت", "ابن", "ال", "bin", "bint", "ibn"})  # ال: آل, the family
_SENTENCE_END = re.compile(r"[.!?\n:\"“”«»]\s*$")
# English words as WORD joins them, less a possessive: "Iran's" names Iran.
WORD_EN = re.compile(r"\w+(?:(?:[-.]|['’](?![sS]\b))\w+)*")


@lru_cache(maxsize=WORD_CACHE_SIZE)
def arabic_clitic_stems(key: str) -> tuple[tuple[int, str], ...]:
    """(offset into the word, stem key) for the word itself and for it minus each clitic."""
    stems = [(0, key)]
    stems += [(len(p), key[len(p) :]) for p in ARABIC_CLITIC_PREFIXES if key.startswith(p)]
    if key.startswith("لل") and len(key) > 4:
        # ل + ال writes "لل" (للأمم = ل + الأمم): no exact substring without the clitic, so the
        # span drops one ل ("لأمم", as annotators of real news do); merge_mentions folds it back.
        stems.append((1, "ا" + key[1:]))
    return tuple(stems)


# Not frozen: one is made per word of every article, and a frozen dataclass's __init__ (one
# object.__setattr__ per field) made split_words 65% slower (443 vs 267 µs per 3 KB article).
@dataclass(slots=True)
class Word:
    start: int
    end: int
    surface: str
    key: str  # normalised (Arabic) or as written (English)


def split_words(text: str, lang: str) -> list[Word]:
    if lang != "en":
        return [Word(m.start(), m.end(), m.group(), word_key(m.group(), lang)) for m in WORD.finditer(text)]
    words = []
    for match in WORD_EN.finditer(text):  # English keys are the words as written
        surface = match.group()
        if "-" in surface and surface[0].isupper() and surface.rpartition("-")[2].islower():
            surface = surface.partition("-")[0]  # "Iran-backed", "US-led" name Iran, the US
        words.append(Word(match.start(), match.start() + len(surface), surface, surface))
    return words


_NO_CUES: dict[str, tuple[int, str]] = {}  # shared by the many words that are no cue at all


class RuleExtractor:
    """The pass and the rules both languages share; subclasses add theirs in `rules_at`."""

    cue_kinds: tuple[str, ...] = ()  # the kinds of trigger word (lists.cues) rules look up word by word

    def __init__(self, gazetteer: Gazetteer, lang: str) -> None:
        self.gazetteer = gazetteer
        self.lang = lang
        self.lists: LanguageLists = gazetteer.lists(lang)
        self.cues = self.lists.cues
        # First words of every phrase: most words start none, and this set test is cheap.
        self._firsts = frozenset(k[0] for k in self.lists.names) | frozenset(k[0] for k in self.lists.roles)
        self._tables: dict[str, Container[str]] = {kind: self.cues[kind] for kind in self.cue_kinds}
        self._tables |= {"first": self._firsts, "given": self.lists.given_names}
        # bounded like every per-word memo (see gazetteer.WORD_CACHE_SIZE)
        self.word_cues = lru_cache(maxsize=WORD_CACHE_SIZE)(self._word_cues)

    def rules_at(self, text: str, words: list[Word], i: int) -> Found | None:
        raise NotImplementedError

    def _word_cues(self, key: str) -> dict[str, tuple[int, str]]:
        """Kind → (clitic offset, stem) of every cue the word is, as written or minus a clitic.
        One look-up per distinct word instead of one per rule and clitic reading."""
        found: dict[str, tuple[int, str]] = {}
        for offset, stem in arabic_clitic_stems(key) if self.lang == "ar" else ((0, key),):
            for kind in self.stem_cues(stem):
                found.setdefault(kind, (offset, stem))
        return found or _NO_CUES

    def stem_cues(self, stem: str) -> list[str]:
        """The kinds of cue a stem is; subclasses add cues that are tests, not lists."""
        return [kind for kind, table in self._tables.items() if stem in table]

    def cue(self, word: Word, kind: str) -> int | None:
        """Clitic offset at which `word` is a cue of `kind`, None if it is not."""
        found = self.word_cues(word.key).get(kind)
        return None if found is None else found[0]

    def may_be_name(self, word: Word) -> bool:
        """Whether `word` can be part of a name at all (English: capitalised)."""
        return True

    def surname_keys(self, name: list[str]) -> set[str]:
        """Keys under which the last word of a person's name is tagged again later in the text:
        none after a patronymic or family particle ("محمد بن سلمان" is not "سلمان", "آل ثاني"
        not "ثاني")."""
        if word_key(name[-2], self.lang).lower() in _PATRONYMICS:
            return set()
        return {word_key(name[-1], self.lang)}

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def adjacent(text: str, words: list[Word], i: int) -> bool:
        """Word i+1 follows word i with only spaces between (no comma, period, quote, line break)."""
        if i + 1 >= len(words):
            return False
        between = text[words[i].end : words[i + 1].start]
        return not between.strip() and "\n" not in between

    def clitic_stems(self, word: Word) -> tuple[tuple[int, str], ...]:
        """(offset into the word, stem key) for the word itself and, in Arabic, minus clitics."""
        return arabic_clitic_stems(word.key) if self.lang == "ar" else ((0, word.key),)

    def stem_in(self, word: Word, table: Container[str]) -> int | None:
        """Offset of the first clitic reading of `word` whose stem is in `table`."""
        return next((offset for offset, stem in self.clitic_stems(word) if stem in table), None)

    def phrase_at(
        self, text: str, words: list[Word], i: int, table: Container[Key], longest: int, first: str | None = None
    ) -> tuple[int, int, Key] | None:
        """(number of words, clitic offset, key) of the longest phrase of `table` at word i."""
        readings = ((0, first),) if first is not None else self.clitic_stems(words[i])
        for offset, stem in readings:
            if stem not in self._firsts:
                continue
            key = [stem]
            best = 1 if (stem,) in table else 0
            j = i
            while len(key) < longest and self.adjacent(text, words, j):
                j += 1
                key.append(words[j].key)
                if tuple(key) in table:
                    best = len(key)
            if best:
                return best, offset, tuple(key[:best])
        return None

    def name_at(self, text: str, words: list[Word], i: int, first: str | None = None) -> tuple[int, int, Key] | None:
        return self.phrase_at(text, words, i, self.lists.names, self.lists.max_name_words, first)

    def role_at(self, text: str, words: list[Word], i: int) -> tuple[int, int, Key] | None:
        return self.phrase_at(text, words, i, self.lists.roles, self.lists.max_role_words)

    def is_sentence_start(self, text: str, word: Word) -> bool:
        before = text[max(0, word.start - 3) : word.start]
        return word.start == 0 or bool(_SENTENCE_END.search(before)) or (not before.strip() and word.start < 3)

    # -- driver --------------------------------------------------------------------------
    def mentions(self, text: str) -> list[Mention]:
        words = split_words(text, self.lang)
        mentions: list[Mention] = []
        covered: set[int] = set()
        i = 0
        while i < len(words):
            found = self.rules_at(text, words, i)
            if found is None:
                i += 1
                continue
            found_here, after = found
            if found_here:
                mentions += found_here
                covered.update(range(i, after))
            i = max(after, i + 1)
        return mentions + self._repeated_surnames(text, words, mentions, covered)

    def _repeated_surnames(
        self, text: str, words: list[Word], found: list[Mention], covered: set[int]
    ) -> list[Mention]:
        surnames: set[str] = set()
        for mention in found:
            parts = text[mention.start : mention.end].split()
            if mention.label == "PER" and len(parts) > 1:
                surnames |= self.surname_keys(parts)
        if not surnames:
            return []
        extra = []
        for index, word in enumerate(words):
            if index in covered or (self.lang == "en" and not self.may_be_name(word)):
                continue
            offset = self.stem_in(word, surnames)
            if offset is None:
                continue
            start, end = word.start + offset, word.end
            if self.lang == "ar":
                start, end = trim_arabic_clitics(text, word.start, word.end, lambda w: word_key(w, "ar") in surnames)
            extra.append(Mention(start, end, "PER"))
        return extra
