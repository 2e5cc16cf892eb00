"""Entity keys that agree across scripts: a consonant skeleton of each name word.

"محمد بن زايد" and "Mohamed bin Zayed" both become {"mhmd", "zd"}: Arabic letters and Latin
letters (and digraphs) map to one consonant class each; vowels, the long-vowel letters ا و ي,
ع and hamza are dropped (English spellings do not write them consistently), doubled
consonants collapse. Words that are articles or kinship particles (al, bin, abu) carry no
identity and are dropped. A key is a 32-bit CRC of "k:" + skeleton: equal skeletons give equal
keys in every process. A `known` table (normalised surface → canonical key, e.g. Arabic and
English country names → ISO code) is tried first on the whole surface, then on each word, then on
the names a demonym may come from ("Palestinians" and "الفلسطينيون" both name فلسطين). Words
that name institutions and titles in translation ("وزارة", "ministry": glossary.py) take their
concept's key instead of a skeleton, so "وكالة أنباء الإمارات" meets "Emirates News Agency".
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping
from functools import lru_cache

from service.domain.stories.glossary import GLOSSARY
from service.domain.stories.terms import MEMO_WORDS

# Arabic letter → consonant class ("" = dropped). Folded forms (ا for أ إ آ, ه for ة, ي for ى)
# are handled after folding.
_ARABIC = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "K", "د": "d", "ذ": "z", "ر": "r",
    "ز": "z", "س": "s", "ش": "S", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "j", "ف": "f",
    "ق": "q", "ك": "q", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "", "گ": "j", "پ": "b", "ڤ": "f",
    "ا": "", "أ": "", "إ": "", "آ": "", "ٱ": "", "و": "", "ي": "", "ى": "", "ئ": "", "ؤ": "", "ء": "", "ع": "",
}
# Latin: digraphs first, then letters. غ and g share a class: Gaza is غزة, and Egyptian ج is g.
_DIGRAPHS = {"kh": "K", "sh": "S", "ch": "S", "th": "t", "dh": "z", "gh": "j", "ph": "f", "ck": "q", "ou": ""}
_LATIN = {
    "b": "b", "p": "b", "t": "t", "j": "j", "g": "j", "h": "h", "d": "d", "z": "z", "r": "r", "s": "s",
    "f": "f", "v": "f", "q": "q", "k": "q", "c": "q", "l": "l", "m": "m", "n": "n", "x": "qs",
    "a": "", "e": "", "i": "", "o": "", "u": "", "y": "", "w": "", "'": "", "’": "", "‘": "",
}
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_WORD = re.compile(r"[^\W\d_]+(?:['’‘][^\W\d_]+)*")
# Particles of names: the article, "son of", "father of", "family of" (آل). They are no identity.
_PARTICLES = frozenset({"al", "el", "bin", "ben", "ibn", "bint", "abu", "abou", "bou", "the", "of", "and",
                        "ال", "بن", "ابن", "بنت", "ابو", "آل", "و"})
_ARABIC_ARTICLE = ("وال", "بال", "لل", "ال")
# Taken off before a glossary or `known` lookup (longest first): the article, with or without the
# conjunction or preposition before it, or a bare conjunction و.
_CLITICS = ("فال", *_ARABIC_ARTICLE, "و")
MIN_SKELETON = 2  # one consonant matches far too many words to be evidence


def skeleton(word: str) -> str:
    """The consonant skeleton of one name word, in either script ("" for particles)."""
    word = _MARKS.sub("", word).lower()
    if not word or word in _PARTICLES:
        return ""
    if _arabic(word):
        for article in _ARABIC_ARTICLE:
            if word.startswith(article) and len(word) - len(article) >= 3:
                word = word[len(article):]
                break
        out = [_ARABIC.get(ch, "") for ch in word]
    else:
        if word.startswith(("al-", "el-")):
            word = word[3:]
        out = _undigraph(word)
    collapsed: list[str] = []
    for cls in "".join(out):
        if not collapsed or collapsed[-1] != cls:
            collapsed.append(cls)
    return "".join(collapsed)


def _arabic(word: str) -> bool:
    return "\u0600" <= word[:1] <= "\u06ff"


def _undigraph(word: str) -> list[str]:
    out: list[str] = []
    at = 0
    while at < len(word):
        pair = word[at : at + 2]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            at += 2
        else:
            out.append(_LATIN.get(word[at], ""))
            at += 1
    return out


def name_keys(surface: str, known: Mapping[str, str] | None = None) -> list[int]:
    """Keys of one entity surface: its canonical key when `known` has it, else one per name word:
    the word's canonical key in `known` or its concept (glossary.py), else its skeleton."""
    if known is not None:
        canonical = known.get(fold_surface(surface))
        if canonical is not None:
            return [key32("c:" + canonical)]
    keys = []
    for folded, bare, plain in _words(surface):
        canonical = None if known is None else _canonical(folded, bare, known)
        key = key32("c:" + canonical) if canonical is not None else _word_key(folded, bare, plain)
        if key:
            keys.append(key)
    return keys


