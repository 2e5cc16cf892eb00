"""Bootstrap: Settings → adapters → Faust app with agents and views → a running worker."""

from __future__ import annotations

import asyncio
import logging
import time

from prometheus_client import CollectorRegistry

from service.adapters.kafka.admin import ensure_topics
from service.adapters.kafka.connection import Connection
from service.adapters.metrics import Metrics
from service.adapters.nlp.langid import LanguageIdentifier
from service.adapters.nlp.port import ModelsMissing
from service.adapters.nlp.runner import NlpRunner
from service.adapters.nlp.stanza_backend import missing_model_files
from service.config import Settings
from service.logging_setup import configure_logging, log_what_python_prints, parse_levels
from service.stream import fetch_pause
from service.stream.agents import Services, States, register_agents
from service.stream.app import Wiring, build_app, topic_specs
from service.stream.malloc_tuning import keep_large_allocations_returnable
from service.stream.shutdown import BoundedShutdownWorker
from service.stream.web import readiness, register_views

logger = logging.getLogger(__name__)
STATE_REPORT_SECONDS = 5.0


def bootstrap(settings: Settings) -> tuple[Wiring, Services]:
    wiring = build_app(settings)
    metrics = Metrics(CollectorRegistry(), topics=settings.topics.outputs())
    metrics.set_story_thresholds(settings.story_thresholds, settings.langs)
    services = Services(
        settings=settings,
        metrics=metrics,
        nlp=NlpRunner(settings.nlp_mode, settings.langs, settings.stanza_dir, log_level=settings.log_level),
        langid=LanguageIdentifier(settings.langs),
        clock=time.time,
    )
    states = register_agents(wiring, services)
    register_views(wiring.app, services)
    _register_state_reporter(wiring, services, states)
    return wiring, services


def _register_state_reporter(wiring: Wiring, services: Services, states: States) -> None:
    """Gauges that must stay current even when nobody polls /readyz: readiness, consumer lag, and
    the size of the two global stages' indexes (summing their arrays per article cost the stage)."""
    app, metrics = wiring.app, services.metrics
    inputs = (wiring.raw, wiring.staged_dedup, wiring.staged_enrich, wiring.staged_stories)
    consumed = {topic.get_topic_name() for topic in inputs}

    @app.timer(STATE_REPORT_SECONDS)
    async def report_state() -> None:
        metrics.ready.set(1 if all(readiness(app, services).values()) else 0)
        metrics.dedup_index_articles.set(len(states.dedup.index))
        metrics.dedup_index_bytes.set(states.dedup.index.nbytes)
        metrics.story_index_articles.set(len(states.stories.index))
        metrics.story_index_bytes.set(states.stories.index.nbytes)
        consumer = app.consumer
        metrics.consumer_lag.clear()  # partitions that moved to another worker must not linger here
        for tp in consumer.assignment():
            if tp.topic not in consumed:  # our own table changelog and Faust's assignor topic are not input
                continue
            position = await consumer.position(tp)
            highwater = consumer.highwater(tp)
            if position is not None and highwater is not None:
                lag = max(highwater - position, 0)
                metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(lag)


def check_models(settings: Settings) -> None:
    """NEWSWIRE_NLP=stanza promises stanza: missing models stop the worker before it consumes anything."""
    if settings.nlp_mode == "stanza":
        missing = missing_model_files(settings.langs, settings.stanza_dir)
        if missing:
            raise ModelsMissing(settings.langs, missing)


def run_worker(settings: Settings) -> None:
    """Create the topics, then run the Faust worker until SIGTERM/SIGINT."""
    configure_logging(settings.log_level)
    log_what_python_prints()
    check_models(settings)
    if settings.processing_guarantee == "exactly_once":
        logger.warning(
            "NEWSWIRE_PROCESSING_GUARANTEE=exactly_once uses Kafka transactions but, with faust-streaming 0.15.3, "
            "records in flight at a crash can still be repeated (service/stream/transactions.py)"
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    fetch_pause.install(settings.empty_fetch_pause_seconds)
    keep_large_allocations_returnable()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    created = loop.run_until_complete(ensure_topics(Connection.of(settings), topic_specs(settings)))
    logger.info("topics ready", extra={"topics_created": created, "broker": settings.broker})
    thresholds = settings.story_thresholds  # stories differ with them: this line and newswire_story_threshold say which
    logger.info("story thresholds", extra={"join": thresholds.join, "event_link": thresholds.cross,
                                           "join_by_language": dict(thresholds.join_by_language)})
    wiring, services = bootstrap(settings)
    worker = BoundedShutdownWorker(
        wiring.app,
        shutdown_timeout=settings.shutdown_timeout_seconds,
        loglevel=parse_levels(settings.log_level)[0],  # the root level; per-logger levels are ours
        quiet=True,
        redirect_stdouts=False,
        override_logging=False,
        workdir=str(settings.data_dir),
        loop=loop,
    )
    worker.spinner = None  # Faust's terminal spinner would write escape codes into the JSON log stream
    try:
        worker.execute_from_commandline()
    finally:
        services.nlp.close()
