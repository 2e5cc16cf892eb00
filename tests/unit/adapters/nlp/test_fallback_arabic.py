"""Arabic rules of the fallback NER (fallback_arabic.py), on sentences written for these tests."""

from __future__ import annotations

import pytest

from service.adapters.nlp.fallback import FallbackNlp


@pytest.fixture(scope="module")
def backend() -> FallbackNlp:
    return FallbackNlp(["ar"])


def found(backend: FallbackNlp, text: str) -> set[tuple[str, str]]:
    entities = backend.entities([text], "ar")[0]
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
    return {(e.text, e.label) for e in entities}


def test_nationality_adjectives_are_misc_in_any_number_and_gender(backend: FallbackNlp) -> None:
    text = "وقال دبلوماسيون مصريون إن الجانب الإسرائيلي رفض المقترح، وأيدته الحكومات العربية والفلسطينيين."
    entities = found(backend, text)
    assert {("مصريون", "MISC"), ("الإسرائيلي", "MISC"), ("العربية", "MISC"), ("الفلسطينيين", "MISC")} <= entities


def test_every_country_name_gives_its_adjective(backend: FallbackNlp) -> None:
    # Neither adjective is written anywhere: they are derived from pycountry's Arabic names.
    entities = found(backend, "وصل الوفد الكولومبي أمس، واستقبلته السفارة النيجيرية.")
    assert ("الكولومبي", "MISC") in entities
    assert ("السفارة النيجيرية", "ORG") in entities


def test_nouns_shaped_like_adjectives_are_not_groups(backend: FallbackNlp) -> None:
    entities = found(backend, "دعا البيان إلى احترام الديمقراطية ومؤسسات الجمهورية.")
    assert not any(label == "MISC" for _, label in entities)


def test_organisations_from_head_words(backend: FallbackNlp) -> None:
    text = (
        "أعلنت وزارة شؤون المغتربين أن الحكومة الكندية والمنظمة الدولية للهجرة تعاونتا، "
        "فيما قالت قوات الدعم السريع إن المرصد السوري لحقوق الإنسان أخطأ."
    )
    entities = found(backend, text)
    assert {
        ("وزارة شؤون المغتربين", "ORG"),
        ("الحكومة الكندية", "ORG"),
        ("المنظمة الدولية للهجرة", "ORG"),
        ("قوات الدعم السريع", "ORG"),
        ("المرصد السوري لحقوق الإنسان", "ORG"),
    } <= entities


def test_generic_forces_and_adjectives_after_heads_are_no_organisation(backend: FallbackNlp) -> None:
    text = "انتشرت القوات الأمنية في الشوارع، ورصدت الحكومة قوات إيرانية قرب مركز احتجاز."
    entities = found(backend, text)
    assert not any(label == "ORG" for _, label in entities)
    assert ("إيرانية", "MISC") in entities


def test_states_with_their_head_word(backend: FallbackNlp) -> None:
    text = "وصل الوزير إلى دولة الكويت ثم المملكة الأردنية الهاشمية وجمهورية الكونغو الديمقراطية."
    entities = found(backend, text)
    assert {
        ("دولة الكويت", "LOC"),
        ("المملكة الأردنية الهاشمية", "LOC"),
        ("جمهورية الكونغو الديمقراطية", "LOC"),
    } <= entities


def test_places_after_head_words(backend: FallbackNlp) -> None:
    text = "هبطت الطائرة في مطار بيروت الدولي، ثم توجه الوفد إلى قرية عين الباشا ومنطقة عسكرية قريبة."
    entities = found(backend, text)
    assert ("مطار بيروت الدولي", "LOC") in entities
    assert ("عين الباشا", "LOC") in entities  # the village is named without its head word
    assert not any("عسكرية" in surface for surface, _ in entities)


def test_events_are_misc(backend: FallbackNlp) -> None:
    entities = found(backend, "استضافت الدوحة كأس العالم، وانعقدت القمة العربية بعدها بأشهر.")
    assert {("كأس العالم", "MISC"), ("القمة العربية", "MISC")} <= entities


def test_a_role_chain_gives_the_organisation_and_the_person(backend: FallbackNlp) -> None:
    entities = found(backend, "وقال المتحدث باسم الهيئة العليا للإغاثة سامر الخطيب إن القافلة وصلت.")
    assert ("الهيئة العليا للإغاثة", "ORG") in entities
    assert ("سامر الخطيب", "PER") in entities


