"""Facts of a report that another report of the same event cannot contradict.

Wire templates are reused from one event to the next with only the facts changed: another
count of captives, the next daily toll, the eighth relief plane and the tenth, the cut
extended to August and to September, a visit on Tuesday and one on Thursday. Words cannot
tell those apart (their TF-IDF cosine is as high as a rewrite's), so these facts are read from
the headline and opening and act as vetoes on a join (`contradiction`):

- numbers: each number of two or more digits with the word after it (its context, stemmed;
  scale words multiply: "9 ملايين برميل" is 9,000,000 barrels); a day beside its month name is a
  date, not a count ("on June 22 killed 20 people" counts 20). The same context with values
  that never meet is another count of the same thing ("292 captives" / "314 captives"). Large
  numbers that differ by under NEAR_SHARE and are not rounded are another reading of the same
  quantity whatever words surround them ("72,063 killed" / "toll rises to 72,073"). A lede that
  gives a count the other report never states, and cites the other's lede count of the same
  thing further down, is a later count of it ("8 dead; yesterday's toll was 6 dead, 21 hurt").
  Numbers keep whether they are in the lede (features written before this have no lede
  numbers: that veto does not apply to them). A price (a number before a currency) disagrees
  with nothing: reports of one rate decision or output cut cite the exchange rate or the oil
  price of their hour. On the dev pairs that freed 2 English same-event pairs and no
  different-event pair.
- tolls: a count of the dead or of the hurt, whatever word names them ("296 people", "632 lives",
  "296 قتيلا") or the verb before it ("killing at least 22", "مقتل 22 وإصابة 63": _COUNTED_BEFORE;
  it also says whom "people" counts: "injuring 153 people" are the hurt),
  has one context in every language (_COUNTED), compared in the ledes only (further
  down, reports cite earlier tolls and other incidents'): two ledes whose tolls never meet give
  two counts, in one language or across two.
- marks: months, day-month dates, years, ordinals and weekdays, each with whether it is in
  the lede. Two reports disagree when each one's lede names a mark of a kind that the other's
  whole opening never names: a rewrite that leaves the date out or mentions another year as
  background does not disagree, a template filled in for another month or weekday does. Weekdays
  and dates a day apart do not disagree: an event late on one day is reported the next.
  "كانون الثاني" and "تشرين الاول" name months (January, October), not rounds.
- occasions: what the head (HEAD_WORDS) says happened, of the happenings that follow one another
  within days around one person: a death, the burial, a eulogy, the condolences, a denied
  rumour. When both heads name one, the later occasion named is what the report is about
  (a burial's head also names the death), and two reports about different ones disagree. An
  occasion named a few words after "after" is background: the report tells what followed it,
  unless its head names one of its own.

The same numbers also corroborate (`lede_counts`): two ledes that state one number with one context
tell one event even when they share few words, and the story index joins them a little below its
join threshold (index.CORROBORATION).

Measured on the real corpus (benchmarks/eval_stories.py --vetoes [--errors]): these vetoes stop
214 of 520 Arabic and 68 of 135 English same-topic, different-event pairs, and 11 of 324 and 4 of
157 same-event pairs (2026-12-04; an age of 91 and a background 83 years, "since 2014" in one lede and "13 May
2022" in the other's); across languages 173 of 471 and 17 of 436. Letting a day apart agree and
"people" take the toll verb before them took these from 240, 74 and 194 different-event pairs
(weekdays a day apart by chance, of events weeks apart, which the window keeps apart: stream
precision is unchanged) and 18, 11 and 28 same-event ones (a quake "late on Friday" and "on
Saturday", "153 people" injured read as dead); the Levantine months then took 18 across to 17
("كانون الثاني" had read as "second" against "the first batch"; on the held-out topics 16 to 12).
Reading the day beside its month as a date and
the toll after its verb took the different-event pairs from 238, 71 and 185 (a bombing's toll of
20 "on June 22" had read as 22, its first report's "killing at least 22" as no toll) and left the
same-event ones as they were. The tolls took these from 236, 68 and 162
different-event pairs and 18, 17 and 26 same-event ones: tolls cited further down as background
(an outbreak's deaths so far, an earlier attack's) no longer stop English rewrites. The
later-count veto alone adds 3 Arabic different-event pairs (a bombing's toll of 22 citing the
first, 15) and 1 same-event pair (a fragment that starts after the other's lede); the occasion
veto stops 23 Arabic and 8 Arabic-English different-event pairs (a ruler's burial against his
death; reading what followed a death as its own occasion took the Arabic from 18: a succession
council that met "hours after the death") and no same-event pair.
Values are language-free, so the vetoes apply across languages too (number contexts do not,
but the tolls' do).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from service.domain.stories.terms import AR_PREFIXES, STOP, key32, stem

LEDE_WORDS = 60  # headline and first sentences: what the report is about
NEAR_SHARE = 0.1
NEAR_MIN = 1000.0  # smaller numbers are too often near each other by chance (ages, days)
MAX_NUMBERS = 16
MAX_MARKS = 16

HEAD_WORDS = 20  # the headline and the start of the lede: what kind of happening the report is
# Mark kinds (kind << 12 | lede << 11 | value).
MONTH, DATE, YEAR, ORDINAL, WEEKDAY, OCCASION = range(6)
KINDS = ("month", "date", "year", "ordinal", "weekday", "occasion")
VETOES = ("number", "update", "quantity", *KINDS)
_LEDE_BIT = 1 << 11
_LEDE_NUMBER = 1 << 63  # a float32 value's sign bit: the values read are never negative
VALUE_BITS = 0x7FFFFFFF
_VALUE_MASK = (1 << 11) - 1
_CONTEXT = 0xFFFFFFFF  # of a number: its context key (0: none)
_YEAR_BASE = 1900
YEARS = range(1900, 2100)


def _table(*rows: str) -> dict[str, int]:
    """Each row: words of one value (folded spelling), values 1, 2, ... in row order."""
    return {word: value for value, row in enumerate(rows, start=1) for word in row.split()}


_MONTHS = _table(
    # English, Egyptian/Gulf, Maghreb and Levantine names; آب (August) is left out: folded it is
    # اب, "father".
    "january jan يناير كانون", "february feb فبراير شباط", "march mar مارس اذار",
    "april apr ابريل نيسان", "may مايو ماي ايار", "june jun يونيو يونيه حزيران",
    "july jul يوليو يوليه يوليوز تموز", "august aug اغسطس غشت", "september sep sept سبتمبر شتنبر ايلول",
    "october oct اكتوبر تشرين", "november nov نوفمبر نونبر", "december dec ديسمبر دجنبر",
)
_ORDINALS = _table(
    "first الاول الاولي", "second الثاني الثانيه", "third الثالث الثالثه", "fourth الرابع الرابعه",
    "fifth الخامس الخامسه", "sixth السادس السادسه", "seventh السابع السابعه", "eighth الثامن الثامنه",
    "ninth التاسع التاسعه", "tenth العاشر العاشره", "eleventh الحادي الحاديه", "twelfth",
)
_WEEKDAYS = _table(
    "sunday الاحد", "monday الاثنين", "tuesday الثلاثاء", "wednesday الاربعاء", "thursday الخميس",
    "friday الجمعه", "saturday السبت",
)
# What happened, for the occasions that follow one another within days around one person or
# place: a death, the burial, the condolences, a denied rumour, a eulogy (folded spelling; Arabic
# words also with a fused article, conjunction or preposition, the prefixes terms.stem strips).
# Left out: "passed" (a bill is passed) and "tribute" (a death's own reports say leaders paid it).
_OCCASIONS = _table(
    "وفاه نعي ينعي تنعي نعت رحيل توفي died dies death dead mourns",
    "تشييع يشيع شيع دفن يواري ووري مواراه جنازه جثمان buried burial funeral",
    "تعزيه يعزي عزاء معزيا برقيه condolences condolence condoles",
    "شائعه شائعات ينفي تنفي نفي rumour rumours rumor denies",
    "تابين يرثي رثاء eulogy eulogises",
)
_AFTERMATH = max(_OCCASIONS.values()) + 1  # what followed an occasion ("hours after the death, the council met")
# death < burial < eulogy < condolence < rumour < what followed: the later occasion is the news
_PRIORITY = (1, 2, 5, 3, 4, _AFTERMATH)
# An occasion's noun a few words after one of these is the background of what the report tells
# ("بعد مرور ساعات قليلة على وفاة", "two days after the death of"). Verbs are left out: a report's
# own occasion may follow them ("بعد صراع طويل مع المرض توفي", after a long illness he died).
_AFTER = frozenset({"after", "following", "بعد", "عقب", "اثر"})
_AFTER_WORDS = 5
_OCCASION_NOUNS = ("وفاه", "نعي", "رحيل", "تشييع", "دفن", "مواراه", "جنازه", "تعزيه", "عزاء",
                   "death", "burial", "funeral", "condolences")  # fmt: skip


def _with_prefixes(words: Iterable[str]) -> dict[str, str]:
    """Each word, and each Arabic one also with a fused article, conjunction or preposition (the
    prefixes terms.stem strips): form → word."""
    bare = {word: word for word in words}
    return bare | {prefix + word: word for word in bare if not word.isascii() for prefix in AR_PREFIXES}


_OCCASION_WORDS = {form: _OCCASIONS[word] for form, word in _with_prefixes(_OCCASIONS).items()}
_NOUNS = frozenset(_with_prefixes(_OCCASION_NOUNS))
# Counted words that name no toll of their own: "injuring 153 people", "إصابة 153 شخصا" count the
# hurt. Read as the dead only when no toll verb stands before them.
_ANYONE_WORDS = "people persons شخص اشخاص"
# The tolls: the words after a count of the dead or of the hurt (folded spelling, stemmed below
# into one language-free context per row; see the module docstring).
_COUNTED = {
    "dead": "dead deaths killed lives victims fatalities bodies قتيل قتلي ضحيه ضحايا شهيد شهداء وفاه وفيات "
            + _ANYONE_WORDS,
    "hurt": "injured wounded hurt injuries جريح جرحي مصاب مصابين اصابه اصابات",
}
# ... and the words before a count that say what it counts when the words after it do not
# ("killing at least 22 and wounding 63 others", "أسفر عن مقتل 22"), over the qualifiers between.
_COUNTED_BEFORE = {
    "dead": "killing killed kills مقتل استشهاد قتل",
    "hurt": "wounding wounded injuring injured اصابه اصيب",
}
# Currencies: a number before one is a price, which disagrees with nothing (module docstring).
_PRICE_WORDS = ("dollar dollars pound pounds euro euros riyal riyals dirham dirhams dinar dinars lira yuan yen"
                " دولار دولارا دولارات جنيه جنيها جنيهات يورو ريال ريالا ريالات درهم دراهم درهما دينار دينارا"
                " دنانير ليره ليرات")
_QUALIFIERS = frozenset({"least", "nearly", "almost", "around", "approximately", "roughly",
                         "قرابه", "حوالي", "زهاء", "يقل"})  # fmt: skip
# Levantine months named with an ordinal; alone, كانون is read as January and تشرين as October.
_NAMED_WITH_ORDINAL = {"كانون": {"الاول": 12, "الثاني": 1}, "تشرين": {"الاول": 10, "الثاني": 11}}
_TEENS = frozenset({"عشر", "عشره"})  # الثانية عشرة: the twelfth
_SCALES = {"الف": 1e3, "الاف": 1e3, "thousand": 1e3, "مليون": 1e6, "ملايين": 1e6, "million": 1e6,
           "مليار": 1e9, "مليارات": 1e9, "billion": 1e9}
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_NUMBER = re.compile(r"(\d+(?:d\d+)?)(\D*)")
_CLITICS = "وبفل"  # a fused "and", "on", "so", "for" before a month or weekday
# Every word _marks_of reads a mark from, but numbers: the tables' words, bare or after a clitic.
_MARK_WORDS = frozenset((*_MONTHS, *_WEEKDAYS, *_ORDINALS, *_OCCASION_WORDS,
                         *(clitic + word for clitic in _CLITICS for word in (*_MONTHS, *_WEEKDAYS))))


def _stems(words: str) -> list[tuple[bool, str]]:
    """(Arabic?, stem) of each word of a table row: the tables mix the two languages."""
    return [(not word.isascii(), stem(word, "en" if word.isascii() else "ar")) for word in words.split()]


def _contexts(rows: dict[str, str]) -> dict[tuple[bool, str], int]:
    """(Arabic?, stem) of each word of the rows → its row's language-free context."""
    return {stemmed: key32("#" + counted) for counted, row in rows.items() for stemmed in _stems(row)}


