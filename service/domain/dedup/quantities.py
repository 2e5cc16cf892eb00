"""Words that state a quantity or a date without digits: ordinals and month names.

Wire templates are reused from one event to the next with only these changed ("the eighth relief
plane" / "the tenth", "extended until the end of September" / "of August"), so the numbers guard
reads them as numbers. Keys are in the fingerprint's normal form (alef, ya and ta marbuta folded,
lower case); values are what two texts must agree on.
"""

from __future__ import annotations

_AR_ORDINALS = {
    "الاول": 1, "الاولي": 1, "الثاني": 2, "الثانيه": 2, "الثالث": 3, "الثالثه": 3, "الرابع": 4, "الرابعه": 4,
    "الخامس": 5, "الخامسه": 5, "السادس": 6, "السادسه": 6, "السابع": 7, "السابعه": 7, "الثامن": 8,
    "الثامنه": 8, "التاسع": 9, "التاسعه": 9, "العاشر": 10, "العاشره": 10, "الحادي": 11, "الحاديه": 11,
}  # fmt: skip
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_MONTHS = {
    # Egyptian/Gulf, Levantine and English month names; Levantine names are two words at most
    # ("كانون الثاني"): the first word with its neighbour is the context, which is enough.
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يوليو": 7, "اغسطس": 8,
    "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5,
    "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9, "january": 1, "february": 2, "march": 3, "april": 4,
    "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
# A clitic before a month or an ordinal ("وفي سبتمبر" is two words; "لشهر" is context) is left
# alone: only whole words count, so "ابريل" inside a name is not a date.
QUANTITY_WORDS: dict[str, str] = {
    **{word: f"ord{value}" for word, value in (_AR_ORDINALS | _EN_ORDINALS).items()},
    **{word: f"month{value}" for word, value in _MONTHS.items()},
}

# The numbers guard keeps each month or ordinal of the opening under one of these contexts
# (values no CRC-32 of a real four-word context is likely to take), the lede's apart.
LEDE_WORDS = 60
DATELINE_WORDS = 8
LEDE_MARK = 0xFFFFFFF1
OPENING_MARK = 0xFFFFFFF2