def test_the_nationality_between_a_role_and_its_name_is_misc(backend: FallbackNlp) -> None:
    entities = found(backend, "وقال وزير الخارجية البرتغالي جواو غوميش إن المحادثات مثمرة.")
    assert ("البرتغالي", "MISC") in entities
    assert ("جواو غوميش", "PER") in entities


def test_family_names_with_the_article_and_honorifics(backend: FallbackNlp) -> None:
    text = "ونعى صاحب السمو الشيخ ناصر الحمد الفهد الناصر، وقال إن الشيخ ناصر دخل المستشفى."
    entities = found(backend, text)
    assert ("ناصر الحمد الفهد الناصر", "PER") in entities
    assert not any(label == "PER" and "دخل" in surface for surface, label in entities)


def test_particles_and_ordinals_in_names(backend: FallbackNlp) -> None:
    text = "واتصل الأمير فيصل بن خالد آل سعود بالملك حمد الثالث اتصالا هاتفيا."
    entities = found(backend, text)
    assert ("فيصل بن خالد آل سعود", "PER") in entities
    assert ("حمد الثالث", "PER") in entities


def test_untitled_names_start_with_a_given_name(backend: FallbackNlp) -> None:
    text = "وقال خالد العمري إن جمال عبد الناصر ألهم جيله، وتحدث عن جمال الطبيعة."
    entities = found(backend, text)
    assert ("خالد العمري", "PER") in entities
    assert ("جمال عبد الناصر", "PER") in entities
    assert not any("الطبيعة" in surface for surface, _ in entities)


def test_the_preposition_ala_is_not_the_name_ali(backend: FallbackNlp) -> None:
    entities = found(backend, "وأكد علي حسين أن الوفد شدد على أهمية الحوار.")
    assert ("علي حسين", "PER") in entities
    assert not any("أهمية" in surface for surface, _ in entities)


def test_a_patronym_is_no_surname(backend: FallbackNlp) -> None:
    entities = found(backend, "التقى فيصل بن سلطان وفدا، ثم وصل سلطان المحمد إلى الفندق.")
    assert ("فيصل بن سلطان", "PER") in entities
    assert ("سلطان", "PER") not in entities


def test_fused_lam_alif_spans_drop_one_lam_and_merge_with_the_article(backend: FallbackNlp) -> None:
    text = "قال الأمين العام للأمم المتحدة إن الأمم المتحدة ستساعد، وأرسلت مساعدات للبنان."
    entities = {(e.text, e.label): e for e in backend.entities([text], "ar")[0]}
    assert entities[("لأمم المتحدة", "ORG")].count == 2  # one entity with "الأمم المتحدة"
    assert ("لبنان", "LOC") in entities  # ل + لبنان: the name keeps its own ل


def test_known_latin_acronyms_in_arabic_text(backend: FallbackNlp) -> None:
    entities = found(backend, "ونقلت شبكة CNN عن مصادر أن شركة XQZ تراجعت.")
    assert ("CNN", "ORG") in entities
    assert not any(surface == "XQZ" for surface, _ in entities)


def test_a_broadcaster_named_after_a_place(backend: FallbackNlp) -> None:
    assert ("تلفزيون فلسطين", "ORG") in found(backend, "وبث تلفزيون فلسطين صورا من المكان.")


def test_diacritics_do_not_split_words(backend: FallbackNlp) -> None:
    assert ("السّعوديّة", "LOC") in found(backend, "عاد الوفد إلى السّعوديّة مساءً.")


def test_a_place_named_after_a_person(backend: FallbackNlp) -> None:
    entities = found(backend, "وهبطت الطائرة في مطار الملك خالد الدولي صباح اليوم.")
    assert ("مطار الملك خالد الدولي", "LOC") in entities
    assert not any(label == "PER" for _, label in entities)


def test_what_follows_a_name_is_not_part_of_it(backend: FallbackNlp) -> None:
    text = (
        "وقال المدير العام منظومة الصناعات إن الأمير سعود بن نايف آل سعود بدور العراق أشاد، "
        "وإن الشيخ راشد أمره بالحضور، وقال الوزير كريم الراوي قائلاً إن الأمر انتهى."
    )
    people = {surface for surface, label in found(backend, text) if label == "PER"}
    assert people == {"سعود بن نايف آل سعود", "راشد", "كريم الراوي"}
