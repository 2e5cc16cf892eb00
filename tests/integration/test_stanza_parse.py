"""The dependency-parse path of claims on real stanza objects: which models turn it on, and what it changes.

No depparse model can be fetched here, so the parse is a real stanza Document built from a hand-written
CoNLL-U-like parse (what stanza's depparse would attach); the tiny models (no parser) show the rule path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stanza

from service.adapters.nlp.stanza_backend import PARSE_PROCESSORS, StanzaNlp, document_parses, parse_packages
from service.domain.claims.extract import extract_claims

pytestmark = pytest.mark.integration

MODELS = Path(__file__).resolve().parents[1] / "models" / "stanza"
TEXT = 'ووصف ماتني التحالف الدولي بأنه "منظمة فريدة من نوعها".'
# (word, head, deprel, upos) of TEXT, as an Arabic UD parser attaches them.
PARSE = [("و", 2, "cc", "CCONJ"), ("وصف", 0, "root", "VERB"), ("ماتني", 2, "nsubj", "PROPN"),
         ("التحالف", 2, "obj", "NOUN"), ("الدولي", 4, "amod", "ADJ"), ("بأنه", 7, "mark", "SCONJ"),
         ("منظمة", 2, "ccomp", "NOUN")]  # fmt: skip


def parsed_document(text: str) -> stanza.Document:
    words, pos = [], 0
    for index, (word, head, deprel, upos) in enumerate(PARSE, 1):
        start = text.index(word, pos)
        pos = start + len(word)
        words.append({"id": index, "text": word, "head": head, "deprel": deprel, "upos": upos,
                      "start_char": start, "end_char": pos})  # fmt: skip
    return stanza.Document([words], text=text)


def test_a_stanza_parse_makes_the_subject_of_the_cue_verb_the_speaker() -> None:
    parses = document_parses(parsed_document(TEXT))
    assert [t.deprel for t in parses[0].tokens][:3] == ["cc", "root", "nsubj"]
    (with_parse,) = extract_claims(TEXT, "ar", parses=parses)
    (rules_only,) = extract_claims(TEXT, "ar")
    assert with_parse.speaker == "ماتني"
    assert rules_only.speaker == "ماتني التحالف الدولي"  # the rule path cannot split subject from object


def test_without_a_parser_the_tiny_pipeline_gives_no_parses_and_claims_use_the_rules() -> None:
    backend = StanzaNlp(["ar"], str(MODELS))
    (analysis,) = backend.analyse([TEXT], "ar")
    assert analysis.parses == []
    assert "depparse" not in backend.describe("ar")["models"]  # type: ignore[operator]


def test_parse_processors_load_only_when_all_their_files_are_there(tmp_path: Path) -> None:
    resources = json.loads((MODELS / "resources.json").read_text())
    resources["ar"]["packages"]["default"].update({p: "tiny" for p in PARSE_PROCESSORS})
    resources["ar"]["depparse"] = {"tiny": {"dependencies": [{"model": "pretrain", "package": "tiny"}]}}
    for processor in (*PARSE_PROCESSORS, "pretrain"):
        (tmp_path / "ar" / processor).mkdir(parents=True)
        (tmp_path / "ar" / processor / "tiny.pt").write_bytes(b"model")
    assert parse_packages(resources, "ar", tmp_path) == {"pos": "tiny", "lemma": "tiny", "depparse": "tiny"}
    (tmp_path / "ar" / "pretrain" / "tiny.pt").unlink()  # a dependency of depparse is missing
    assert parse_packages(resources, "ar", tmp_path) == {}
    assert parse_packages(resources, "en", tmp_path) == {}  # English lists no parse processors
