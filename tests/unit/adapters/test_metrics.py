"""The metrics a Prometheus scrape of a worker shows (names are contract: CONTRACT.md, "Metrics")."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from service.adapters.metrics import CONTENT_TYPE, Metrics
from service.domain.ingest import REASONS
from service.domain.stories.index import JOIN_THRESHOLD, LANGUAGE_JOIN_THRESHOLDS, Thresholds

TOPICS = ["articles.enriched", "articles.duplicates", "articles.claims", "articles.dlq"]


def scrape(metrics: Metrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Sample (name, labels) → value, as Prometheus would store them after a scrape."""
    text = metrics.exposition().decode("utf-8")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(metrics: Metrics, name: str, **labels: str) -> float:
    return scrape(metrics)[(name, frozenset(labels.items()))]


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(CollectorRegistry(), topics=TOPICS, version="9.9.9")


def test_contract_metrics_are_exposed_under_their_exact_names(metrics: Metrics) -> None:
    families = {family.name: family.type for family in text_string_to_metric_families(metrics.exposition().decode())}
    # The parser drops `_total` from counter family names; the samples keep it (checked below).
    assert families["newswire_articles_consumed"] == "counter"
    assert families["newswire_articles_published"] == "counter"
    assert families["newswire_duplicates"] == "counter"
    assert families["newswire_dead_letters"] == "counter"
    assert families["newswire_stage_duration_seconds"] == "histogram"
    assert families["newswire_entities_extracted"] == "counter"
    assert families["newswire_claims_extracted"] == "counter"
    sample_names = {name for name, _ in scrape(metrics)}
    for name in (
        "newswire_articles_consumed_total",
        "newswire_articles_published_total",
        "newswire_duplicates_total",
        "newswire_dead_letters_total",
        "newswire_stage_duration_seconds_bucket",
        "newswire_entities_extracted_total",
        "newswire_claims_extracted_total",
    ):
        assert name in sample_names
    assert not any(name.endswith("_total_total") for name in sample_names)


def test_series_that_alerts_query_exist_at_zero_before_any_event(metrics: Metrics) -> None:
    for reason in REASONS:
        assert value(metrics, "newswire_dead_letters_total", reason=reason) == 0
    for method in ("exact", "near"):
        assert value(metrics, "newswire_duplicates_total", method=method) == 0
    for topic in TOPICS:
        assert value(metrics, "newswire_articles_published_total", topic=topic) == 0
        assert value(metrics, "newswire_publish_failures_total", topic=topic) == 0
    for label in ("PER", "ORG", "LOC", "MISC"):
        assert value(metrics, "newswire_entities_extracted_total", label=label) == 0
    assert value(metrics, "newswire_stage_duration_seconds_count", stage="enrich") == 0
    assert value(metrics, "newswire_ready") == 0
    assert value(metrics, "newswire_build_info", version="9.9.9") == 1


def test_counters_count_by_label(metrics: Metrics) -> None:
    metrics.consumed.inc(3)
    metrics.published.labels(topic="articles.enriched").inc()
    metrics.dead_letters.labels(reason="invalid_json").inc(2)
    metrics.duplicates.labels(method="near").inc()
    assert value(metrics, "newswire_articles_consumed_total") == 3
    assert value(metrics, "newswire_articles_published_total", topic="articles.enriched") == 1
    assert value(metrics, "newswire_articles_published_total", topic="articles.dlq") == 0
    assert value(metrics, "newswire_dead_letters_total", reason="invalid_json") == 2
    assert value(metrics, "newswire_duplicates_total", method="near") == 1
    assert value(metrics, "newswire_duplicates_total", method="exact") == 0


def test_time_stage_observes_the_block_even_when_it_raises(metrics: Metrics) -> None:
    with metrics.time_stage("dedup"):
        pass
    with pytest.raises(RuntimeError), metrics.time_stage("dedup"):
        raise RuntimeError("boom")
    assert value(metrics, "newswire_stage_duration_seconds_count", stage="dedup") == 2
    assert value(metrics, "newswire_stage_duration_seconds_count", stage="ingest") == 0


