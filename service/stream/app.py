"""The faust.App, its topics and its table, built from Settings (no module globals, no I/O at import).

Flow (see agents.py for each step):

    articles.raw ─► ingest ─► <app>-staged-enrich (N partitions, the work topic) ─► enrich ─► articles.enriched
                      │        prepared articles, then the verdict on each   ▲    │  held   articles.claims
                      │                                                      │    │  until   articles.duplicates
                      │        <app>-staged-dedup (1 partition) ─► dedup ────┘    │  its verdict
                      │          ▲ DedupRequest: id + fingerprint (< 1 KB)         │
                      │          └─────────────────────────────────────────────────┘
                      └──► articles.dlq (any stage)
The dedup index runs on ONE partition so that every copy meets every candidate, whichever raw
partition it arrived on. It only ever handles ids, fingerprints and verdicts: the article itself
goes from ingest to the enrich side by the partitioned work topic, so the single partition stays
far from being the bottleneck as workers are added.
"""

from __future__ import annotations

from dataclasses import dataclass

import faust
from faust.types import TableT

from service.adapters.kafka.connection import ssl_context
from service.config import KafkaSecurity, Settings
from service.stream.faust_consumer import SeekSafeTransport
from service.stream.transactions import ExactlyOnceTransport

DEDUP_PARTITIONS = 1
STORIES_PARTITIONS = 1  # like dedup: every article meets every open story on one partition
# Faust's RocksDB defaults are sized for big tables (64 MB memtables, up to 3; a 2 GB block cache).
# The state tables are written once per article and read only to rebuild the index on assignment, so
# small memtables keep the worker's memory flat as the table grows; flushes go to disk sooner.
MIB = 1024 * 1024
STATE_TABLE_ROCKSDB = {"write_buffer_size": 4 * MIB, "max_write_buffer_number": 2, "block_cache_size": 8 * MIB}


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    compacted: bool = False


@dataclass(frozen=True)
class Wiring:
    """Everything the agents need from Faust."""

    app: faust.App
    raw: faust.TopicT
    enriched: faust.TopicT
    duplicates: faust.TopicT
    claims: faust.TopicT
    dlq: faust.TopicT
    stories: faust.TopicT
    staged_dedup: faust.TopicT
    staged_enrich: faust.TopicT
    staged_stories: faust.TopicT
    staged_verdicts: faust.TopicT
    enrich_inputs: faust.TopicT  # the work topic and the verdicts topic, read by the enrich agent
    dedup_entries: TableT[bytes, bytes]
    story_entries: TableT[bytes, bytes]


def internal_topic_name(settings: Settings, stage: str) -> str:
    """<app>-staged-dedup, -enrich (the work topic), -stories and -verdicts (the global stages' answers)."""
    return f"{settings.app_id}-staged-{stage}"


def internal_partitions(settings: Settings) -> dict[str, int]:
    # The verdicts topic has the work topic's partitions: Faust assigns both to the same worker.
    return {"dedup": DEDUP_PARTITIONS, "enrich": settings.partitions, "stories": STORIES_PARTITIONS,
            "verdicts": settings.partitions}  # fmt: skip


def topic_specs(settings: Settings) -> list[TopicSpec]:
    """Every topic the service reads or writes, with explicit partition counts."""
    public = [TopicSpec(name, settings.partitions) for name in (settings.topics.raw, *settings.topics.outputs())]
    internal = [TopicSpec(internal_topic_name(settings, stage), count)
                for stage, count in internal_partitions(settings).items()]  # fmt: skip
    return [*public, *internal]


def credentials(security: KafkaSecurity) -> faust.auth.Credentials | None:
    """NEWSWIRE_SECURITY_PROTOCOL and friends as Faust credentials (aiokafka's: adapters/kafka/connection.py)."""
    context = ssl_context(security) if security.uses_ssl else None
    if security.uses_sasl:
        return faust.SASLCredentials(username=security.sasl_username, password=security.sasl_password,
                                     ssl_context=context, mechanism=security.sasl_mechanism)  # fmt: skip
    return faust.SSLCredentials(context) if context is not None else None


def build_app(settings: Settings) -> Wiring:
    app = faust.App(
        settings.app_id,
        broker=settings.broker,
        broker_credentials=credentials(settings.security),
        processing_guarantee=settings.processing_guarantee,
        datadir=str(settings.data_dir),
        store="rocksdb://",  # the dedup and story tables live on disk; the in-memory indexes are rebuilt from them
        web_port=settings.web_port,
        web_bind=settings.web_bind,
        web_host="127.0.0.1" if settings.web_bind.startswith("127.") else None,
        topic_partitions=settings.partitions,
        consumer_auto_offset_reset="earliest",  # a new group must not skip articles already on the wire
        producer_acks=-1,
        # Faust's defaults (no linger, 16 KB batches) send an 8 KB staged record nearly alone per
        # request: 5 ms and 256 KB batches took one worker from ~220 to ~240 articles/s (two
        # workers ~280 to ~310) with p99 at 100/s unchanged (benchmarks/bench_e2e.py).
        producer_linger=0.005,
        producer_max_batch_size=256 * 1024,
        # Backpressure instead of unbounded memory: few records in flight per stream, small fetches
        # (aiokafka otherwise prefetches up to 4 MB per partition while a slow stage falls behind).
        stream_buffer_maxsize=256,
        broker_max_poll_records=200,
        consumer_max_fetch_size=256 * 1024,
        # Static membership: a restarted worker takes its own place back at once instead of
        # waiting for the dead member's session to expire (None = classic dynamic membership).
        consumer_group_instance_id=settings.instance_id,
        broker_commit_every=500,
        table_cleanup_interval=3600.0,
    )
    # Faust's own aiokafka transport, whose consumer keeps at-least-once across seeks (faust_consumer.py);
    # with exactly_once, one transaction per worker committed between records (transactions.py).
    exactly_once = settings.processing_guarantee == "exactly_once"
    app.transport = (ExactlyOnceTransport if exactly_once else SeekSafeTransport)(app.conf.broker_consumer, app)

    def raw_topic(name: str, partitions: int) -> faust.TopicT:
        return app.topic(
            name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw", partitions=partitions
        )

    topics = settings.topics
    return Wiring(
        app=app,
        raw=raw_topic(topics.raw, settings.partitions),
        enriched=raw_topic(topics.enriched, settings.partitions),
        duplicates=raw_topic(topics.duplicates, settings.partitions),
        claims=raw_topic(topics.claims, settings.partitions),
        dlq=raw_topic(topics.dlq, settings.partitions),
        stories=raw_topic(topics.stories, settings.partitions),
        **{
            f"staged_{stage}": raw_topic(internal_topic_name(settings, stage), count)
            for stage, count in internal_partitions(settings).items()
        },
        enrich_inputs=app.topic(
            internal_topic_name(settings, "enrich"), internal_topic_name(settings, "verdicts"),
            key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw",
        ),
        dedup_entries=app.Table(
            "dedup-entries",
            partitions=DEDUP_PARTITIONS,
            key_type=bytes,  # Faust picks the table's (changelog and store) serializers from these: raw
            value_type=bytes,
            help="article id → dedup index entry (changelog-backed; the index is rebuilt from it)",
            options=STATE_TABLE_ROCKSDB,
        ),
        story_entries=app.Table(
            "story-entries",
            partitions=STORIES_PARTITIONS,
            key_type=bytes,
            value_type=bytes,
            help="article id → story record (changelog-backed; the story index is rebuilt from it)",
            options=STATE_TABLE_ROCKSDB,
        ),
    )