_COUNTED_CONTEXTS, _COUNTED_BEFORE_CONTEXTS = _contexts(_COUNTED), _contexts(_COUNTED_BEFORE)
_LANGUAGE_FREE = frozenset(_COUNTED_CONTEXTS.values())
_PRICES = frozenset(key32(stemmed) for _, stemmed in _stems(_PRICE_WORDS))
_COUNTED_WORDS = frozenset(word for row in _COUNTED.values() for word in row.split())
_ANYONE = frozenset(stemmed for _, stemmed in _stems(_ANYONE_WORDS))


@dataclass(frozen=True)
class Facts:
    numbers: tuple[int, ...]  # lede << 63 | float32 bits of the value << 32 | context key (0: no context)
    marks: tuple[int, ...]  # kind << 12 | lede << 11 | value

    @classmethod
    def read(cls, folded: Sequence[str], lang: str) -> Facts:
        """Facts of the folded words of a headline and opening (terms.words)."""
        numbers: dict[int, bool] = {}  # value bits << 32 | context → named in the lede
        marks: dict[int, bool] = {}  # kind << 12 | value → named in the lede
        folded = [w[1:] if w[:1] in _CLITICS and w[1:2].isdigit() else w for w in folded]  # و171726: and 171726
        for at, word in enumerate(folded):
            digit = word[:1].isdigit()
            if not digit and word not in _MARK_WORDS:
                continue  # most words: neither a number nor a mark word (with or without a clitic)
            lede = at < LEDE_WORDS
            for mark in _marks_of(folded, at, word):
                marks[mark] = marks.get(mark, False) or lede
            if digit and len(numbers) < MAX_NUMBERS:
                number = _number(folded, at, lang)
                if number is not None:
                    numbers[number] = numbers.get(number, False) or lede
        packed = sorted(mark | (_LEDE_BIT if lede else 0) for mark, lede in marks.items())[:MAX_MARKS]
        return cls(tuple(n | (_LEDE_NUMBER if lede else 0) for n, lede in numbers.items()), tuple(packed))


