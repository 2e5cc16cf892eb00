"""The optional paths: dependency parses (nsubj of the cue) and entity spans sharpen the speaker."""

from __future__ import annotations

from service.domain.claims.extract import ParsedSentence, ParsedToken, extract_claims
from service.domain.records import Entity, EntityLabel

_TEXT = 'ووصف ماتني التحالف الدولي بأنه "منظمة فريدة من نوعها".'


def _parse(text: str, words: list[tuple[str, int, str, str]]) -> ParsedSentence:
    """Hand-built parse: (word, head, deprel, upos); offsets found left to right in `text`."""
    tokens, pos = [], 0
    for word, head, deprel, upos in words:
        start = text.index(word, pos)
        tokens.append(ParsedToken(word, start, start + len(word), head, deprel, upos))
        pos = start + len(word)
    return ParsedSentence(tuple(tokens))


def test_rule_path_alone_cannot_split_subject_from_object() -> None:
    (claim,) = extract_claims(_TEXT, "ar")
    assert claim.speaker == "ماتني التحالف الدولي"


def test_parse_path_takes_the_subject_of_the_cue_verb() -> None:
    parse = _parse(_TEXT, [
        ("و", 2, "cc", "CCONJ"), ("وصف", 0, "root", "VERB"), ("ماتني", 2, "nsubj", "PROPN"),
        ("التحالف", 2, "obj", "NOUN"), ("الدولي", 4, "amod", "ADJ"), ("بأنه", 7, "mark", "SCONJ"),
        ("منظمة", 2, "ccomp", "NOUN"),
    ])
    (claim,) = extract_claims(_TEXT, "ar", parses=[parse])
    assert claim.speaker == "ماتني"
    assert _TEXT[claim.start:claim.end].startswith("وصف ماتني")


def test_parse_pronoun_subject_keeps_discourse_resolution() -> None:
    text = "Governor Andrew Bailey said rates would stay high. He added that jobs were scarce."
    parse = _parse(text, [("He", 2, "nsubj", "PRON"), ("added", 0, "root", "VERB"), ("jobs", 5, "nsubj", "NOUN"),
                          ("were", 5, "cop", "AUX"), ("scarce", 2, "ccomp", "ADJ")])
    claims = extract_claims(text, "en", parses=[parse])
    assert [c.speaker for c in claims] == ["Governor Andrew Bailey", "Governor Andrew Bailey"]


def test_entities_name_the_speaker_inside_a_title() -> None:
    text = "وأعلن وزير الصحة اللبناني فراس الأبيض أن حصيلة الضحايا ارتفعت إلى 52 قتيلا."
    start = text.index("فراس الأبيض")
    entity = Entity(text="فراس الأبيض", label="PER", start=start, end=start + len("فراس الأبيض"))
    assert extract_claims(text, "ar")[0].speaker == "وزير الصحة اللبناني فراس الأبيض"
    (claim,) = extract_claims(text, "ar", entities=[entity])
    assert claim.speaker == "فراس الأبيض"


def test_entity_snapping_reaches_a_carried_over_speaker() -> None:
    text = ('"Departures were halted," civil aviation spokesman Yousef al-Mutairi said in a statement. '
            "Eleven flights were diverted to Bahrain, he said.")
    name = "Yousef al-Mutairi"
    entity = Entity(text=name, label="PER", start=text.index(name), end=text.index(name) + len(name))
    quoted, relayed = extract_claims(text, "en", entities=[entity])
    assert quoted.speaker == relayed.speaker == name


def _entity(text: str, name: str, label: EntityLabel) -> Entity:
    return Entity(text=name, label=label, start=text.index(name), end=text.index(name) + len(name))


def test_an_entity_inside_the_speaker_phrase_does_not_replace_it() -> None:
    text = "وأعلنت المنظمة العالمية للأرصاد التابعة للأمم المتحدة أن الإنذار تأخر."
    (claim,) = extract_claims(text, "ar", entities=[_entity(text, "للأمم المتحدة", "ORG")])
    assert claim.speaker == "المنظمة العالمية للأرصاد التابعة للأمم المتحدة"
    text = "Close to the port, a spokesman for Maersk said the cranes were damaged."
    (claim,) = extract_claims(text, "en", entities=[_entity(text, "Maersk", "ORG")])
    assert claim.speaker == "a spokesman for Maersk"


def test_an_organisation_heading_a_title_and_name_is_not_the_speaker() -> None:
    text = "WMO Secretary-General Anna Berg said warnings had gone out too late."
    (claim,) = extract_claims(text, "en", entities=[_entity(text, "WMO", "ORG")])
    assert claim.speaker == "WMO Secretary-General Anna Berg"
    text = "وقال البنك المركزي الأردني إن التضخم تراجع."
    (claim,) = extract_claims(text, "ar", entities=[_entity(text, "البنك المركزي", "ORG")])
    assert claim.speaker == "البنك المركزي"
