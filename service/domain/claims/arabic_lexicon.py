"""Arabic reporting cues and the small word lists that delimit speakers; regexes compiled once."""

from __future__ import annotations

import re

from service.domain.claims.common import strip_diacritics

_MARKS = "[\u064b-\u0652\u0640]*"  # diacritics and tatweel may sit between any two letters
_VARIANTS = {"أ": "[أاإ]", "إ": "[إاأ]", "ى": "[ىي]", "ة": "[ةه]"}


def flex(word: str) -> str:
    """A regex for `word` tolerating diacritics, tatweel and hamza/alef-maqsura spelling variants."""
    return "".join(_VARIANTS.get(ch, re.escape(ch)) + _MARKS for ch in word)


# Finite reporting verbs: 3rd person past/present, m/f, singular/dual/plural.
VERBS: dict[str, tuple[str, ...]] = {
    "قال": ("قال", "قالت", "قالوا", "قالا", "قالتا", "يقول", "تقول", "يقولون", "يقولان"),
    "أضاف": ("أضاف", "أضافت", "أضافوا", "يضيف", "تضيف", "يضيفون"),
    "أكد": ("أكد", "أكدت", "أكدوا", "يؤكد", "تؤكد", "يؤكدون"),
    "أوضح": ("أوضح", "أوضحت", "أوضحوا", "يوضح", "توضح"),
    "أشار": ("أشار", "أشارت", "أشاروا", "يشير", "تشير", "يشيرون"),
    "كشف": ("كشف", "كشفت", "كشفوا", "يكشف", "تكشف"),
    "صرح": ("صرح", "صرحت", "صرحوا", "يصرح", "تصرح"),
    "أعلن": ("أعلن", "أعلنت", "أعلنوا", "يعلن", "تعلن"),
    "ذكر": ("ذكر", "ذكرت", "ذكروا", "يذكر", "تذكر"),
    "لفت": ("لفت", "لفتت", "لفتوا", "يلفت", "تلفت"),
    "تابع": ("تابع", "تابعت", "تابعوا"),
    "اعتبر": ("اعتبر", "اعتبرت", "اعتبروا", "يعتبر", "تعتبر", "يعتبرون"),
    "رأى": ("رأى", "رأت", "رأوا", "يرى", "ترى", "يرون"),
    "وصف": ("وصف", "وصفت", "وصفوا", "يصف", "تصف"),
    "حذر": ("حذر", "حذرت", "حذروا", "يحذر", "تحذر"),
    "نفى": ("نفى", "نفت", "نفوا", "ينفي", "تنفي"),
    "نقل": ("نقل", "نقلت", "نقلوا", "ينقل", "تنقل"),
    "شدد": ("شدد", "شددت", "شددوا", "يشدد", "تشدد"),
    "بين": ("بيّن", "بيّنت", "بيّنوا", "يبيّن"),  # shadda required: bare بين is "between"
    "زعم": ("زعم", "زعمت", "زعموا", "يزعم", "تزعم"),
    "أفاد": ("أفاد", "أفادت", "أفادوا", "يفيد", "تفيد"),
    "أردف": ("أردف", "أردفت"),
    "نوه": ("نوه", "نوهت"),
    "تحدث": ("تحدث", "تحدثت", "تحدثوا"),  # names a speaker, never introduces content itself
}
# Adverbial participles ("…، مضيفا أن") take the subject of the clause they hang on.
PARTICIPLES: dict[str, tuple[str, ...]] = {
    "أضاف": ("مضيفا", "مضيفة", "مضيفين"),
    "أكد": ("مؤكدا", "مؤكدة", "مؤكدين"),
    "أوضح": ("موضحا", "موضحة", "موضحين"),
    "أشار": ("مشيرا", "مشيرة", "مشيرين"),
    "لفت": ("لافتا", "لافتة", "لافتين"),
    "بين": ("مبينا", "مبينة", "مبينين"),
    "نفى": ("نافيا", "نافية"),
    "حذر": ("محذرا", "محذرة"),
    "اعتبر": ("معتبرا", "معتبرة"),
    "شدد": ("مشددا", "مشددة"),
    "قال": ("قائلا", "قائلة", "قائلين"),
    "كشف": ("كاشفا", "كاشفة"),
}
IMPERSONAL = {"يذكر", "يقال"}  # "ويذكر أن …" is the writer's aside, not a source's claim
SPEAKER_ONLY = {"تحدث"}
NOMINAL_OK = {"كشف", "أعلن", "أكد"}  # may take a noun-phrase object after "X، NAME،"
QUOTE_ONLY = {"تابع", "أردف"}  # "تابع" is also "followed": require ':' or a quotation


def _alternation(forms: dict[str, tuple[str, ...]]) -> str:
    all_forms = sorted({f for fs in forms.values() for f in fs}, key=len, reverse=True)
    return "|".join(flex(f) for f in all_forms)


CUE = re.compile(
    rf"(?<![\w\u064b-\u0652])(?P<conj>[وف]?)(?P<cue>{_alternation(VERBS)}|{_alternation(PARTICIPLES)})"
    rf"(?:[\u064b-\u0652])*(?![\w])"
)