def contradiction(a: Facts, b: Facts, same_language: bool, vetoes: Collection[str] = VETOES) -> str | None:
    """Why a and b cannot report one event (the first veto of `vetoes` that applies), or None."""
    if "number" in vetoes and _contexts_disagree(a.numbers, b.numbers, same_language):
        return "number"
    if "update" in vetoes and same_language and _one_updates_the_other(a.numbers, b.numbers):
        return "update"
    if "quantity" in vetoes and _near_values(a.numbers, b.numbers):
        return "quantity"
    for kind, name in enumerate(KINDS):
        if kind != OCCASION and name in vetoes and _both_name_their_own(a.marks, b.marks, kind):
            return name
    if "occasion" in vetoes and other_occasions(a.marks, b.marks):
        return "occasion"
    return None


def lede_counts(numbers: Iterable[int]) -> set[int]:
    """The numbers a lede states, each with its context (value bits << 32 | context; 0 where no word
    follows it, as in "died at 96."), prices aside (a rate of the hour). Two reports whose ledes
    state one ("cut by 2 million barrels", "raised by 600 basis points", "aged 96") agree on a fact,
    not only fail to contradict (index.py)."""
    return {n & ~_LEDE_NUMBER for n in numbers if n & _LEDE_NUMBER and n & _CONTEXT not in _PRICES}