def _canonical(folded: str, bare: str, known: Mapping[str, str]) -> str | None:
    """The word's entry in `known`, as written or as the country its demonym names."""
    found = known.get(folded) or known.get(bare) or known.get("ال" + bare)
    if found is None:
        for name in _demonym_stems(bare):
            found = known.get(name) or known.get("ال" + name)
            if found is not None:
                break
    return found


# A demonym is its country's name with a suffix, and the name's own ending may go first
# (فلسطين → فلسطيني, Syria → Syrian, Lebanon → Lebanese). The names a demonym may come from: its
# stem with each ending a country name has. Arabic plurals and the feminine come off with the nisba.
_NISBA = ("يين", "يون", "يان", "يه", "ي")
_NAME_ENDINGS_AR = ("", "ا", "يا", "يه")
_DEMONYM_EN = ("ian", "ean", "ese", "ish", "an", "i")
_NAME_ENDINGS_EN = ("", "a", "e", "o", "y", "ia", "ey", "on", "ain", "es")
_MIN_STEM = 3  # "Iraqi" → iraq; shorter stems meet given names (Ali, Sami)


def _demonym_stems(bare: str) -> list[str]:
    arabic = _arabic(bare)
    suffixes, endings = (_NISBA, _NAME_ENDINGS_AR) if arabic else (_DEMONYM_EN, _NAME_ENDINGS_EN)
    singular = bare[:-1] if not arabic and bare.endswith("s") else bare  # Palestinians, Israelis
    for suffix in suffixes:
        stem = singular[: -len(suffix)]
        if singular.endswith(suffix) and len(stem) >= _MIN_STEM:
            return [stem + ending for ending in endings]
    return []


@lru_cache(maxsize=MEMO_WORDS)
def _words(surface: str) -> tuple[tuple[str, str, str], ...]:
    """Cached: the same names come back article after article. Each word folded (as tables list
    it), bare (folded, without the article or a leading و) and plain (unfolded: the skeleton
    needs ة, which folding makes ه, to drop it: غزة is "Gaza", خليفة "Khalifa")."""
    plain = _ALLAH.sub(r"\1الله", _plain(surface))
    folded = plain.translate(_FOLD)  # letter for letter: the words of both line up
    return tuple((word, _bare(word), unfolded)
                 for word, unfolded in zip(_WORD.findall(folded), _WORD.findall(plain), strict=True))


# Names compounded with الله are written in two words in Arabic and in one in English: رام الله is
# Ramallah, حزب الله Hezbollah, عبد الله Abdullah. The two words are read as one.
_ALLAH = re.compile(r"(\w) الله\b")


@lru_cache(maxsize=MEMO_WORDS)
def _word_key(folded: str, bare: str, plain: str) -> int:
    concept = GLOSSARY.get(bare) or GLOSSARY.get(folded)
    if concept is not None:
        return key32("c:" + concept)
    shape = skeleton(plain)
    return key32("k:" + shape) if len(shape) >= MIN_SKELETON else 0


def _bare(word: str) -> str:
    if _arabic(word):
        for clitic in _CLITICS:
            if word.startswith(clitic) and len(word) - len(clitic) >= 2:
                return word[len(clitic):]
    return word


def fold_surface(surface: str) -> str:
    """A surface as looked up in `known`: no marks, one alef, lower case, single spaces."""
    return _plain(surface).translate(_FOLD)


def _plain(surface: str) -> str:
    return " ".join(_MARKS.sub("", surface).lower().split())


_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def key32(text: str) -> int:
    return zlib.crc32(text.encode())


def all_name_keys(surfaces: Iterable[str], known: Mapping[str, str] | None = None) -> set[int]:
    return {key for surface in surfaces for key in name_keys(surface, known)}
