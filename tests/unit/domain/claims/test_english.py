"""English claim extraction: quotes split around the attribution, pronouns, 'according to'."""

from __future__ import annotations

from service.domain.claims.extract import extract_claims


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


def test_relative_pronoun_speaker_is_its_antecedent() -> None:
    text = ("Visibility fell below 200 metres, according to the Meteorological Department, which warned "
            "that winds would continue into the evening.")
    according, warned = extract_claims(text, "en")
    department = "the Meteorological Department"
    assert (according.speaker, according.content) == (department, "Visibility fell below 200 metres")
    assert (warned.speaker, warned.content) == (department, "winds would continue into the evening")
    (said,) = extract_claims("The museum hired Maysoon Kareem, who said about 900 pages had been digitised.", "en")
    assert said.speaker == "Maysoon Kareem"
    for claim in extract_claims(text + " The grid failed, according to the head of the operator, who said repairs "
                                "could take a week.", "en"):
        assert claim.speaker.split()[0].lower() not in {"which", "who", "that"}


def test_lower_case_source_after_according_to() -> None:
    text = "Iraq's power stations run largely on natural gas, according to the electricity ministry."
    (claim,) = extract_claims(text, "en")
    assert claim.speaker == "the electricity ministry"
    assert claim.content == "Iraq's power stations run largely on natural gas"


def test_role_before_name_after_a_quotation_then_he_said() -> None:
    text = ('"Departures were halted as a precaution," civil aviation spokesman Yousef al-Mutairi said in a statement. '
            "Eleven flights were diverted to Bahrain, he said.")
    quoted, relayed = extract_claims(text, "en")
    assert (quoted.speaker, quoted.kind) == ("civil aviation spokesman Yousef al-Mutairi", "direct")
    assert (relayed.speaker, relayed.content) == (quoted.speaker, "Eleven flights were diverted to Bahrain")


def test_appositive_name_told_an_audience() -> None:
    text = '"These pages survived wars and floods," the director, Maysoon Kareem, told a small ceremony.'
    (claim,) = extract_claims(text, "en")
    assert (claim.speaker, claim.kind) == ("Maysoon Kareem", "direct")
    assert claim.content == "These pages survived wars and floods"


def test_parenthetical_before_the_verb_and_pronoun_led_content() -> None:
    text = "The health ministry said 64 people, most of them elderly or asthmatic, were treated in hospital."
    (ministry,) = extract_claims(text, "en")
    assert ministry.content == "64 people, most of them elderly or asthmatic, were treated in hospital"
    (residents,) = extract_claims("Unrest flared in the south, where residents say they see little benefit.", "en")
    assert (residents.speaker, residents.content) == ("residents", "they see little benefit")


def test_quotation_continued_after_a_quote_first_attribution() -> None:
    text = '"We have no choice," said Ali Jabbar, a spokesman. "If we do not share the load, the network will trip."'
    (claim,) = extract_claims(text, "en")
    assert claim.content == "We have no choice … If we do not share the load, the network will trip"


def test_claims_stay_inside_their_paragraph() -> None:
    text = ("A thick sandstorm swept across Kuwait on Wednesday, officials said.\n\n"
            "Visibility fell below 200 metres, according to the meteorological department.\n\n"
            '"Flights resumed once visibility improved," a spokesman said. Eleven flights were diverted, he said.')
    claims = extract_claims(text, "en")
    assert len(claims) == 4
    for claim in claims:
        assert "\n" not in text[claim.start:claim.end]


def test_appositive_name_with_an_article_particle_is_the_speaker() -> None:
    text = ("Jets hit the hideout after weeks of surveillance, the command's spokesman, Brigadier Samer al-Jubouri, "
            "said in a statement.")
    (claim,) = extract_claims(text, "en")
    assert claim.speaker == "Brigadier Samer al-Jubouri"
    assert claim.content == "Jets hit the hideout after weeks of surveillance"


def test_declaring_an_act_is_no_claim_but_declaring_that_is() -> None:
    assert extract_claims("The African Union declared its own public health emergency on Tuesday.", "en") == []
    assert extract_claims("Iraq declared victory over the group in 2017.", "en") == []
    (claim,) = extract_claims("The minister declared that the border would reopen on Sunday.", "en")
    assert (claim.speaker, claim.content) == ("The minister", "the border would reopen on Sunday")