def values(numbers: Iterable[int]) -> list[int]:
    """The value keys of numbers (language-free: equal values, equal keys)."""
    return [n >> 32 & VALUE_BITS for n in numbers]


def value_of(number: int) -> float:
    return float(struct.unpack("<f", struct.pack("<I", number >> 32 & VALUE_BITS))[0])


def _marks_of(folded: Sequence[str], at: int, word: str) -> list[int]:
    found = []
    bare = _bare(word)
    month = _month_at(folded, at, word)
    if month:
        found.append(MONTH << 12 | month)
        for near in _beside(folded, at):
            if _is_day(near):
                found.append(DATE << 12 | month * 32 + int(near))
    weekday = _WEEKDAYS.get(word) or _WEEKDAYS.get(bare)
    if weekday:
        found.append(WEEKDAY << 12 | weekday)
    occasion = _OCCASION_WORDS.get(word) if at < HEAD_WORDS else None
    if occasion:
        after = word in _NOUNS and any(w in _AFTER for w in folded[max(0, at - _AFTER_WORDS) : at])
        found.append(OCCASION << 12 | (_AFTERMATH if after else occasion))
    ordinal = _ORDINALS.get(word) if not _names_a_month(folded, at) else None
    if ordinal:
        teen = at + 1 < len(folded) and folded[at + 1] in _TEENS
        found.append(ORDINAL << 12 | (ordinal + 10 if teen else ordinal))
    match = _NUMBER.fullmatch(word)
    if match and match.group(1).isdigit():
        value, suffix = int(match.group(1)), match.group(2)
        if suffix in _ORDINAL_SUFFIXES and value < 100:
            found.append(ORDINAL << 12 | value)
        elif value in YEARS and suffix in ("", "م"):  # 2023م: the Gregorian year
            found.append(YEAR << 12 | value - _YEAR_BASE)
    return found