def test_stage_buckets_separate_100_microseconds_from_30_seconds(metrics: Metrics) -> None:
    metrics.stage_duration.labels(stage="ingest").observe(0.00008)
    metrics.stage_duration.labels(stage="enrich").observe(25.0)
    assert value(metrics, "newswire_stage_duration_seconds_bucket", stage="ingest", le="0.0001") == 1
    assert value(metrics, "newswire_stage_duration_seconds_bucket", stage="enrich", le="10.0") == 0
    assert value(metrics, "newswire_stage_duration_seconds_bucket", stage="enrich", le="30.0") == 1


def test_batch_size_histogram_spans_1_to_256(metrics: Metrics) -> None:
    for size in (1, 32, 200):
        metrics.enrich_batch_size.observe(size)
    assert value(metrics, "newswire_enrich_batch_size_bucket", le="1.0") == 1
    assert value(metrics, "newswire_enrich_batch_size_bucket", le="32.0") == 2
    assert value(metrics, "newswire_enrich_batch_size_bucket", le="256.0") == 3


def test_set_nlp_replaces_the_backend_and_flags_the_fallback(metrics: Metrics) -> None:
    metrics.set_nlp("stanza", ("ar", "en"), 4.5)
    assert value(metrics, "newswire_nlp_info", backend="stanza", langs="ar,en") == 1
    assert value(metrics, "newswire_nlp_fallback_active") == 0
    assert value(metrics, "newswire_nlp_load_seconds") == 4.5

    metrics.set_nlp("fallback", ["ar"], 0.1)
    samples = scrape(metrics)
    info = [labels for name, labels in samples if name == "newswire_nlp_info"]
    assert info == [frozenset({("backend", "fallback"), ("langs", "ar")})]
    assert value(metrics, "newswire_nlp_fallback_active") == 1

    metrics.set_nlp("rules-v2", ["en"], 0.1, fallback=True)
    assert value(metrics, "newswire_nlp_fallback_active") == 1


def test_story_thresholds_show_each_language_the_rest_and_the_event_link(metrics: Metrics) -> None:
    thresholds = Thresholds(join=0.5, join_by_language={"ar": 0.3, "fr": 0.4}, cross=0.25)
    metrics.set_story_thresholds(thresholds, ["ar", "en"])
    shown = {dict(labels)["decision"] + ":" + dict(labels)["language"]: sample
             for (name, labels), sample in scrape(metrics).items() if name == "newswire_story_threshold"}
    assert shown == {"join:ar": 0.3, "join:en": 0.5, "join:fr": 0.4, "join:other": 0.5, "event_link:all": 0.25}

    metrics.set_story_thresholds(Thresholds(), ["ar", "en"])  # replaced, not added to
    for lang in ("ar", "en"):
        shown_join = value(metrics, "newswire_story_threshold", decision="join", language=lang)
        assert shown_join == LANGUAGE_JOIN_THRESHOLDS.get(lang, JOIN_THRESHOLD)
    assert ("newswire_story_threshold", frozenset({("decision", "join"), ("language", "fr")})) not in scrape(metrics)


def test_gauges_for_lag_and_liveness(metrics: Metrics) -> None:
    metrics.consumer_lag.labels(topic="articles.raw", partition="3").set(120)
    metrics.last_processed.set(1_790_000_000.5)
    metrics.ready.set(1)
    assert value(metrics, "newswire_consumer_lag_messages", topic="articles.raw", partition="3") == 120
    assert value(metrics, "newswire_last_processed_timestamp_seconds") == 1_790_000_000.5
    assert value(metrics, "newswire_ready") == 1


def test_two_instances_do_not_collide_in_separate_registries() -> None:
    first, second = Metrics(CollectorRegistry()), Metrics(CollectorRegistry())
    first.consumed.inc()
    assert value(first, "newswire_articles_consumed_total") == 1
    assert value(second, "newswire_articles_consumed_total") == 0


def test_exposition_is_prometheus_text_format(metrics: Metrics) -> None:
    assert metrics.content_type == CONTENT_TYPE
    assert CONTENT_TYPE.startswith("text/plain; version=0.0.4")
    assert metrics.exposition().startswith(b"# HELP ")
