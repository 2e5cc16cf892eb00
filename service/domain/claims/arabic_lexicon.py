"""Arabic reporting cues and the small word lists that delimit speakers; regexes compiled once."""

from __future__ import annotations

import re

from service.domain.claims.common import strip_diacritics

_MARKS = "[\u064b-\u0652\u0640]*"  # diacritics and tatweel may sit between any two letters
_VARIANTS = {"أ": "[أاإ]", "إ": "[إاأ]", "ى": "[ىي]", "ة": "[ةه]"}


def _flex_char(ch: str, first: bool) -> str:
    if first and ch == "ا":  # a bare initial alef is often written with a hamza ("أعتبر" for "اعتبر")
        return "[اأإ]"
    return _VARIANTS.get(ch, re.escape(ch))


def flex(word: str) -> str:
    """A regex for `word` tolerating diacritics, tatweel and hamza/alef-maqsura spelling variants."""
    return "".join(_flex_char(ch, k == 0) + _MARKS for k, ch in enumerate(word))


_Trie = dict[str, "_Trie"]


def flex_any(words: list[str]) -> str:
    """`flex` of each word as one trie-shaped regex: shared prefixes are tried once (CUE runs on every word)."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for k, ch in enumerate(word):
            node = node.setdefault(_flex_char(ch, k == 0), {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        alts = [piece + _MARKS + emit(child) for piece, child in node.items() if piece]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


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
    # Verbs whose content is a noun phrase as often as a clause ("أعربت عن أسفها", "دعت إلى").
    "أعرب": ("أعرب", "أعربت", "أعربوا", "يعرب", "تعرب"),
    "ندد": ("ندد", "نددت", "نددوا", "يندد", "تندد"),
    "أدان": ("أدان", "أدانت", "أدانوا", "يدين", "تدين"),
    "جدد": ("جدد", "جددت", "جددوا", "يجدد"),  # not تجدد: "تجدد القصف" is "the shelling resumed"
    "دعا": ("دعا", "دعت", "يدعو", "تدعو"),
    "ناشد": ("ناشد", "ناشدت", "ناشدوا", "يناشد", "تناشد"),
    "طالب": ("طالب", "طالبت", "طالبوا", "يطالب", "تطالب"),  # bare طالب only as "وطالب" (else "a student")
    "رحب": ("رحب", "رحبت", "رحبوا", "يرحب", "ترحب"),
    "وعد": ("وعد", "وعدت", "وعدوا"),
    "تعهد": ("تعهد", "تعهدت", "تعهدوا", "يتعهد", "تتعهد"),
    "أبدى": ("أبدى", "أبدت", "أبدوا", "يبدي", "تبدي"),
    "نعى": ("نعى", "نعت", "ينعى", "تنعى"),
    "ختم": ("ختم", "ختمت", "اختتم", "اختتمت"),
    "أشاد": ("أشاد", "أشادت", "أشادوا", "يشيد", "تشيد"),
    "توقع": ("توقع", "توقعت", "توقعوا", "يتوقع", "تتوقع"),
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
    "أعلن": ("معلنا", "معلنة"),
    "نوه": ("منوها", "منوهة"),
    "أشاد": ("مشيدا", "مشيدة"),
    "ادعى": ("مدعيا", "مدعية"),
    "أعرب": ("معربا", "معربة", "معربين"),
    "ندد": ("منددا", "منددة"),
    "جدد": ("مجددا", "مجددة"),
    "دعا": ("داعيا", "داعية", "داعين"),
    "ناشد": ("مناشدا", "مناشدة"),
    "طالب": ("مطالبا", "مطالبة", "مطالبين"),
    "رحب": ("مرحبا", "مرحبة"),
    "تعهد": ("متعهدا", "متعهدة"),
}
IMPERSONAL = {"يذكر", "يقال", "يتوقع"}  # "ويذكر أن …", "ويتوقع أن …": the writer's aside, not a source's
# Forms that are also common nouns: a cue only with a conjunction ("وطالب المحتجون", not "طالب جامعي").
NEEDS_CONJUNCTION = {"طالب"}
SPEAKER_ONLY = {"تحدث"}
QUOTE_ONLY = {"تابع", "أردف", "ختم"}  # "تابع" is also "followed": require ':' or a quotation
# What may open a noun-phrase object after the speaker ("أعلن X عن …", "أشار إلى …", "أفاد بتمكنه").
OBJECT_PARTICLES: dict[str, tuple[str, ...]] = {
    "أعلن": ("عن",), "كشف": ("عن",), "أعرب": ("عن",), "أكد": ("على",), "شدد": ("على",),
    "أشار": ("إلى",), "لفت": ("إلى",), "نوه": ("إلى", "ب"), "دعا": ("إلى",), "حذر": ("من",), "أشاد": ("ب",),
    "ندد": ("ب",), "رحب": ("ب",), "وعد": ("ب",), "تعهد": ("ب",), "أفاد": ("ب",), "طالب": ("ب",),
    "ناشد": (),
}
# Verbs whose object may be a bare noun phrase ("أعلنت الوزارة، الأحد، مقتل …", "أكد دعمه …").
BARE_OBJECT = {
    "أعلن", "أكد", "نفى", "أبدى", "أدان", "جدد", "ندد", "نعى", "كشف", "أعرب", "ناشد", "دعا", "طالب", "توقع",
}
# Verbs with other senses take a bare quotation only with ':' ("يعتبر من "…"" is "counts among").
NO_QUOTE_OBJECT = {"اعتبر", "رأى", "وصف", "تحدث", "نقل", "زعم"}
# Their object opens with the addressee: a participle's whole phrase is content ("داعية المجتمع الدولي إلى …").
ADDRESSEE_OBJECT = {"دعا", "ناشد", "طالب"}



_CUE_FORMS = sorted({f for forms in (VERBS, PARTICIPLES) for fs in forms.values() for f in fs})
CUE = re.compile(rf"(?<![\w\u064b-\u0652])(?P<conj>[وف]?)(?P<cue>{flex_any(_CUE_FORMS)})(?![\w])")

_PRONOUN_SUFFIX = "(?:ه|ها|هم|هما|هن|نا|ني|كم)?"
# Complementiser that opens the reported content: إن/أن/بأن/إلى أن/على أن/من أن, or ':'.
COMPLEMENTISER = re.compile(
    rf"(?<![\w])(?:(?:[إا]لى|على|من)\s+)?ب?{flex('أ')}ن{_PRONOUN_SUFFIX}(?![\w])|:"
)
# Attribution phrase: "وبحسب X، فإن …" / "وفقا لـ X، …" / "نقلا عن X", and with a verb of saying,
# "وفق ما أعلنه X" / "حسبما أفاد X" / "على ما أعلن X" (which may open or close the clause).
# The conjunction و is its own group: "وفق" starts with و, so stripping it from the cue would give "فق".
_SAID = "(?:" + "|".join(flex(v) for v in (
    "أعلن", "أفاد", "ذكر", "قال", "أكد", "أورد", "نقل", "نشر", "أوضح", "صرح", "كشف", "بث", "أظهر", "جاء"
)) + ")(?:ت|وا)?(?:ه|ها)?"
ATTRIBUTION = re.compile(
    rf"(?<![\w])(?P<conj>و)?(?P<cue>(?:(?:بحسب|حسب|وفقاً|وفقا|وفق|طبقاً|طبقا|على)\s+ما|حسبما|بحسبما|وفقما)\s+{_SAID}"
    r"|بحسب|حسب|وفقاً|وفقا|وفق|طبقاً|طبقا|نقلاً عن|نقلا عن)(?![\w])"
    r"\s*(?:ل(?:ـ)?)?"
)
# The statement itself as the source: "وجاء في بيان صادر عن X: …", "جاء فيه: …".
STATEMENT = re.compile(r"(?<![\w])(?P<cue>(?:و|ف)?جاء\s+(?:فيه|فيها|في))(?![\w])")
# Pronominal attribution tails: "… على حد قوله" / "بحسب تعبيره" / "كما يقول".
PRONOUN_TAIL = re.compile(
    r"(?<![\w])(?:و)?(?:على حد (?:قوله|قولها|قولهم|تعبيره|تعبيرها)|(?:بحسب|حسب) "
    r"(?:تعبيره|تعبيرها|قوله|قولها|قولهم)|كما (?:يقول|تقول|قال|قالت|يقولون))(?![\w])"
)
CONTENT_LEAD = re.compile(rf"^\s*(?:ف{flex('إ')}ن{_PRONOUN_SUFFIX}|{flex('إ')}ن{_PRONOUN_SUFFIX})(?![\w])\s*")

# Words that end the speaker's noun phrase: time, venue, addressee, demonstratives.
TIME_WORDS = {
    "أمس", "امس", "اليوم", "مساء", "صباح", "يوم", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء",
    "الخميس", "الجمعة", "السبت", "خلال", "عقب", "أثناء", "عبر", "بعد", "قبل", "مؤخرا", "لاحقا",
    "وقتها", "حينها", "حينذاك", "آنذاك", "الماضي", "الماضية", "المقبل", "الجاري", "ظهر", "فجر",
}
VENUE_NOUNS = {
    "بيان", "تصريح", "تصريحات", "مؤتمر", "حديث", "مقابلة", "كلمة", "تغريدة", "منشور", "رسالة",
    "لقاء", "افتتاحيتها", "افتتاحيته", "اجتماع", "جلسة", "خطاب", "تقرير", "حوار", "ختام",
    "تدوينة", "بيانها", "بيانه", "وقت", "مقال", "تقريرها", "تقريره", "ندوة", "إفادة", "اتصال",
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
    r"|الأمم|البنك|صندوق|الجيش|الشرطة|الحكومة|الرئاسة|مجلس|ديوان|شركة|ذات|جهاز|لجنة|قوات|السلطات)"
)
# "التقرير الذي نشره موقع X" → "موقع X"; each optional part is a whole word (no half-eaten "الذي").
REPORT_OF = re.compile(
    r"^(?:ال)?(?:تقرير|بيان|دراسة|تصريحات|إحصاءات|بيانات|بث)(?![\w])(?:\s+(?:(?:ال)?صادرة?|الذي|التي)(?![\w]))?"
    r"(?:\s+(?:عن|نشره|نشرته|أصدره|أصدرته|نقله|نقلته|بثه|بثته)(?![\w]))?\s*"
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


# -- noun-phrase objects -------------------------------------------------------------------------

def _keys(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


# Words that make a following particle part of the speaker ("المسؤول عن الملف", "بيان صادر عن …").
GOVERNS_PARTICLE = _keys("صادر الصادر صادرة الصادرة مسؤول المسؤول مسؤولة المسؤولة نقلا نقلاً نيابة بدلا فضلا عوضا")
# Verbal nouns that open the object of an announcement ("أعلن وزير الداخلية وفاة …"), with or
# without a possessive ("دعمه", "أسفها"). Not heads that also name bodies (إدارة، قيادة، حركة، حالة).
MASDARS = _keys(
    "وفاة مقتل استشهاد إصابة احتجاز اعتقال توقيف ضبط تفكيك إحباط نجاح فشل بدء انطلاق إطلاق ارتفاع "
    "انخفاض تراجع زيادة خفض تمديد تأجيل إلغاء تعليق استئناف وقف انسحاب عزم رفض قبول موافقة دعم تأييد "
    "ترحيب إدانة استنكار أسف شكر قلق تضامن حرص التزام استعداد فوز خسارة توقيع تعيين إقالة استقالة "
    "تسجيل رصد وصول مغادرة سقوط تدمير استهداف إسقاط اعتراض إغلاق افتتاح إنشاء إقامة إجراء إرسال "
    "تقديم منح تخصيص فرض رفع إخلاء نزوح مصرع غرق اندلاع انتهاء وجود عدم ضرورة أهمية تحرير استعادة "
    "سيطرة تحويل تسليم إعادة توصل إنهاء تعزيز دعوة مطالبة تحذير نفي تأكيد تشكيل تعطيل تنكيس إخماد "
    "انتشال إنقاذ إجلاء تمسك اعتزاز تقدير ارتياح استياء غضب تنديد أمل ثقة تطلع حزن نمو محاسبة مواصلة"
)
# ب-phrases after a speaker that are adverbials, not the object of أفاد/رحب/ندد.
B_ADVERBIALS = _keys(
    "باسم بن بنت بين بعد بعض بشأن بسبب بحسب بدون بلا برئاسة بحضور بمشاركة بشكل بصفته بصفتها "
    "بالتزامن بالإضافة بالاضافة بالتنسيق بالتعاون بالقرب بالنسبة بالرغم بناء بمناسبة بعنوان"
)
_POSSESSIVE = re.compile("(?:ه|ها|هم|هما|نا)$")  # matched before normalising: ة is not ه


def is_masdar(word: str) -> bool:
    """A verbal noun from the list, bare or with a possessive ('إصابته' → إصابة)."""
    bare = strip_diacritics(word)
    if normalize(bare) in MASDARS:
        return True
    suffix = _POSSESSIVE.search(bare)
    if suffix is None or suffix.start() < 3:
        return False
    base = bare[:suffix.start()]
    return normalize(base) in MASDARS or (base.endswith("ت") and normalize(base[:-1] + "ة") in MASDARS)


def is_b_object(word: str) -> bool:
    """'بتمكنه', 'بالقرار', 'بإجراء تحقيق': a ب-object of أفاد/رحب/وعد, not 'باسم' or 'بن'."""
    bare = strip_diacritics(word).replace("ـ", "")
    if not bare.startswith("ب") or normalize(bare) in B_ADVERBIALS:
        return False
    rest = bare[1:]
    return (rest.startswith("ال") and len(rest) > 4) or is_masdar(rest) or (
        len(rest) >= 4 and rest.startswith(_MASDAR_LEADS)  # "بمحاسبة", "بتمكنه", "بإجراء", "بانسحاب"
    )


# First letters of derived verbal nouns (مفاعلة، تفعيل، إفعال، افتعال، استفعال); "بلفور" is not one.
_MASDAR_LEADS = ("م", "ت", "إ", "ا")
