"""The words of a text as the story stage compares them.

Words are folded like the dedup fingerprint (no marks, one alef, Western digits, no
punctuation), except that numbers keep their value: thousands separators go ("72,063" and
"72063" are one number) and a decimal point becomes "d" so that it survives the fold ("10.1"
is one word, "10d1"). Terms are the words minus function words, stemmed, then hashed to 32
bits with CRC-32 (stable across processes: features are persisted and compared by other
workers).

Arabic words go to their root with NLTK's ISRI stemmer, so that a verb meets its verbal noun
(انسحب / انسحاب) and a word its pronoun suffixes; English goes through Snowball's English stemmer
(PyStemmer). Measured on the real pages (eval_stories.py, dated, with the background), ISRI
against the light stemmer this module had (a fused conjunction, preposition or article off the
front, a pronoun or plural suffix off the end): Arabic pairs 0.93 / 0.739 -> 0.941 / 0.808,
held-out recall 0.262 -> 0.418 at precision 1.0; NLTK's light stemmers (ARLSTem, ARLSTem2) and
Tashaphyne gained less on the dev topics and lost held-out recall (0.224-0.256). All in one window
(the stress test), roots merge more same-topic events: Arabic 0.835 / 0.734 -> 0.713 / 0.803.
Snowball's English lifted English recall 0.516 -> 0.541 at precision 1.0 over hand-stripped
endings; its Arabic stemmer cost Arabic recall (0.456 -> 0.396, one window).
"""

from __future__ import annotations

import re
import threading
import zlib
from collections import Counter
from functools import lru_cache

import Stemmer
from nltk.stem.isri import ISRIStemmer

from service.domain.cleaning.normalize import normalize_for_fingerprint

_LETTER_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})


def _words(text: str) -> frozenset[str]:
    """Written in plain spelling, compared as the fold writes them (ة as ه, ى as ي)."""
    return frozenset(text.translate(_LETTER_FOLD).split())


# Function words, written here for this purpose (frequent, carry no event identity). Weekdays
# are facts (facts.py), not terms: "Tuesday" says when, and every story has one.
STOP = {
    "ar": _words(
        "في من الى على عن مع ان انه انها قال قالت وقال واضاف اضاف اكد واكد اعلن ذكر خلال بعد قبل منذ حيث"
        " الذي التي الذين هذا هذه ذلك تلك كان كانت يكون لم لا لن ما قد و او ثم يوم امس اليوم الخميس الجمعة"
        " السبت الاحد الاثنين الثلاثاء الاربعاء بين عند حول ضد عبر وفق بحسب لدى كما ايضا هو هي هم بان لان اذ"
        " كل اي غير الا وقد وكان فيه فيها به بها له لها عليه عليها منه منها اليه الي وفي ومن وعلى كذلك حتى"
        " وذلك وهو وهي ضمن نحو بعض عدد اكثر اقل امام الان وان فان لكن بل اما اذا وما ولا عام الف مليون مليار"
        " الاف ملايين"
    ),
    "en": _words(
        "the a an of in on at to for from by with as and or but is are was were be been being has have had"
        " it its this that these those which who whom whose said says say also after before since during"
        " between about against over under into than then there their they them he she his her we our you"
        " not no will would could should can may might more most other some such up out new one two three"
        " monday tuesday wednesday thursday friday saturday sunday today yesterday week year years"
        " mr mrs ms per cent percent all any each while where when what how least thousand million billion"
    ),
}
# Memo sizes (words, name surfaces): a working set, not the vocabulary, which never stops growing
# on the wire (as the fallback NLP's memos, gazetteer.WORD_CACHE_SIZE: ~8k entries, a few MB).
MEMO_WORDS = 8192
AR_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_SUFFIXES = ("هما", "كما", "ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_STEMMERS = threading.local()  # a Snowball stemmer has state: one per thread (its docs)
_ISRI = ISRIStemmer()  # keeps only its affix tables: one for every thread
_MIN_STEM = 3
_SEPARATOR = re.compile(r"(?<=\d)[,٬](?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"(?<=\d)[.٫](?=\d)")
# A conjunction, preposition or article fused to a number ("الـ91 عاما", "بـ30", "و2020") is not
# part of it: the number is read alone, as its context and the other reports write it.
_FUSED_BEFORE_NUMBER = re.compile(r"(?<!\w)[وف]?(?:بال|كال|لل|ال|ب|ل|ك)?\u0640*(?=\d)")
_DIGIT_TABLE = {**{0x660 + i: 0x30 + i for i in range(10)}, **{0x6F0 + i: 0x30 + i for i in range(10)}}


def words(text: str) -> list[str]:
    """Folded words, numbers whole (see the module docstring)."""
    if not text:
        return []
    text = _DECIMAL.sub("d", _SEPARATOR.sub("", _FUSED_BEFORE_NUMBER.sub("", text.translate(_DIGIT_TABLE))))
    folded = normalize_for_fingerprint(text)
    return folded.split(" ") if folded else []


def stem(word: str, lang: str) -> str:
    if lang == "ar":
        root = str(_ISRI.stem(word))
        return root if len(root) >= 2 else _light_stem(word)
    english = getattr(_STEMMERS, "english", None)
    if english is None:
        english = _STEMMERS.english = Stemmer.Stemmer("english")
    return str(english.stemWord(word))


def _light_stem(word: str) -> str:
    """A fused conjunction, preposition or article off the front, a pronoun or plural suffix off
    the end: for the few words whose ISRI root is a single letter."""
    for prefix in AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
            word = word[len(prefix):]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    if word.endswith("ا") and len(word) > _MIN_STEM:  # tanween alef: شهيدا = شهيد
        word = word[:-1]
    return word


def term_counts(folded: list[str], lang: str) -> Counter[int]:
    """Hashed stems of the content words, with their counts (first occurrence first)."""
    counts: Counter[int] = Counter()
    for word in folded:
        key = _term_key(word, lang)
        if key is not None:
            counts[key] += 1
    return counts


@lru_cache(maxsize=MEMO_WORDS)
def _term_key(word: str, lang: str) -> int | None:
    """A word's term key, None for function words and numbers. Cached: news reuses its words,
    and stemming every occurrence was a third of the features' cost."""
    stop = STOP.get(lang, frozenset())
    if len(word) < 2 or word in stop or word[0].isdigit():
        return None
    stemmed = stem(word, lang)
    return None if stemmed in stop else key32(stemmed)


def key32(text: str) -> int:
    return zlib.crc32(text.encode())
