"""Words of institution names and titles that one language translates and the other writes.

"وزارة شؤون الرئاسة" is "Ministry of Presidential Affairs", "وكالة أنباء الإمارات" the "Emirates
News Agency": agencies, ministries and councils are named in words of each language, so their
consonant skeletons (names.py) never meet. Each word here, in either language, stands for one
concept, and a name word found here is keyed by its concept instead of its skeleton. Only words
of names are looked up (entity surfaces, not running text), so "foreign" or خارجية count only
where they name a ministry. The words are common; the index weighs each key by its rarity, so a
shared "ministry" weighs little and "ministry + presidential + affairs" a good deal.

Arabic forms are written folded (names.fold_surface: one alef, ه for ة, ي for ى) and without the
article: names.py takes the article (and a و ب ف ل before it) or a bare leading و off before
looking a word up.
"""

from __future__ import annotations

from types import MappingProxyType

# concept: (Arabic forms, English forms). A form belongs to one concept only.
_CONCEPTS: dict[str, tuple[str, str]] = {
    "ministry": ("وزاره وزارات", "ministry ministries"),
    "minister": ("وزير وزيره وزراء", "minister ministers"),
    "foreign": ("خارجيه", "foreign"),
    "interior": ("داخليه", "interior"),
    "defence": ("دفاع", "defence defense"),
    "health": ("صحه", "health"),
    "finance": ("ماليه", "finance"),
    "economy": ("اقتصاد", "economy economic"),
    "justice": ("عدل", "justice"),
    "energy": ("طاقه", "energy"),
    "oil": ("نفط بترول", "oil petroleum"),
    "affairs": ("شوون شؤون", "affairs"),
    "presidency": ("رئاسه", "presidency presidential"),
    "president": ("رئيس", "president"),
    "news": ("انباء اخبار", "news"),
    "agency": ("وكاله", "agency"),
    "press": ("صحافه", "press"),
    "court": ("ديوان", "court diwan"),
    "tribunal": ("محكمه", "tribunal"),
    "royal": ("ملكي", "royal"),
    "amiri": ("اميري", "amiri emiri"),
    "prince": ("امير", "emir amir prince"),
    "king": ("ملك", "king"),
    "council": ("مجلس", "council"),
    "security": ("امن", "security"),
    "national": ("وطني قومي", "national"),
    "authority": ("هيئه سلطه", "authority"),
    "organisation": ("منظمه", "organisation organization"),
    "world": ("عالمي عالميه", "world"),
    "union": ("اتحاد", "union"),
    "league": ("جامعه", "league"),
    "arab": ("عربي عربيه", "arab"),
    "united": ("متحده", "united"),
    "nations": ("امم", "nations"),
    "army": ("جيش", "army"),
    "forces": ("قوات", "forces"),
    "armed": ("مسلحه", "armed"),
    "rapid": ("سريع سريعه", "rapid"),
    "support": ("دعم", "support"),
    "central": ("مركزي", "central"),
    "bank": ("بنك مصرف", "bank"),
    "reserve": ("احتياطي", "reserve"),
    "federal": ("فيدرالي اتحادي", "federal"),
    "crescent": ("هلال", "crescent"),
    "parliament": ("برلمان", "parliament"),
    "kingdom": ("مملكه", "kingdom"),
    "republic": ("جمهوريه", "republic"),
    "islamic": ("اسلامي اسلاميه", "islamic"),
    "revolutionary": ("ثوري ثوريه", "revolutionary"),
    "guard": ("حرس", "guard guards"),
    "police": ("شرطه", "police"),
    "civil": ("مدني مدنيه", "civil"),
    "emergency": ("طوارئ", "emergency emergencies"),
    "committee": ("لجنه", "committee"),
    "office": ("مكتب", "office"),
    "government": ("حكومه", "government"),
    "state": ("دوله", "state"),
    "countries": ("دول", "countries states"),
    "exporting": ("مصدره", "exporting"),
    "cooperation": ("تعاون", "cooperation"),
    "gulf": ("خليج", "gulf"),
    "church": ("كنيسه", "church"),
    "pope": ("بابا", "pope"),
    "mosque": ("مسجد جامع", "mosque"),
    "supreme": ("اعلى", "supreme"),
    "general": ("عام عامه", "general"),
}


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for concept, (arabic, english) in _CONCEPTS.items():
        for form in (*arabic.split(), *english.split()):
            if table.setdefault(form, concept) != concept:
                raise ValueError(f"glossary form {form!r} belongs to two concepts")
    return table


GLOSSARY = MappingProxyType(_table())
