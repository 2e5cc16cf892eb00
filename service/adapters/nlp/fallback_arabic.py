"""Arabic rules of the fallback NER, tried in this order at each word:

1. gazetteer names, longest match, a clitic allowed on the first word (وإسرائيل); a country
   takes its official adjectives (روسيا الاتحادية), a definite organisation its nisba (الحرس
   الثوري الإيراني), a lone given name its surname (وليد جنبلاط);
2. a role, its modifiers, then a name → PER, with what stood between them: "المتحدث باسم الجيش
   الإسرائيلي دانيال هاغاري" gives the ORG and the PER, "الرئيس الأمريكي جو بايدن" a MISC;
3. head words: organisations (وزارة الخارجية القطرية، الحكومة العراقية، المنظمة العالمية للأرصاد
   الجوية), states (دولة الكويت، المملكة الأردنية الهاشمية), places (مطار حلب الدولي، مدينة درنة →
   درنة), events (كأس العالم، القمة العربية);
4. a known given name and the words of the name after it (جمال خاشقجي، علي الصادق);
5. nisba adjectives and group nouns of nations and faiths → MISC (الأمريكي، الإسرائيلية،
   الفلسطينيين، مسيحيين), derived from country names, so every country has one;
6. Latin acronyms in Arabic text (CNN) → ORG.
"""

from __future__ import annotations

from functools import lru_cache

from service.adapters.nlp.fallback_rules import Found, RuleExtractor, Word
from service.adapters.nlp.gazetteer import WORD_CACHE_SIZE, Gazetteer
from service.domain.entities.mentions import is_arabic_letter
from service.domain.records import EntityLabel, Mention

_MAX_NAME_WORDS = 4  # not counting particles: "صباح الأحمد الجابر الصباح", "خليفة بن زايد آل نهيان"
_MAX_MODIFIERS = 8  # words between a role and its name: "الأمين العام للمنظمة العالمية للأرصاد الجوية"
_NISBA_ENDINGS = ("يين", "يون", "يان", "يتين", "يات", "ية", "يه", "ي")
_PLURAL_ENDINGS = ("ات", "ية", "يه", "ين", "ون")  # ال-words so ending are objects, not family names
_PRONOUN_SUFFIXES = ("ه", "ها", "هم", "هما", "هن")


def _adjective_shaped(key: str) -> bool:
    """Indefinite adjectives: nisba (عسكرية، أساسي), participles (محاصرة، منكوبة), فاعلة (شاسعة)."""
    if key.endswith(("ية", "يه")) or _is_nisba_shaped(key) or (key.endswith("ي") and len(key) > 3):
        return True
    return key.endswith("ة") and (key.startswith("م") or (len(key) == 5 and key[1] == "ا"))


def _verb_shaped(word: Word, position: int) -> bool:
    """Not a name word: "الشيخ صباح دخل", "السيسي تتناول", "تميم أجرى", "عقد الرئيس اجتماعا",
    "نواف الأحمد لممارسة", "أمره", "مدير عام منظومة الصناعات"."""
    key, surface = word.key, word.surface
    if key.startswith("و") or "\u064b" in surface:
        return True  # "نتانياهو وبايدن": a conjunction starts another phrase; tanween: "قائلاً"
    if position != 1 and key.endswith("ا"):
        return True  # accusative nouns after a name or role: "اجتماعا"
    if len(key) > 3 and key.endswith(_PRONOUN_SUFFIXES):
        return True  # "أمره", "لشعبه", "حياته": a noun with a pronoun
    if key.startswith(("بال", "لل", "كال", "بب")) or (position and key.startswith(("ل", "ب")) and key.endswith("ة")):
        return True  # a preposition and its noun: "بالملك", "لممارسة"
    present = key.startswith(("ي", "ت")) and key[1:2] not in ("ا", "ي")  # not تالاس، تيدروس
    if position and (len(key) == 3 or present or (surface[0] == "أ" and len(key) == 4)):
        return True  # past and present verbs: دخل، يلتقي، تتناول، أجرى
    return surface[0] == "ا" and len(key) > 4 and not key.startswith("ال")  # انتقل، استقبل، اجتماع


def _definite(key: str) -> bool:
    """A word with the article (not the family particle آل, normalised to ال)."""
    return key.startswith("ال") and len(key) > 3


def _is_nisba_shaped(key: str) -> bool:
    """Arabic relational adjective with the article: الأمريكي، الإسرائيلية، الدولي."""
    return key.startswith("ال") and len(key) > 4 and key.endswith(("ي", "ية", "يه"))


