"""Through a real worker on the real broker: every input leaves exactly one trace, bad input included."""

from __future__ import annotations

import base64
from collections.abc import Callable

import orjson
import pytest
from jsonschema import Draft202012Validator

from service.schemas import load_schema
from tests.integration.harness import Deployment, Record
from tests.integration.stories import STORY_AR, STORY_EN

pytestmark = pytest.mark.integration

MAX_BYTES = 8192
VALID = {
    "ar-1": {"id": "ar-1", "body": STORY_AR + "\n\nالمصدر: الحرة", "lang": "ar", "source": "الحرة",
             "published_at": "2024-10-10T09:00:00Z", "section": "world"},
    "en-1": {"id": "en-1", "body": STORY_EN, "source": "wire", "url": "https://example.com/en-1"},
}  # fmt: skip
BAD = {
    b"bad-json": (b"{not json", "invalid_json"),
    b"bad-array": (b"[1, 2]", "not_an_object"),
    b"bad-nobody": (b'{"id": "x1", "title": "no body"}', "missing_body"),
    b"bad-empty": (b'{"id": "x2", "body": "  "}', "empty_body"),
    b"bad-date": (b'{"id": "x3", "body": "text", "published_at": 1728547200}', "invalid_field"),
    b"bad-utf8": (b'{"id": "x4", "body": "\xc3\x28"}', "invalid_utf8"),
    b"bad-large": (orjson.dumps({"id": "x5", "body": "x" * MAX_BYTES}), "too_large"),
}
SCHEMAS = {
    "enriched": "enriched_article",
    "duplicates": "duplicate_event",
    "claims": "claim_event",
    "dlq": "dead_letter",
    "stories": "story_event",
}


def verdicts(found: dict[str, list[Record]]) -> int:
    return sum(len(found[kind]) for kind in ("enriched", "duplicates", "dlq"))


@pytest.fixture
def deployment(deployment_factory: Callable[..., Deployment]) -> Deployment:
    deployment = deployment_factory(NEWSWIRE_MAX_ARTICLE_BYTES=str(MAX_BYTES))
    deployment.start_worker()
    return deployment


def test_every_input_leaves_exactly_one_trace(deployment: Deployment) -> None:
    copy = dict(VALID["ar-1"], id="ar-1-copy", source="aggregator", body=STORY_AR + "\n\nإقرأ أيضاً:\n\nخبر آخر")
    records = [(k.encode(), orjson.dumps(v)) for k, v in VALID.items()]
    records += [(key, value) for key, (value, _) in BAD.items()]
    deployment.feed(records)
    deployment.collect(lambda f: len(f["enriched"]) >= len(VALID))
    # The copy goes in once its original is known, so "first seen" is unambiguous across partitions.
    records.append((b"ar-1-copy", orjson.dumps(copy)))
    deployment.feed(records[-1:])

    found = deployment.collect(lambda f: verdicts(f) >= len(records))
    assert verdicts(found) == len(records)  # one verdict per input, no more

    enriched = {r.value["id"]: r for r in found["enriched"]}
    assert set(enriched) == {"ar-1", "en-1"}
    assert [r.value["id"] for r in found["duplicates"]] == ["ar-1-copy"]
    duplicate = found["duplicates"][0].value
    assert duplicate["duplicate_of"] == "ar-1" and duplicate["cluster_id"] == enriched["ar-1"].value["cluster_id"]

    reasons = {r.key: r.value["reason"] for r in found["dlq"]}
    assert reasons == {key: reason for key, (_, reason) in BAD.items()}

    # The copy joins its original's story; every article that is not a dead letter founds or joins one.
    ar_story = enriched["ar-1"].value["story_id"]
    assert (duplicate["story_id"], duplicate["event_id"]) == (ar_story, enriched["ar-1"].value["event_id"])
    stories = deployment.collect(lambda f: len(f["stories"]) >= 3)["stories"]
    assert {(r.value["article_id"], r.value["relation"]) for r in stories} >= {("ar-1", "founded"),
                                                                              ("ar-1-copy", "copy")}  # fmt: skip
    latest = [r.value for r in stories if r.key == ar_story.encode()][-1]
    assert latest["size"] == 2 and latest["languages"] == ["ar"]


def test_outputs_follow_the_contract(deployment: Deployment) -> None:
    deployment.feed([(b"ar-1", orjson.dumps(VALID["ar-1"])), (b"bad-json", b"{not json")])
    found = deployment.collect(lambda f: len(f["enriched"]) >= 1 and len(f["dlq"]) >= 1)
    for kind, records in found.items():
        validator = Draft202012Validator(load_schema(SCHEMAS[kind]))
        for record in records:
            validator.validate(record.value)
    article = found["enriched"][0]
    assert article.key == b"ar-1"  # keyed by article id
    value = article.value
    assert value["lang"] == "ar" and value["extra"] == {"section": "world"}
    assert "المصدر" not in value["text"] and value["text"].startswith("كشف منسق")
    assert any(b["kind"] == "source_line" for b in value["boilerplate"])
    assert value["nlp"]["backend"] == "fallback"
    for entity in value["entities"]:
        assert value["text"][entity["start"] : entity["end"]] == entity["text"]


def test_dead_letters_carry_the_exact_original_bytes_and_replay_the_same(deployment: Deployment) -> None:
    fed = [(key, value) for key, (value, _) in BAD.items()]
    deployment.feed(fed)
    first = deployment.collect(lambda f: len(f["dlq"]) >= len(fed))["dlq"]
    originals = {r.key: r.value["original"] for r in first}
    for key, value in fed:
        original = originals[key]
        assert base64.b64decode(original["value_b64"]) == value
        assert base64.b64decode(original["key_b64"]) == key
        assert original["topic"] == deployment.topic("raw")

    # Replaying a dead letter's bytes reproduces the input exactly, hence the same verdict.
    deployment.feed((base64.b64decode(o["key_b64"]), base64.b64decode(o["value_b64"])) for o in originals.values())
    second = deployment.collect(lambda f: len(f["dlq"]) >= 2 * len(fed))["dlq"]
    by_key: dict[bytes | None, set[str]] = {}
    for record in second:
        by_key.setdefault(record.key, set()).add(record.value["reason"])
    assert all(len(reasons) == 1 for reasons in by_key.values())


def test_health_readiness_and_metrics_endpoints(deployment: Deployment) -> None:
    worker = deployment.workers[0]
    deployment.feed([(b"en-1", orjson.dumps(VALID["en-1"])), (b"bad", b"[]")])
    deployment.collect(lambda f: len(f["enriched"]) >= 1 and len(f["dlq"]) >= 1)
    assert worker.http_status("/healthz") == 200
    ready = orjson.loads(worker.http("/readyz"))
    assert ready["ready"] is True and ready["checks"]["models_loaded"] is True
    metrics = worker.http("/metrics").decode()
    assert "newswire_articles_consumed_total 2.0" in metrics
    assert 'newswire_dead_letters_total{reason="not_an_object"} 1.0' in metrics
    assert f'newswire_articles_published_total{{topic="{deployment.topic("enriched")}"}} 1.0' in metrics
