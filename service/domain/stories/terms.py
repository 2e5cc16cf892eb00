"""Words, numbers and dates of a text as the story stage compares them.

Terms are normalised (the dedup fold: no marks, one alef, Western digits), stop words are
dropped and a light stem is taken (Arabic: fused conjunction, preposition and article off the
front, tanween alef off the end; English: lower case, plural s off), then hashed to 32 bits
with CRC-32 (stable across processes: features are persisted and compared by other workers).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter

from service.domain.cleaning.normalize import normalize_for_fingerprint


def _words(text: str) -> set[str]:
    return set(text.split())


# Function words written here for this purpose (frequent, carry no event identity).
_STOP = {
    "ar": _words(
        "في من الى على عن مع ان انه انها قال قالت وقال واضاف اضاف اكد واكد اعلن ذكر خلال بعد قبل منذ حيث"
        " الذي التي الذين هذا هذه ذلك تلك كان كانت يكون لم لا لن ما قد و او ثم يوم امس اليوم الخميس الجمعة"
        " السبت الاحد الاثنين الثلاثاء الاربعاء بين عند حول ضد عبر وفق بحسب لدى كما ايضا هو هي هم بان لان اذ"
        " كل اي غير الا وقد وكان فيه فيها به بها له لها عليه عليها منه منها اليه الي وفي ومن وعلى كذلك حتى"
        " وذلك وهو وهي ضمن نحو بعض عدد اكثر اقل امام الان وان فان لكن بل اما اذا وما ولا"
    ),
    "en": _words(
        "the a an of in on at to for from by with as and or but is are was were be been being has have had"
        " it its this that these those which who whom whose said says say also after before since during"
        " between about against over under into than then there their they them he she his her we our you"
        " not no will would could should can may might more most other some such up out new one two three"
        " monday tuesday wednesday thursday friday saturday sunday today yesterday week year"
        " mr mrs ms per cent percent all any each while where when what how"
    ),
}
_AR_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_MIN_STEM = 3
def _numbered(names: str) -> dict[str, int]:
    return {name: month for month, name in enumerate(names.split(), start=1)}


_MONTHS = {
    # English, Levantine (كانون الثاني…) and Egyptian/Gulf (يناير…) month names → month number.
    **_numbered("january february march april may june july august september october november december"),
    **_numbered("jan feb mar apr may jun jul aug sep oct nov dec"),
    **_numbered("يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر"),
    **_numbered("يناير فبراير مارس ابريل ماي يونيو يوليوز غشت شتنبر اكتوبر نونبر دجنبر"),  # Maghreb
    "sept": 9, "يونيه": 6, "يوليه": 7,
    # Levantine; آب (August) is left out: folded it is اب, "father".
    "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7, "ايلول": 9,
}
# Not after a Latin letter or digit (codes, "COVID19"), but after a fused Arabic و/ب ("و171726 مصابا").
_NUMBER = re.compile(r"(?<![0-9A-Za-z.,])(\d{1,3}(?:,\d{3})+|\d+)(?:[.]\d+)?(?![\d])")
YEAR_RANGE = (1900, 2100)


def key32(text: str) -> int:
    return zlib.crc32(text.encode())


def normalise(text: str) -> list[str]:
    """Folded words, punctuation gone (the dedup fold; digits are Western)."""
    return normalize_for_fingerprint(text).split(" ") if text else []


def stem(word: str, lang: str) -> str:
    if lang == "ar":
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
                word = word[len(prefix):]
                break
        if word.endswith("ا") and len(word) > _MIN_STEM:  # tanween alef: شهيدا = شهيد
            word = word[:-1]
        return word
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def term_counts(words: list[str], lang: str) -> Counter[int]:
    stop = _STOP.get(lang, set())
    counts: Counter[int] = Counter()
    for word in words:
        if len(word) < 2 or word in stop or word[0].isdigit():
            continue
        stemmed = stem(word, lang)
        if stemmed not in stop:
            counts[key32(stemmed)] += 1
    return counts


def numbers(raw: str, lang: str) -> list[tuple[int, int]]:
    """(value, context key) of each number of two or more digits, in text order.

    The value is the number's digits without thousands separators ("4,641" and "4641" agree across
    languages); decimals keep their fraction in the value key. The context is the stemmed word
    after it (أسيرا, captives): within a language the same context with another value is
    another count of the same thing.
    """
    text = normalize_digits(raw)
    found = []
    for match in _NUMBER.finditer(text):
        digits = match.group(0).replace(",", "")
        if len(digits.replace(".", "")) < 2:  # single digits (days, ranks, "two") identify nothing
            continue
        rest = text[match.end(): match.end() + 40].split()
        following = next((w for w in (normalise(" ".join(rest[:3])) or []) if not w[:1].isdigit()), "")
        found.append((key32(digits), key32(stem(following, lang)) if following else 0))
    return found


def years(raw: str) -> set[int]:
    text = normalize_digits(raw)
    return {int(m.group(1)) for m in _NUMBER.finditer(text)
            if m.group(1).isdigit() and YEAR_RANGE[0] <= int(m.group(1)) < YEAR_RANGE[1] and "." not in m.group(0)}


def dates(raw: str) -> set[int]:
    """Day-month mentions ("24 أغسطس", "Aug. 24", "24 August") as keys month*32+day."""
    words = normalise(raw)
    found = set()
    for at, word in enumerate(words):
        month = _MONTHS.get(word) or (_MONTHS.get(word[1:]) if word[:1] in "وف" else None)
        if month is None:
            continue
        for near in (words[at - 1] if at else "", words[at + 1] if at + 1 < len(words) else ""):
            if near.isdigit() and 1 <= int(near) <= 31:
                found.add(month * 32 + int(near))
    return found


_DIGIT_TABLE = {**{0x660 + i: 0x30 + i for i in range(10)}, **{0x6F0 + i: 0x30 + i for i in range(10)},
                0x66B: ord("."), 0x66C: ord(",")}


def normalize_digits(text: str) -> str:
    return text.translate(_DIGIT_TABLE)
