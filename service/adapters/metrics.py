"""Every Prometheus metric of the service, built in one place from a registry passed in.

Names are the public contract (CONTRACT.md, "Metrics"); the Grafana dashboard and the alert
rules in deploy/ use only these. prometheus_client appends `_total` to counter names itself, so
counters are declared without it and exposed exactly as the contract spells them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from service import __version__
from service.domain.ingest import REASONS
from service.domain.records import ENTITY_LABELS
from service.domain.stories.index import Thresholds

# What generate_latest() writes (names are legacy-safe); prometheus_client itself serves it so when
# the scraper does not negotiate.
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
STAGES = ("ingest", "dedup", "enrich", "claims")
DUPLICATE_METHODS = ("exact", "near")
CLAIM_KINDS = ("direct", "indirect")
# From a fingerprint (~100 µs) to a stanza batch on a slow CPU (tens of seconds).
STAGE_BUCKETS = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)


class Metrics:
    """The service's metrics. Label values that dashboards and alerts query start at 0, so their
    series exist (and `rate()`/`absent()` behave) before the first event."""

    def __init__(self, registry: CollectorRegistry, topics: Iterable[str] = (), version: str = __version__) -> None:
        self.registry = registry
        self.content_type = CONTENT_TYPE

        def counter(name: str, doc: str, labels: tuple[str, ...] = ()) -> Counter:
            return Counter(name, doc, labels, registry=registry)

        def gauge(name: str, doc: str, labels: tuple[str, ...] = ()) -> Gauge:
            return Gauge(name, doc, labels, registry=registry)

        # The contract's minimum set.
        self.consumed = counter("newswire_articles_consumed", "Records read from the raw topic.")
        self.published = counter("newswire_articles_published", "Records published, by topic.", ("topic",))
        self.duplicates = counter("newswire_duplicates", "Articles recognised as copies, by method.", ("method",))
        self.dead_letters = counter("newswire_dead_letters", "Records sent to the dead-letter topic.", ("reason",))
        self.stage_duration = Histogram(
            "newswire_stage_duration_seconds",
            "Time spent per stage (enrich: per batch).",
            ("stage",),
            buckets=STAGE_BUCKETS,
            registry=registry,
        )
        self.entities = counter("newswire_entities_extracted", "Named entities published, by label.", ("label",))
        self.claims = counter("newswire_claims_extracted", "Attributed claims published, by kind.", ("kind",))

        # For on-call: backlog, liveness of the flow, state size, model state.
        self.consumer_lag = gauge(
            "newswire_consumer_lag_messages", "Messages behind the high watermark.", ("topic", "partition")
        )
        self.last_processed = gauge(
            "newswire_last_processed_timestamp_seconds", "Unix time of the last record processed (0 = none yet)."
        )
        self.dedup_index_articles = gauge("newswire_dedup_index_articles", "Articles held in the dedup index.")
        self.dedup_index_bytes = gauge("newswire_dedup_index_bytes", "Approximate memory of the dedup index.")
        self.story_index_articles = gauge("newswire_story_index_articles", "Articles held in the story index.")
        self.story_index_bytes = gauge("newswire_story_index_bytes", "Approximate memory of the story index.")
        self.story_assignments = counter(
            "newswire_story_assignments", "Articles placed in a story, by how they joined it.", ("relation",)
        )
        self.story_failures = counter(
            "newswire_story_failures", "Articles published without a story because the story stage failed."
        )
        self.join_held = gauge(
            "newswire_enrich_held_articles", "Prepared articles held by this worker until their dedup verdict comes."
        )
        self.nlp_info = gauge("newswire_nlp_info", "NLP backend in use (value is always 1).", ("backend", "langs"))
        self.nlp_fallback_active = gauge("newswire_nlp_fallback_active", "1 when the fallback replaces stanza.")
        self.nlp_load_seconds = gauge("newswire_nlp_load_seconds", "Time it took to load the NLP models.")
        self.enrich_batch_size = Histogram(
            "newswire_enrich_batch_size", "Articles per enrichment batch.", buckets=BATCH_BUCKETS, registry=registry
        )
        self.publish_failures = counter("newswire_publish_failures", "Sends that failed, by topic.", ("topic",))
        self.ready = gauge("newswire_ready", "1 when consuming with models loaded (as /readyz).")
        self.build_info = gauge("newswire_build_info", "Running version (value is always 1).", ("version",))
        self.story_threshold = gauge(
            "newswire_story_threshold",
            "Story decisions' thresholds this worker runs: join by language (other: the languages without "
            "their own), event_link for all. They must be equal on every worker.",
            ("decision", "language"),
        )

        self.build_info.labels(version=version).set(1)
        self._preinitialise(tuple(topics))

    def _preinitialise(self, topics: tuple[str, ...]) -> None:
        for topic in topics:
            self.published.labels(topic=topic)
            self.publish_failures.labels(topic=topic)
        for method in DUPLICATE_METHODS:
            self.duplicates.labels(method=method)
        for reason in REASONS:
            self.dead_letters.labels(reason=reason)
        for stage in STAGES:
            self.stage_duration.labels(stage=stage)
        for label in ENTITY_LABELS:
            self.entities.labels(label=label)
        for kind in CLAIM_KINDS:
            self.claims.labels(kind=kind)

    @contextmanager
    def time_stage(self, stage: str) -> Iterator[None]:
        """Observe the duration of the `with` block under `stage`, also when it raises."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.observe_stage(stage, time.perf_counter() - started)

    def observe_stage(self, stage: str, seconds: float) -> None:
        """A duration measured elsewhere (the NLP process times its own stages)."""
        self.stage_duration.labels(stage=stage).observe(seconds)

    def set_nlp(self, backend: str, langs: Iterable[str], load_seconds: float, fallback: bool | None = None) -> None:
        """Record which NLP backend serves which languages (replacing any previous one).

        `fallback` defaults to "the backend's name starts with 'fallback'"."""
        self.nlp_info.clear()
        self.nlp_info.labels(backend=backend, langs=",".join(langs)).set(1)
        is_fallback = backend.startswith("fallback") if fallback is None else fallback
        self.nlp_fallback_active.set(1 if is_fallback else 0)
        self.nlp_load_seconds.set(load_seconds)

    def set_story_thresholds(self, thresholds: Thresholds, langs: Iterable[str]) -> None:
        """One series per decision and language: the service's languages, any language given its own
        join, and `other` for the rest. An alert compares them across workers (deploy/prometheus)."""
        self.story_threshold.clear()
        for lang in sorted({*langs, *thresholds.join_by_language}):
            self.story_threshold.labels(decision="join", language=lang).set(thresholds.join_for(lang))
        self.story_threshold.labels(decision="join", language="other").set(thresholds.join)
        self.story_threshold.labels(decision="event_link", language="all").set(thresholds.cross)

    def exposition(self) -> bytes:
        """The registry in Prometheus text format (serve with `content_type`)."""
        return generate_latest(self.registry)