def _number(folded: Sequence[str], at: int, lang: str) -> int | None:
    """value bits << 32 | context of the number word at `at`; None for years, ordinals and a lone
    digit (days, ranks: they identify nothing), but "9 million" is a number."""
    match = _NUMBER.fullmatch(folded[at])
    if match is None:
        return None
    digits, suffix = match.group(1), match.group(2)
    if suffix in _ORDINAL_SUFFIXES or (digits.isdigit() and int(digits) in YEARS and suffix in ("", "م")):
        return None
    if _day_of_month(folded, at):
        return None  # a date (a DATE mark): "on June 22 killed 20 people" counts 20, not 22
    value = float(digits.replace("d", "."))
    following = [w for w in folded[at + 1 : at + 4] if not w[:1].isdigit()]
    if following and following[0] in _SCALES:
        value *= _SCALES[following.pop(0)]
    elif len(digits.replace("d", "")) < 2:
        return None
    context, stemmed = 0, ""
    if following and following[0] not in STOP.get(lang, ()) and len(following[0]) > 1:
        stemmed = stem(following[0], lang)
        context = _COUNTED_CONTEXTS.get((lang == "ar", stemmed)) or key32(stemmed)
        if context in _LANGUAGE_FREE and following[0][0] == "و" and following[0] not in _COUNTED_WORDS:
            context = 0  # a fused "and" opens the next clause's count ("مقتل 22 وإصابة 63"), not this one's
    if context not in _LANGUAGE_FREE or stemmed in _ANYONE:
        context = _counted_before(folded, at, lang) or context
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    return int(bits) << 32 | context


