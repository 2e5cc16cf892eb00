"""English claim extraction: quotes split around the attribution, pronouns, 'according to'."""

from __future__ import annotations

from service.domain.claims import extract_claims


def test_split_quote_is_one_direct_claim() -> None:
    text = 'Finance Minister Rachel Reeves spoke. "I have been very clear about that," she said, "and I stand by it."'
    (claim,) = extract_claims(text, "en")
    assert claim.kind == "direct"
    assert claim.content == "I have been very clear about that … and I stand by it"
    assert claim.speaker == "Finance Minister Rachel Reeves"  # "she", no earlier claim: last full name


def test_that_clause_then_pronoun_follow_up() -> None:
    text = ('Sergei Lavrov, Russia\'s foreign minister, warned on Tuesday that Moscow would respond. '
            '"Nobody should have any illusions," he said.')
    warned, said = extract_claims(text, "en")
    assert (warned.speaker, warned.content, warned.kind) == ("Sergei Lavrov", "Moscow would respond", "indirect")
    assert (said.speaker, said.kind) == ("Sergei Lavrov", "direct")


def test_attribution_after_the_content() -> None:
    text = "The central bank will keep rates on hold until inflation falls, Governor Andrew Bailey said on Thursday."
    (claim,) = extract_claims(text, "en")
    assert claim.speaker == "Governor Andrew Bailey"
    assert claim.content == "The central bank will keep rates on hold until inflation falls"
    assert claim.start == 0 and text[claim.start:claim.end].endswith("Bailey said")


def test_according_to_an_outlet_or_as_via() -> None:
    (alone,) = extract_claims("According to Reuters, the company plans to cut 4,000 jobs.", "en")
    assert (alone.speaker, alone.content) == ("Reuters", "the company plans to cut 4,000 jobs")
    (relayed,) = extract_claims("Police said three people were arrested, according to local media.", "en")
    assert (relayed.speaker, relayed.via) == ("Police", "local media")


def test_told_an_outlet_sets_via_but_reporters_do_not() -> None:
    (outlet,) = extract_claims("Israeli officials told Axios that the cabinet would meet.", "en")
    assert (outlet.speaker, outlet.via, outlet.content) == ("Israeli officials", "Axios", "the cabinet would meet")
    (press,) = extract_claims("The minister told reporters the plan was ready.", "en")
    assert press.via is None and press.content == "the plan was ready"


def test_non_attributive_uses_are_ignored() -> None:
    text = "The said agreement was signed in 1998. Production went according to plan, and the plant added 300 jobs."
    assert extract_claims(text, "en") == []


def test_unknown_language_and_empty_text() -> None:
    assert extract_claims("Der Minister sagte, dass …", "de") == []
    assert extract_claims("   ", "en") == []