class ArabicExtractor(RuleExtractor):
    cue_kinds = ("org", "org_definite", "state", "state_definite", "place", "area", "event", "event_definite", "media")
    _HEADS = ("org", "org_definite", "state", "place", "area", "event")

    def __init__(self, gazetteer: Gazetteer) -> None:
        super().__init__(gazetteer, "ar")
        self._nisba = gazetteer.nisba_ar
        self._not_nisba = self.cues["not_nisba"]
        names = self.lists.names
        self._places_and_bodies = frozenset(k[0] for k, (label, _) in names.items() if len(k) == 1 and label != "PER")
        # bounded like every per-word memo (see gazetteer.WORD_CACHE_SIZE)
        self.group_adjective = lru_cache(maxsize=WORD_CACHE_SIZE)(self._group_adjective)

    def _group_adjective(self, key: str) -> bool:
        """A nisba of a nation, region or faith in any number or gender: الفلسطينيين، سعودية."""
        if key in self._not_nisba or len(key) < 4:
            return False
        for base in (key[2:], key) if key.startswith("ال") else (key,):
            for ending in _NISBA_ENDINGS:
                if base.endswith(ending) and len(base) > len(ending) + 1:
                    if base[: -len(ending)] + "ي" in self._nisba:
                        return True
                    break
        return False

    def stem_cues(self, stem: str) -> list[str]:
        kinds = super().stem_cues(stem)
        if self.group_adjective(stem):
            kinds.append("group")
        if stem == "ابو" or (stem.startswith("عبد") and len(stem) > 4):
            kinds.append("given")  # "أبو أيمن الراوي", "عبدالله"
        return kinds

    def rules_at(self, text: str, words: list[Word], i: int) -> Found | None:
        if not self.word_cues(words[i].key):  # most words: no rule can start there
            return self._latin_acronym(words, i) if words[i].surface.isascii() else None
        return (
            self._state(text, words, i)
            or self._gazetteer_name(text, words, i)
            or self._role_person(text, words, i)
            or self._organisation(text, words, i)
            or self._media(text, words, i)
            or self._place(text, words, i)
            or self._event(text, words, i)
            or self._given_name(text, words, i)
            or self._group(words, i)
            or self._latin_acronym(words, i)
        )

    def surname_keys(self, name: list[str]) -> set[str]:
        keys = super().surname_keys(name)
        return set() if keys & (self.cues["ordinals"] | self.lists.stopwords) else keys

    # -- small tests ---------------------------------------------------------------------
    def _adjective(self, word: Word, extra: frozenset[str]) -> bool:
        return _is_nisba_shaped(word.key) or word.key in extra or self.group_adjective(word.key)

    def _adjectives(self, text: str, words: list[Word], j: int, extra: frozenset[str], most: int = 3) -> int:
        """Index of the last of up to `most` adjectives after word j (j itself if none)."""
        taken = 0
        while taken < most and self.adjacent(text, words, j) and self._adjective(words[j + 1], extra):
            j, taken = j + 1, taken + 1
        return j

    def _plain(self, word: Word) -> bool:
        """Could be part of a name: an Arabic word, no stopword, number or trigger."""
        key = word.key
        return (
            is_arabic_letter(word.surface[0])
            and key not in self.lists.stopwords
            and key not in self.cues["not_names"]
            and (key,) not in self.lists.roles
        )

    def _head(self, word: Word) -> bool:
        cues = self.word_cues(word.key)
        return any(kind in cues for kind in self._HEADS)

    def _mention(self, words: list[Word], i: int, offset: int, j: int, label: EntityLabel) -> Mention:
        return Mention(words[i].start + offset, words[j].end, label)

    # -- 1. gazetteer --------------------------------------------------------------------
    def _gazetteer_name(self, text: str, words: list[Word], i: int, titled: bool = False) -> Found | None:
        found = self.name_at(text, words, i)
        if not found:
            return None
        size, offset, key = found
        label, fine = self.lists.names[key]
        j = i + size - 1
        if label == "LOC":
            while self.adjacent(text, words, j) and words[j + 1].key in self.cues["loc_adjectives"]:
                j += 1
        elif label == "ORG" and size > 1 and key[0].startswith("ال"):
            while self.adjacent(text, words, j) and self.group_adjective(words[j + 1].key):
                j += 1
        elif label == "PER" and size == 1 and key[0] in self.lists.given_names:
            j += self._name_after(text, words, j + 1, after_given=key[0], titled=titled)
        return [Mention(words[i].start + offset, words[j].end, label, fine)], j + 1

    # -- 2. roles ------------------------------------------------------------------------
    def _role_person(self, text: str, words: list[Word], i: int) -> Found | None:
        role = self.role_at(text, words, i)
        if not role:
            return None
        found: list[Mention] = []
        j = i + role[0]
        for _ in range(_MAX_MODIFIERS):
            if not self.adjacent(text, words, j - 1):
                return found, j
            word = words[j]
            if word.key in self.cues["role_modifiers"]:
                j += 1
                continue
            if self.group_adjective(word.key):
                found.append(Mention(word.start, word.end, "MISC", "NORP"))
                j += 1
                continue
            name = self.name_at(text, words, j)
            if name and self.lists.names[name[2]][0] == "PER":
                person = self._gazetteer_name(text, words, j, titled=True)
                assert person is not None
                return found + person[0], person[1]
            inner = self._gazetteer_name(text, words, j) if name else self._organisation(text, words, j)
            inner = inner or self._state(text, words, j)
            if inner:
                found += inner[0]
                j = inner[1]
                continue
            another = self.role_at(text, words, j)
            if another:
                j += another[0]
                continue
            if word.key.startswith(("ال", "لل")) or (word.key.startswith("ل") and len(word.key) > 4):
                j += 1  # "للمنظمة", "العام": part of the role's description
                continue
            break
        size = self._name_after(text, words, j) if j < len(words) and self.adjacent(text, words, j - 1) else 0
        if size:
            found.append(Mention(words[j].start, words[j + size - 1].end, "PER"))
        return found, j + size

    def _name_after(
        self, text: str, words: list[Word], j: int, after_given: str | None = None, titled: bool = False
    ) -> int:
        """How many words from j form a person's name (0 if none); `after_given`: the given name
        just before j, so j continues a name instead of starting one; `titled`: a role came first."""
        particles = self.cues["name_particles"]
        count = named = 0
        while j + count < len(words) and named < _MAX_NAME_WORDS - (after_given is not None):
            word, position = words[j + count], count + (after_given is not None)
            key = word.key
            if count and not self.adjacent(text, words, j + count - 1):
                break
            previous = words[j + count - 1].key if count else after_given
            untitled_common = not (count or titled) and after_given in self.cues["common_given_names"]
            if previous in particles:  # "بن سلطان", "عبد الله": any word but a stopword
                if key in self.lists.stopwords or key.isdigit() or not is_arabic_letter(word.surface[0]):
                    break
            elif self._ends_name(text, words, j + count, position, untitled_common):
                break
            count += 1
            named += key not in particles
            if key in self.cues["ordinals"] or previous == "ال":
                break  # "عبد الله الثاني", "تميم بن حمد آل ثاني": an ordinal or family name ends it
        while count and words[j + count - 1].key in particles:
            count -= 1
        return count

    def _ends_name(self, text: str, words: list[Word], j: int, position: int, untitled_common: bool) -> bool:
        """Whether word j, at `position` in a name, is no part of it. An ال- word after a name is
        a family name (الصباح، البرهان) unless it starts the name, is a plural or feminine noun
        (العلاقات), or follows an untitled given name that is also a common word ("جمال الطبيعة";
        "الوزير كريم الراوي" has a title)."""
        word = words[j]
        key = word.key
        if not self._plain(word) or key.isdigit() or self._head(word) or self.group_adjective(key):
            return True
        if key in self._places_and_bodies:
            return True  # "… بدور العراق": a known place or body is not a family name
        if key.startswith("ال") and (not position or key.endswith(_PLURAL_ENDINGS) or untitled_common):
            return True
        if key in self.lists.given_names or key in self.cues["name_particles"]:
            return False
        if not position and key.endswith("ة") and self.adjacent(text, words, j) and _definite(words[j + 1].key):
            return True  # a noun in construct after a role: "مدير عام منظومة الصناعات"
        return _verb_shaped(word, position)

    # -- 3. head words -------------------------------------------------------------------
    def _organisation(self, text: str, words: list[Word], i: int) -> Found | None:
        construct = self.cue(words[i], "org")
        definite = None if construct is not None else self.cue(words[i], "org_definite")
        if (construct is None and definite is None) or not self.adjacent(text, words, i):
            return None
        extra = self.cues["org_adjectives"]
        if construct is not None:
            first = words[i + 1]
            if not self._plain(first) or first.key.isdigit() or self.name_at(text, words, i + 1):
                return None  # "حركة حماس": the name itself is the entity (rule 1, next step)
            if self._not_a_genitive(first):
                return None
            j = i + 1
            nxt = words[j + 1] if self.adjacent(text, words, j) else None
            if nxt and not first.key.startswith("ال") and _definite(nxt.key) and self._plain(nxt):
                j += 1  # a genitive chain: "وزارة شؤون الرئاسة", "مجلس حكماء المسلمين"
            j = self._adjectives(text, words, j, extra)
            return [self._mention(words, i, construct, j, "ORG")], j + 1
        j = self._adjectives(text, words, i, extra)
        if j == i:
            return None  # "الحكومة" alone is no name; "الحكومة العراقية" is
        stem = self.word_cues(words[i].key)["org_definite"][1]
        if stem in self.cues["org_definite_national"] and not any(
            self.group_adjective(w.key) for w in words[i + 1 : j + 1]
        ):
            return None  # "القوات الأمنية" is any force; "القوات الأمريكية" one
        if stem in self.cues["org_with_complement"]:
            j = self._complement(text, words, j, extra)
        assert definite is not None
        return [self._mention(words, i, definite, j, "ORG")], j + 1

    def _not_a_genitive(self, word: Word) -> bool:
        """After an organisation head: "قوات إيرانية", "حكومة مركزية", "حكومة وشعبا", "مركز
        بمدينة", "مركز احتجاز", "تنظيم مونديال" are no names."""
        key = word.key
        return (
            (_adjective_shaped(key) and not key.startswith("ال"))
            or self.group_adjective(key)
            or key.startswith(("و", "ف"))
            or (key[:1] in ("ب", "ل", "ك") and key[1:].startswith(("ال", "م", "ل")))
            or (key.endswith("ا") and key not in self.lists.given_names)
            or (word.surface[0] == "ا" and len(key) > 4 and not key.startswith("ال"))
            or "event" in self.word_cues(key)
        )

    def _media(self, text: str, words: list[Word], i: int) -> Found | None:
        """A broadcaster or paper named after a place: "تلفزيون فلسطين", "إذاعة دمشق"."""
        head = self.cue(words[i], "media")
        if head is None or not self.adjacent(text, words, i):
            return None
        name = self.name_at(text, words, i + 1)
        if not name or name[1] or self.lists.names[name[2]][0] != "LOC":
            return None
        return [self._mention(words, i, head, i + name[0], "ORG")], i + name[0] + 1

    def _complement(self, text: str, words: list[Word], j: int, extra: frozenset[str]) -> int:
        """"للأرصاد الجوية", "لحقوق الإنسان" after an organisation's adjectives."""
        if not self.adjacent(text, words, j):
            return j
        word = words[j + 1]
        if not self._plain(word) or not word.key.startswith("ل") or len(word.key) < 4:
            return j
        if word.key.startswith("لل"):
            return self._adjectives(text, words, j + 1, extra, 2)
        if self.adjacent(text, words, j + 1) and words[j + 2].key.startswith("ال") and self._plain(words[j + 2]):
            return self._adjectives(text, words, j + 2, extra, 2)
        return j

    def _state(self, text: str, words: list[Word], i: int) -> Found | None:
        """"دولة الكويت", "جمهورية الكونغو الديمقراطية", "المملكة الأردنية الهاشمية" → LOC."""
        indefinite = self.cue(words[i], "state")
        definite = None if indefinite is not None else self.cue(words[i], "state_definite")
        if (indefinite is None and definite is None) or not self.adjacent(text, words, i):
            return None
        adjectives = self.cues["loc_adjectives"]
        if indefinite is not None:
            name = self.name_at(text, words, i + 1)
            if not name or self.lists.names[name[2]][0] != "LOC" or name[1]:
                return None
            j = self._adjectives(text, words, i + name[0], adjectives)
            return [self._mention(words, i, indefinite, j, "LOC")], j + 1
        if not self.group_adjective(words[i + 1].key):
            return None
        j = self._adjectives(text, words, i + 1, adjectives)
        assert definite is not None
        return [self._mention(words, i, definite, j, "LOC")], j + 1

    def _place(self, text: str, words: list[Word], i: int) -> Found | None:
        """A place named after a head word: "مطار حلب الدولي", "مضيق هرمز" (head kept), "مدينة
        درنة", "قرية أم صفا" (head dropped: the town is "درنة")."""
        kept = self.cue(words[i], "place")
        dropped = None if kept is not None else self.cue(words[i], "area")
        if (kept is None and dropped is None) or not self.adjacent(text, words, i):
            return None
        end = self._place_name(text, words, i + 1)
        if end is None:
            return None
        if kept is not None:
            end = self._adjectives(text, words, end, self.cues["place_adjectives"], 2)
            return [self._mention(words, i, kept, end, "LOC")], end + 1
        if self.name_at(text, words, i + 1):
            return [], i + 1  # "مدينة غزة": rule 1 labels the known name next
        return [Mention(words[i + 1].start, words[end].end, "LOC")], end + 1

    def _place_name(self, text: str, words: list[Word], j: int) -> int | None:
        """Index of the last word of the name after a place head at j-1, or None."""
        word = words[j]
        name = self.name_at(text, words, j)
        if name and not name[1]:
            return j + name[0] - 1 if self.lists.names[name[2]][0] == "LOC" else None
        if self.cue(word, "place") == 0 and self.adjacent(text, words, j):
            return self._place_name(text, words, j + 1)  # "ولاية نهر النيل"
        role = self.role_at(text, words, j)
        if role and self.adjacent(text, words, j + role[0] - 1):  # "مطار الملك خالد الدولي"
            size = self._name_after(text, words, j + role[0])
            return j + role[0] + size - 1 if size else None
        if not self._plain(word) or word.key.isdigit() or self._head(word) or self.group_adjective(word.key):
            return None
        if _adjective_shaped(word.key) or word.key.startswith(("و", "ف")):
            return None  # "منطقة عسكرية", "مدينة محاصرة", "منطقة شاسعة": adjectives, not names
        while word.key in self.cues["place_particles"] and self.adjacent(text, words, j) and self._plain(words[j + 1]):
            j += 1  # "أم صفا", "بني زيد", "القديس مار إلياس"
            word = words[j]
        return j

    def _event(self, text: str, words: list[Word], i: int) -> Found | None:
        """"كأس العالم", "مؤتمر الأخوة الإنسانية", "مونديال 2034", "القمة العربية" → MISC."""
        indefinite = self.cue(words[i], "event")
        definite = None if indefinite is not None else self.cue(words[i], "event_definite")
        if (indefinite is None and definite is None) or not self.adjacent(text, words, i):
            return None
        nxt = words[i + 1]
        extra = self.cues["org_adjectives"]
        if indefinite is not None:
            if nxt.key.isdigit():
                return [self._mention(words, i, indefinite, i + 1, "MISC")], i + 2
            if not (nxt.key.startswith("ال") and self._plain(nxt)) or self.name_at(text, words, i + 1):
                return None
            j = self._adjectives(text, words, i + 1, extra)
            return [self._mention(words, i, indefinite, j, "MISC")], j + 1
        j = self._adjectives(text, words, i, extra)
        with_complement = self._complement(text, words, j, extra)
        if j == i or not (with_complement > j or self.group_adjective(words[j].key)):
            return None
        assert definite is not None
        return [self._mention(words, i, definite, with_complement, "MISC")], with_complement + 1

    # -- 4-6. given names, groups, acronyms --------------------------------------------
    def _given_name(self, text: str, words: list[Word], i: int) -> Found | None:
        word = words[i]
        if word.key in self.lists.stopwords and word.surface.endswith("ى"):
            return None  # "على" (on), not "علي" (Ali)
        given = self.word_cues(word.key).get("given")
        if given is None or not self.adjacent(text, words, i):
            return None
        size = self._name_after(text, words, i + 1, after_given=given[1])
        if not size:
            return None
        return [Mention(word.start + given[0], words[i + size].end, "PER")], i + size + 1

    def _group(self, words: list[Word], i: int) -> Found | None:
        offset = self.cue(words[i], "group")
        if offset is None:
            return None
        return [Mention(words[i].start + offset, words[i].end, "MISC", "NORP")], i + 1

    def _latin_acronym(self, words: list[Word], i: int) -> Found | None:
        """A Latin acronym the English lists know (CNN, WHO) in Arabic text."""
        surface = words[i].surface
        if not (surface.isascii() and surface.isupper()):
            return None
        known = self.gazetteer.en.names.get((surface,))
        return ([Mention(words[i].start, words[i].end, *known)], i + 1) if known else None