_PRONOUN_SUFFIX = "(?:ه|ها|هم|هما|هن|نا|ني|كم)?"
# Complementiser that opens the reported content: إن/أن/بأن/إلى أن/على أن/من أن, or ':'.
COMPLEMENTISER = re.compile(
    rf"(?<![\w])(?:(?:[إا]لى|على|من)\s+)?ب?{flex('أ')}ن{_PRONOUN_SUFFIX}(?![\w])|:"
)
# Clause-initial attribution phrase: "وبحسب X، فإن …" / "وفقا لـ X، …" / "نقلا عن X".
# The conjunction و is its own group: "وفق" starts with و, so stripping it from the cue would give "فق".
ATTRIBUTION = re.compile(
    r"(?<![\w])(?P<conj>و)?(?P<cue>بحسب|حسب|وفقاً|وفقا|وفق|طبقاً|طبقا|نقلاً عن|نقلا عن)(?![\w])"
    r"\s*(?:ل(?:ـ)?)?"
)
# Pronominal attribution tails: "… على حد قوله" / "بحسب تعبيره" / "كما يقول".
PRONOUN_TAIL = re.compile(
    r"(?<![\w])(?:و)?(?:على حد (?:قوله|قولها|قولهم|تعبيره|تعبيرها)|(?:بحسب|حسب) "
    r"(?:تعبيره|تعبيرها|قوله|قولها|قولهم)|كما (?:يقول|تقول|قال|قالت|يقولون))(?![\w])"
)
CONTENT_LEAD = re.compile(rf"^\s*(?:ف{flex('إ')}ن{_PRONOUN_SUFFIX}|{flex('إ')}ن{_PRONOUN_SUFFIX})(?![\w])\s*")

# Words that end the speaker's noun phrase: time, venue, addressee, demonstratives.
TIME_WORDS = {
    "أمس", "اليوم", "مساء", "صباح", "يوم", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء",
    "الخميس", "الجمعة", "السبت", "خلال", "عقب", "أثناء", "عبر", "بعد", "قبل", "مؤخرا", "لاحقا",
}
VENUE_NOUNS = {
    "بيان", "تصريح", "تصريحات", "مؤتمر", "حديث", "مقابلة", "كلمة", "تغريدة", "منشور", "رسالة",
    "لقاء", "افتتاحيتها", "افتتاحيته", "اجتماع", "جلسة", "خطاب", "تقرير", "حوار", "ختام",
    "تدوينة", "بيانها", "بيانه", "وقت", "مقال", "تقريرها", "تقريره", "ندوة", "إفادة",
}
DEMONSTRATIVES = {"ذلك", "هذا", "هذه", "عن", "تلك"}
OUTLET_NOUNS = ("موقع", "صحيفة", "وكالة", "قناة", "شبكة", "تلفزيون", "إذاعة", "مجلة", "برنامج")
ADDRESSEE = re.compile(r"^ل(?:ـ|ل)?(?=[\"«“]|" + "|".join(OUTLET_NOUNS) + r"|صحفيين|صحافيين)")
# "مسؤول أمني طلب عدم الكشف عن هويته": the anonymity clause is not part of the speaker's name.
ANONYMITY = re.compile(
    r"\s+(?:طلب|طلبت|طلبوا|فضل|فضلت|فضلوا|رفض|رفضت|رفضوا)\s+(?:عدم\s+)?(?:الكشف|ذكر|نشر)(?![\w]).*$"
)
ANONYMITY_VERBS = {"طلب", "طلبت", "طلبوا", "فضل", "فضلت", "فضلوا", "رفض", "رفضت", "رفضوا"}
BAD_IN_SPEAKER = {"على", "إلى", "الى", "أن", "إن", "ان", "التي", "الذي", "الذين", "ما", "لا", "لم", "لن"}
TRAILING_CONNECTORS = re.compile(r"[\s،,]*(?:(?<![\w])(?:فيما|بينما|في حين|كما|حيث|و|ف)[\s،,]*)*$")
CONNECTORS = {"فيما", "بينما", "في", "حين", "كما", "لكن", "ولكن", "ثم", "بل", "و", "حيث", "إذ", "اذ"}
# Heads of noun phrases that can be a source in "بحسب X" (not "بحسب الخطة").
SOURCE_HEADS = re.compile(
    r"^(?:ال)?(?:" + "|".join(OUTLET_NOUNS) + r"|مصدر|مصادر|مسؤول|مسؤولين|مسؤولون|تقرير|بيان|دراسة"
    r"|وزارة|منظمة|هيئة|مكتب|متحدث|المتحدث|خبراء|خبير|شهود|مراسل|بيانات|إحصاء|أرقام|مركز|مرصد"
    r"|الأمم|البنك|صندوق|الجيش|الشرطة|الحكومة|الرئاسة|مجلس)"
)
# "التقرير الذي نشره موقع X" → "موقع X"; each optional part is a whole word (no half-eaten "الذي").
REPORT_OF = re.compile(
    r"^(?:ال)?(?:تقرير|بيان|دراسة|تصريحات|إحصاءات|بيانات)(?![\w])(?:\s+(?:(?:ال)?صادرة?|الذي|التي)(?![\w]))?"
    r"(?:\s+(?:عن|نشره|نشرته|أصدره|أصدرته)(?![\w]))?\s*"
)


def normalize(word: str) -> str:
    """Spelling-insensitive key: no diacritics, one alef, ي for ى, ه for ة."""
    bare = strip_diacritics(word)
    return bare.translate(_NORMALIZE)


_NORMALIZE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
_LEMMA_OF = {normalize(f): lemma for lemma, fs in VERBS.items() for f in fs}
_LEMMA_OF.update({normalize(f): lemma for lemma, fs in PARTICIPLES.items() for f in fs})
_PART_FORMS = {normalize(f) for fs in PARTICIPLES.values() for f in fs}


def lemma(form: str) -> str:
    return _LEMMA_OF.get(normalize(form), form)


def is_participle(form: str) -> bool:
    return normalize(form) in _PART_FORMS
