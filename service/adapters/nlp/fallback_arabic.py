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

People (2, 4), the gazetteer step (1) and the word tests shared by all rules live in
fallback_arabic_names.py; the head words (3) and 5-6 here.
"""

from __future__ import annotations

from service.adapters.nlp.fallback_arabic_names import ArabicNames, adjective_shaped, has_article
from service.adapters.nlp.fallback_rules import Found, Word
from service.domain.records import Mention


class ArabicExtractor(ArabicNames):
    cue_kinds = ("org", "org_definite", "state", "state_definite", "place", "area", "event", "event_definite", "media")

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

    def _description(self, text: str, words: list[Word], j: int) -> Found | None:
        return self._organisation(text, words, j) or self._state(text, words, j)

    # -- 3. head words -------------------------------------------------------------------
    def _head_cue(self, text: str, words: list[Word], i: int, first: str, second: str) -> tuple[int, bool] | None:
        """(clitic offset, whether of kind `first`) when words[i] is a head word of kind `first`, else
        of kind `second`, and a word follows it on the line; None otherwise."""
        offset = self.cue(words[i], first)
        is_first = offset is not None
        if offset is None:
            offset = self.cue(words[i], second)
        if offset is None or not self.adjacent(text, words, i):
            return None
        return offset, is_first

    def _organisation(self, text: str, words: list[Word], i: int) -> Found | None:
        head = self._head_cue(text, words, i, "org", "org_definite")
        if head is None:
            return None
        offset, construct = head
        extra = self.cues["org_adjectives"]
        if construct:
            first = words[i + 1]
            if not self._plain(first) or first.key.isdigit() or self.name_at(text, words, i + 1):
                return None  # "حركة حماس": the name itself is the entity (rule 1, next step)
            if self._not_a_genitive(first):
                return None
            j = i + 1
            nxt = words[j + 1] if self.adjacent(text, words, j) else None
            if nxt and not first.key.startswith("ال") and has_article(nxt.key) and self._plain(nxt):
                j += 1  # a genitive chain: "وزارة شؤون الرئاسة", "مجلس حكماء المسلمين"
            j = self._adjectives(text, words, j, extra)
            return [self._mention(words, i, offset, j, "ORG")], j + 1
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
        return [self._mention(words, i, offset, j, "ORG")], j + 1

    def _not_a_genitive(self, word: Word) -> bool:
        """After an organisation head: "قوات إيرانية", "حكومة مركزية", "حكومة وشعبا", "مركز
        بمدينة", "مركز احتجاز", "تنظيم مونديال" are no names."""
        key = word.key
        return (
            (adjective_shaped(key) and not key.startswith("ال"))
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
        head = self._head_cue(text, words, i, "state", "state_definite")
        if head is None:
            return None
        offset, indefinite = head
        adjectives = self.cues["loc_adjectives"]
        if indefinite:
            name = self.name_at(text, words, i + 1)
            if not name or self.lists.names[name[2]][0] != "LOC" or name[1]:
                return None
            j = self._adjectives(text, words, i + name[0], adjectives)
            return [self._mention(words, i, offset, j, "LOC")], j + 1
        if not self.group_adjective(words[i + 1].key):
            return None
        j = self._adjectives(text, words, i + 1, adjectives)
        return [self._mention(words, i, offset, j, "LOC")], j + 1

    def _place(self, text: str, words: list[Word], i: int) -> Found | None:
        """A place named after a head word: "مطار حلب الدولي", "مضيق هرمز" (head kept), "مدينة
        درنة", "قرية أم صفا" (head dropped: the town is "درنة")."""
        head = self._head_cue(text, words, i, "place", "area")
        if head is None:
            return None
        offset, kept = head
        end = self._place_name(text, words, i + 1)
        if end is None:
            return None
        if kept:
            end = self._adjectives(text, words, end, self.cues["place_adjectives"], 2)
            return [self._mention(words, i, offset, end, "LOC")], end + 1
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
        if adjective_shaped(word.key) or word.key.startswith(("و", "ف")):
            return None  # "منطقة عسكرية", "مدينة محاصرة", "منطقة شاسعة": adjectives, not names
        while word.key in self.cues["place_particles"] and self.adjacent(text, words, j) and self._plain(words[j + 1]):
            j += 1  # "أم صفا", "بني زيد", "القديس مار إلياس"
            word = words[j]
        return j

    def _event(self, text: str, words: list[Word], i: int) -> Found | None:
        """"كأس العالم", "مؤتمر الأخوة الإنسانية", "مونديال 2034", "القمة العربية" → MISC."""
        head = self._head_cue(text, words, i, "event", "event_definite")
        if head is None:
            return None
        offset, indefinite = head
        nxt = words[i + 1]
        extra = self.cues["org_adjectives"]
        if indefinite:
            if nxt.key.isdigit():
                return [self._mention(words, i, offset, i + 1, "MISC")], i + 2
            if not (nxt.key.startswith("ال") and self._plain(nxt)) or self.name_at(text, words, i + 1):
                return None
            j = self._adjectives(text, words, i + 1, extra)
            return [self._mention(words, i, offset, j, "MISC")], j + 1
        j = self._adjectives(text, words, i, extra)
        with_complement = self._complement(text, words, j, extra)
        if j == i or not (with_complement > j or self.group_adjective(words[j].key)):
            return None
        return [self._mention(words, i, offset, with_complement, "MISC")], with_complement + 1

    # -- groups, acronyms --------------------------------------------------------------
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
