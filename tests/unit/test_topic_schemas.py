"""The JSON Schemas of the topics (service/schemas) accept the contract's records and what the
service really emits, and reject records a consumer could not rely on."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from service.domain.ingest import REASONS
from service.domain.messages import (
    Origin,
    Staged,
    StoryPlace,
    claim_event,
    dead_letter,
    duplicate_event,
    enriched_article,
    story_event,
)
from service.domain.records import Article, Boilerplate, Claim, CleanedText, Entity
from service.schemas import SCHEMA_NAMES, load_schema

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "service" / "schemas"
TEXT = 'قال وزير الخارجية إن "المفاوضات مستمرة". Reuters reported the talks resumed.'

EXAMPLES: dict[str, dict[str, Any]] = {
    "raw_article": {
        "body": "المصدر: وكالات\n" + TEXT,
        "url": "https://example.org/a/1",
        "source": "Example",
        "lang": "ar",
        "published_at": "2026-11-20T08:30:00+03:00",
        "section": "world",  # unknown fields are allowed (passed through under `extra`)
    },
    "enriched_article": {
        "schema_version": 1,
        "id": "a-1",
        "url": "https://example.org/a/1",
        "source": "Example",
        "title": None,
        "lang": "ar",
        "published_at": "2026-11-20T08:30:00+03:00",
        "received_at": "2026-11-20T05:31:02.120Z",
        "cluster_id": "a-1",
        "story_id": "a-0",
        "event_id": "e-0",
        "text": TEXT,
        "boilerplate": [{"kind": "source_line", "text": "المصدر: وكالات"}],
        "entities": [{"text": "Reuters", "label": "ORG", "start": 43, "end": 50, "count": 1, "fine_label": None}],
        "claims": [
            {
                "speaker": "وزير الخارجية",
                "cue": "قال",
                "content": "المفاوضات مستمرة",
                "kind": "direct",
                "start": 0,
                "end": 40,
                "via": None,
            }
        ],
        "nlp": {"backend": "stanza", "models": {"ar": "ner/aqmar"}},
        "extra": {"section": "world"},
    },
    "duplicate_event": {
        "schema_version": 1,
        "id": "a-2",
        "duplicate_of": "a-1",
        "cluster_id": "a-1",
        "story_id": "a-0",
        "event_id": "e-0",
        "similarity": 0.93,
        "method": "near",
        "source": "Other",
        "url": None,
        "received_at": "2026-11-20T05:32:00Z",
    },
    "claim_event": {
        "schema_version": 1,
        "article_id": "a-1",
        "cluster_id": "a-1",
        "lang": "en",
        "source": None,
        "published_at": None,
        "speaker": "a senior official",
        "cue": "said",
        "content": "talks resumed",
        "kind": "indirect",
        "start": 10,
        "end": 60,
    },
    "story_event": {
        "schema_version": 1,
        "story_id": "a-0",
        "event_id": "e-0",
        "article_id": "a-1",
        "lang": "ar",
        "relation": "rewrite",
        "score": 0.81,
        "size": 3,
        "sources": ["Example", "Other"],
        "languages": ["ar", "en"],
        "first_seen": "2026-11-20T05:31:02.120Z",
        "last_seen": "2026-11-20T05:40:00Z",
        "headline": "وزير الخارجية: المفاوضات مستمرة",
    },
    "dead_letter": {
        "schema_version": 1,
        "reason": "invalid_json",
        "detail": "value is not JSON: unexpected character",
        "original": {"topic": "articles.raw", "partition": 2, "offset": 1041, "key_b64": None, "value_b64": "e30s"},
        "failed_at": "2026-11-20T05:31:02.120Z",
    },
}


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name))


def errors(name: str, record: dict[str, Any]) -> list[str]:
    return [error.message for error in validator(name).iter_errors(record)]


def broken(name: str, path: tuple[str | int, ...], value: Any = ..., *, drop: bool = False) -> dict[str, Any]:
    record = copy.deepcopy(EXAMPLES[name])
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    if drop:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return record


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_schema_is_valid_draft_2020_12_with_version_1(name: str) -> None:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    if name != "raw_article":
        assert schema["properties"]["schema_version"]["const"] == 1
        assert "schema_version" in schema["required"]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_contracts_examples_are_accepted(name: str) -> None:
    assert errors(name, EXAMPLES[name]) == []


def test_load_schema_accepts_the_file_name_and_rejects_unknown_names() -> None:
    assert load_schema("dead_letter.json") == load_schema("dead_letter")
    with pytest.raises(ValueError, match="raw_article"):
        load_schema("../pyproject")


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("raw_article", broken("raw_article", ("body",), drop=True)),
        ("raw_article", broken("raw_article", ("body",), "  \n\t ")),
        ("raw_article", broken("raw_article", ("lang",), "arabic")),
        ("raw_article", broken("raw_article", ("published_at",), "yesterday")),
        ("enriched_article", broken("enriched_article", ("entities", 0, "label"), "PERSON")),
        ("enriched_article", broken("enriched_article", ("claims", 0, "kind"), "quoted")),
        ("enriched_article", broken("enriched_article", ("nlp",), {"models": {}})),
        ("enriched_article", broken("enriched_article", ("schema_version",), 2)),
        ("enriched_article", broken("enriched_article", ("text",), drop=True)),
        ("enriched_article", broken("enriched_article", ("entities", 0, "start"), -1)),
        ("duplicate_event", broken("duplicate_event", ("method",), "fuzzy")),
        ("duplicate_event", broken("duplicate_event", ("similarity",), 1.5)),
        ("claim_event", broken("claim_event", ("speaker",), drop=True)),
        ("enriched_article", broken("enriched_article", ("story_id",), drop=True)),
        ("duplicate_event", broken("duplicate_event", ("event_id",), None)),
        ("story_event", broken("story_event", ("relation",), "merged")),
        ("story_event", broken("story_event", ("size",), 0)),
        ("dead_letter", broken("dead_letter", ("reason",), "bad_input")),
        ("dead_letter", broken("dead_letter", ("original", "value_b64"), drop=True)),
        ("dead_letter", broken("dead_letter", ("original", "offset"), "1041")),
    ],
)
def test_records_consumers_could_not_rely_on_are_rejected(name: str, record: dict[str, Any]) -> None:
    assert errors(name, record) != []


def test_dead_letter_schema_knows_every_reason_the_service_emits() -> None:
    assert set(load_schema("dead_letter")["properties"]["reason"]["enum"]) == set(REASONS)
    for reason in REASONS:
        assert errors("dead_letter", broken("dead_letter", ("reason",), reason)) == []


def staged() -> Staged:
    article = Article(id="a-1", body=TEXT, url=None, source="Example", lang="ar", extra={"section": "world"})
    cleaned = CleanedText(TEXT, (Boilerplate("source_line", "المصدر: وكالات"),))
    origin = Origin.of("articles.raw", 1, 7, None, TEXT.encode())
    return Staged(article, cleaned, "ar", 1_790_000_000.25, origin, b"\x01", cluster_id=None)


def test_what_the_service_emits_matches_the_schemas() -> None:
    item = staged()
    entity = Entity("Reuters", "ORG", 43, 50, 2, fine_label="ORG")
    claim = Claim("وزير الخارجية", "قال", "المفاوضات مستمرة", "direct", 0, 40, via="Reuters")
    nlp: dict[str, object] = {"backend": "fallback", "langs": ["ar"]}
    place = StoryPlace("a-0", "e-0")
    assert errors("enriched_article", enriched_article(item, [entity], [claim], nlp, place)) == []
    assert errors("claim_event", claim_event(item, claim)) == []
    assert errors("duplicate_event", duplicate_event(item, "a-0", "a-0", 1.0, "exact", place)) == []
    story = story_event("a-1", place, "ar", "founded", 1.0, 1, ["Example"], ["ar"], 1.79e9, 1.79e9, "عنوان")
    assert errors("story_event", story) == []
    for reason in REASONS:
        assert errors("dead_letter", dead_letter(item.origin, reason, "detail", 1_790_000_001.0)) == []


def test_asyncapi_document_describes_each_topic_with_its_schema() -> None:
    doc = yaml.safe_load((SCHEMA_DIR / "asyncapi.yaml").read_text(encoding="utf-8"))
    assert doc["asyncapi"].startswith("3.")
    assert doc["servers"]["kafka"]["protocol"] == "kafka"
    addresses = {channel["address"] for channel in doc["channels"].values()}
    assert addresses == {"articles.raw", "articles.enriched", "articles.duplicates", "articles.claims",
                         "articles.stories", "articles.dlq"}  # fmt: skip
    referenced = set()
    for message in doc["components"]["messages"].values():
        ref = message["payload"]["schema"]["$ref"]
        assert (SCHEMA_DIR / ref).is_file(), ref
        referenced.add(Path(ref).stem)
        assert "key" in message["bindings"]["kafka"]
    assert referenced == set(SCHEMA_NAMES)
    for operation in doc["operations"].values():
        channel = operation["channel"]["$ref"].removeprefix("#/channels/")
        assert channel in doc["channels"]