def _counted_before(folded: Sequence[str], at: int, lang: str) -> int:
    """The toll context of the word before a number, past function words and qualifiers; 0 if none."""
    stop = STOP.get(lang, frozenset())
    for word in reversed(folded[max(0, at - 4) : at]):
        if word in stop or word in _QUALIFIERS:
            continue
        return _COUNTED_BEFORE_CONTEXTS.get((lang == "ar", stem(word, lang)), 0)
    return 0


def _day_of_month(folded: Sequence[str], at: int) -> bool:
    """A day number beside a month name ("June 22", "22 يونيو"), as _marks_of reads a DATE."""
    return _is_day(folded[at]) and any(_month_of(near) for near in _beside(folded, at))


def _is_day(word: str) -> bool:
    return word.isdecimal() and 1 <= int(word) <= 31  # isdigit() would take "²²", which int() refuses


def _month_of(word: str) -> int | None:
    return _MONTHS.get(word) or _MONTHS.get(_bare(word))


def _month_at(folded: Sequence[str], at: int, word: str) -> int | None:
    """The month a word names, with the ordinal after a Levantine one ("كانون الثاني": January)."""
    named = _NAMED_WITH_ORDINAL.get(_bare(word))
    following = folded[at + 1] if at + 1 < len(folded) else ""
    return named[following] if named and following in named else _month_of(word)


def _names_a_month(folded: Sequence[str], at: int) -> bool:
    """The ordinal of a Levantine month's name ("تشرين الاول"), not a count of rounds."""
    named = _NAMED_WITH_ORDINAL.get(_bare(folded[at - 1]), {}) if at else {}
    return folded[at] in named


def _bare(word: str) -> str:
    """Without a fused "and", "on", "so" or "for" ("ويونيو" → "يونيو")."""
    return word[1:] if word[:1] in _CLITICS and len(word) > 3 else word


def _beside(folded: Sequence[str], at: int) -> tuple[str, str]:
    return folded[at - 1] if at else "", folded[at + 1] if at + 1 < len(folded) else ""


def _contexts_disagree(a: Sequence[int], b: Sequence[int], same_language: bool) -> bool:
    """Some context counted in both with no value in common ("292 أسيرا" / "314 أسيرا"); a round
    value agrees with the values it rounds ("more than 48,000 people" / "48,213 people"). A toll
    (_COUNTED) is compared in the ledes only, in any two languages: further down, reports cite
    earlier tolls and other incidents' ("19 were killed in a similar attack"). Prices never
    disagree (_PRICE_WORDS)."""
    if same_language:
        mine, theirs = _by_context(a), _by_context(b)
        if _never_meet(mine, theirs, (mine.keys() & theirs.keys()) - _LANGUAGE_FREE - _PRICES):
            return True
    mine, theirs = _by_context(a, lede_only=True), _by_context(b, lede_only=True)
    return _never_meet(mine, theirs, mine.keys() & theirs.keys() & _LANGUAGE_FREE)


def _never_meet(mine: dict[int, set[int]], theirs: dict[int, set[int]], contexts: Iterable[int]) -> bool:
    return any(not mine[c] & theirs[c] and not _any_rounds(mine[c], theirs[c]) for c in contexts)


def _any_rounds(mine: set[int], theirs: set[int]) -> bool:
    values = [(value_of(k << 32), value_of(j << 32)) for k in mine for j in theirs]
    return any(_rounded(x) != _rounded(y) and abs(x - y) <= NEAR_SHARE * max(x, y) for x, y in values)


def _rounded(value: float) -> bool:
    return value >= 100 and value % 100 == 0


def _by_context(numbers: Sequence[int], lede_only: bool = False) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for n in numbers:
        if n & 0xFFFFFFFF and (n & _LEDE_NUMBER or not lede_only):
            out.setdefault(n & 0xFFFFFFFF, set()).add(n >> 32 & VALUE_BITS)
    return out


