"""Arabic people in the fallback NER, and the word tests every Arabic rule shares.

- a role, its modifiers, then a name → PER, with what stood between them: "المتحدث باسم الجيش
  الإسرائيلي دانيال هاغاري" gives the ORG and the PER, "الرئيس الأمريكي جو بايدن" a MISC;
- a name runs over particles (بن، عبد، آل) and ال- family names (صباح الأحمد الجابر الصباح) and
  ends at what cannot be a name: verbs, objects, prepositions, known places (word shapes below);
- a known given name starts an untitled name (جمال خاشقجي، علي الصادق);
- nisba adjectives of nations and faiths are recognised in any number and gender (الفلسطينيين،
  سعودية), derived from every country name (gazetteer.arabic_nisba).
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


def adjective_shaped(key: str) -> bool:
    """Indefinite adjectives: nisba (عسكرية، أساسي), participles (محاصرة، منكوبة), فاعلة (شاسعة)."""
    if key.endswith(("ية", "يه")) or is_nisba_shaped(key) or (key.endswith("ي") and len(key) > 3):
        return True
    return key.endswith("ة") and (key.startswith("م") or (len(key) == 5 and key[1] == "ا"))


def verb_shaped(word: Word, position: int) -> bool:
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


def has_article(key: str) -> bool:
    """A word with the article (not the family particle آل, normalised to ال)."""
    return key.startswith("ال") and len(key) > 3


def is_nisba_shaped(key: str) -> bool:
    """Arabic relational adjective with the article: الأمريكي، الإسرائيلية، الدولي."""
    return key.startswith("ال") and len(key) > 4 and key.endswith(("ي", "ية", "يه"))


class ArabicNames(RuleExtractor):
    """People and the shared word tests; ArabicExtractor adds the head-word rules."""

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

    def surname_keys(self, name: list[str]) -> set[str]:
        keys = super().surname_keys(name)
        return set() if keys & (self.cues["ordinals"] | self.lists.stopwords) else keys

    # -- small tests ---------------------------------------------------------------------
    def _adjective(self, word: Word, extra: frozenset[str]) -> bool:
        return is_nisba_shaped(word.key) or word.key in extra or self.group_adjective(word.key)

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
            inner = self._gazetteer_name(text, words, j) if name else self._description(text, words, j)
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
        if not position and key.endswith("ة") and self.adjacent(text, words, j) and has_article(words[j + 1].key):
            return True  # a noun in construct after a role: "مدير عام منظومة الصناعات"
        return verb_shaped(word, position)

    def _description(self, text: str, words: list[Word], j: int) -> Found | None:
        """An organisation or state in a role's description ("المتحدث باسم الجيش الإسرائيلي")."""
        raise NotImplementedError

    # -- untitled names ----------------------------------------------------------------
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