def _one_updates_the_other(a: Sequence[int], b: Sequence[int]) -> bool:
    """One lede gives a count that the other report never states, and cites the other's lede
    count for the same thing after its lede: a later count quoting the earlier one ("8 dead ...
    yesterday the ministry gave 6 dead, 21 hurt" after "6 dead, 21 hurt"). A rewrite that adds
    the earlier toll after the same new one has no count of its own in its lede."""
    lede_a, lede_b = _by_context(a, lede_only=True), _by_context(b, lede_only=True)
    if not lede_a or not lede_b:
        return False
    all_a, all_b = _by_context(a), _by_context(b)
    return _updates(lede_a, all_a, lede_b, all_b) or _updates(lede_b, all_b, lede_a, all_a)


def _updates(later_lede: dict[int, set[int]], later_all: dict[int, set[int]], earlier_lede: dict[int, set[int]],
             earlier_all: dict[int, set[int]]) -> bool:  # fmt: skip
    return any(
        later_lede[c] - earlier_all[c] and earlier_lede[c] <= later_all[c] - later_lede[c]
        and not _any_rounds(later_lede[c], earlier_lede[c])
        for c in later_lede.keys() & earlier_lede.keys()
    )


def _near_values(a: Sequence[int], b: Sequence[int]) -> bool:
    """A large value of each side, absent from the other, within NEAR_SHARE of each other."""
    mine, theirs = set(values(a)), set(values(b))
    own = [v for v in (value_of(k << 32) for k in mine - theirs) if v >= NEAR_MIN and not _rounded(v)]
    if not own:
        return False
    other = [v for v in (value_of(k << 32) for k in theirs - mine) if v >= NEAR_MIN and not _rounded(v)]
    return any(abs(x - y) <= NEAR_SHARE * max(x, y) for x in own for y in other)


def _both_name_their_own(a: Sequence[int], b: Sequence[int], kind: int) -> bool:
    lede_a, all_a = _of_kind(a, kind)
    if not lede_a:
        return False
    lede_b, all_b = _of_kind(b, kind)
    if kind in (WEEKDAY, DATE):  # a day apart is not another day
        return _apart(lede_a, all_b, kind) and _apart(lede_b, all_a, kind)
    return bool(lede_a - all_b) and bool(lede_b - all_a)


def _apart(own: set[int], other: set[int], kind: int) -> bool:
    """Some day of `own` more than a day from every day of `other`: an event late on one day is
    reported the next ("late on Friday" / "announced on Saturday", "seized on 14 November" /
    "confirmed on 15 November")."""
    return any(all(_days_between(x, y, kind) > 1 for y in other) for x in own)


def _days_between(x: int, y: int, kind: int) -> int:
    gap = abs(x - y)  # a DATE is month * 32 + day: days of one month (another month is another MONTH)
    return min(gap, 7 - gap) if kind == WEEKDAY else gap


def other_occasions(a: Sequence[int], b: Sequence[int]) -> bool:
    """Both heads say what happened, and the latest occasion each names differs: a burial (whose
    head names the death too) is not the death it follows, nor are the condolences on it. On two
    reports' marks; the story stage compares the same latest occasions with a story's other reports
    (index.py)."""
    mine, theirs = latest_occasion(a), latest_occasion(b)
    return bool(mine and theirs) and mine != theirs


def latest_occasion(marks: Sequence[int]) -> int:
    """The latest occasion a report's head names (0: none). What followed an occasion is the
    report's only when its head names none of its own ("buried on Saturday after a funeral" is the
    burial)."""
    named = _of_kind(marks, OCCASION)[1]
    named = (named - {_AFTERMATH}) or named
    return max(named, key=_PRIORITY.index) if named else 0


def _of_kind(marks: Sequence[int], kind: int) -> tuple[set[int], set[int]]:
    every = {m & _VALUE_MASK for m in marks if m >> 12 == kind}
    lede = {m & _VALUE_MASK for m in marks if m >> 12 == kind and m & _LEDE_BIT}
    return lede, every
