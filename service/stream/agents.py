"""Thin agents: decode → domain → publish. Any failure becomes a dead letter; the stream goes on.

Shapes flowing through each step; the two global stages (one partition each) only see small records:
  ingest   raw bytes          → prepared article (Staged JSON) on <app>-staged-enrich (key: id)
                                + DedupRequest (< 800 B) on <app>-staged-dedup | DeadLetter
  enrich   the work topic and  → see settling.py: articles are held until their dedup and story verdicts,
           <app>-staged-verdicts  then DuplicateEvent | EnrichedArticle + ClaimEvents | DeadLetter
  dedup    DedupRequest       → {"verdict": DedupVerdict} on <app>-staged-verdicts (key: id)
  stories  StoryRequest       → StoryEvent on articles.stories (key: story id)
                                + {"story": StoryVerdict} on <app>-staged-verdicts (key: id)
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import faust
import orjson

from service.adapters.metrics import Metrics
from service.adapters.nlp.langid import LanguageIdentifier
from service.adapters.nlp.runner import NlpRunner
from service.config import Settings
from service.domain.dedup.fingerprint import Fingerprint
from service.domain.ingest import Rejection, parse_raw
from service.domain.messages import Origin, story_event
from service.domain.prepare import prepare
from service.domain.verdicts import DedupRequest, DedupVerdict, StoryRequest, StoryVerdict
from service.stream.app import Wiring
from service.stream.dedup_state import DedupState
from service.stream.faust_consumer import SeekSafeConsumer
from service.stream.join import HeldArticles
from service.stream.publisher import Publisher
from service.stream.settling import DEDUP_VERDICT, STORY_VERDICT, WorkSettler, dedup_request
from service.stream.story_state import Placed, StoryState

logger = logging.getLogger(__name__)

ASK_AGAIN_EVERY_SECONDS = 30.0
ASK_AGAIN_AFTER_SECONDS = 60.0  # a verdict this late was lost with a worker: ask again (stages answer the same)
RELEASE_COPIES_EVERY_SECONDS = 2.0  # see story_state.COPY_WAIT_SECONDS


@dataclass
class Services:
    """The adapters the agents use, built once per worker by `service.worker.bootstrap`."""

    settings: Settings
    metrics: Metrics
    nlp: NlpRunner
    langid: LanguageIdentifier
    clock: Callable[[], float] = time.time


@dataclass(frozen=True)
class States:
    dedup: DedupState
    stories: StoryState


def register_agents(wiring: Wiring, services: Services) -> States:
    app, metrics, settings = wiring.app, services.metrics, services.settings
    publisher = Publisher(metrics, wiring.dlq, services.clock)
    dedup_state = DedupState(wiring.dedup_entries, settings.dedup_window_seconds, services.clock)
    story_state = StoryState(wiring.story_entries, settings.story_window_seconds, services.clock,
                             settings.story_thresholds)
    held = HeldArticles()
    settler = WorkSettler(wiring, services, publisher, held)
    if isinstance(app.consumer, SeekSafeConsumer):
        app.consumer.let_go_when_draining(lambda: [*held.let_go(), *settler.early.let_go()])

    @app.on_partitions_assigned.connect
    def on_assigned(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        dedup_state.mark_stale()
        story_state.mark_stale()

    @app.on_partitions_revoked.connect
    def on_revoked(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        revoked = args[0] if args else ()
        held.forget(revoked)  # their articles (and early verdicts) are read again by the partitions' new owner
        settler.early.forget(revoked)
        metrics.join_held.set(len(held))

    @app.agent(wiring.raw, name="ingest")
    async def ingest(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            message = event.message
            origin = Origin.of(message.topic, message.partition, message.offset, message.key, message.value)
            metrics.consumed.inc()
            metrics.last_processed.set(services.clock())
            try:
                with metrics.time_stage("ingest"):
                    parsed = parse_raw(message.value, settings.max_article_bytes)
                    if isinstance(parsed, Rejection):
                        await publisher.dead_letter(origin, parsed.reason, parsed.detail)
                        continue
                    staged = prepare(parsed, origin, services.clock(), services.langid.detect)
                key = staged.article.id.encode()
                await wiring.staged_enrich.send(key=key, value=orjson.dumps(staged.to_dict()))
                await wiring.staged_dedup.send(key=key, value=dedup_request(staged))
            except Exception as exc:
                logger.exception("ingest failed", extra={"offset": message.offset, "partition": message.partition})
                await publisher.dead_letter(origin, "processing_error", f"ingest: {exc!r}")

    @app.agent(wiring.staged_dedup, name="dedup")
    async def dedup(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            key = event.message.key or b""
            try:
                with metrics.time_stage("dedup"):
                    request = DedupRequest.from_bytes(event.message.value or b"")
                    decided = dedup_state.decide(
                        request.article_id, Fingerprint.from_bytes(request.fingerprint), request.received_at
                    )
                verdict = DedupVerdict(decided.article_id, decided.cluster_id, decided.duplicate_of,
                                       decided.similarity, decided.method)  # fmt: skip
            except Exception as exc:
                logger.exception("dedup failed", extra={"article_id": key.decode(errors="replace")})
                verdict = DedupVerdict.failed(key.decode(errors="replace"), f"dedup: {exc!r}")
            await wiring.staged_verdicts.send(key=key, value=orjson.dumps({DEDUP_VERDICT: verdict.to_dict()}))

    @app.agent(wiring.staged_stories, name="stories")
    async def stories(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            key = event.message.key or b""
            try:
                with metrics.time_stage("stories"):
                    placed = story_state.place(StoryRequest.from_dict(orjson.loads(event.message.value or b"")))
            except Exception as exc:
                logger.exception("stories failed", extra={"article_id": key.decode(errors="replace")})
                failed = StoryVerdict.failed(key.decode(errors="replace"), f"stories: {exc!r}")
                await wiring.staged_verdicts.send(key=key, value=orjson.dumps({STORY_VERDICT: failed.to_dict()}))
                continue
            for each in placed:  # nothing yet for a copy that waits for its original
                await tell_story(each)

    async def tell_story(placed: Placed) -> None:
        assignment, view = placed.assignment, placed.story
        verdict = StoryVerdict(assignment.article_id, assignment.story_id, assignment.event_id)
        if view is not None:
            await publisher.send(wiring.stories, view.story_id, story_event(
                assignment.article_id, verdict.place, view.lang, assignment.relation, assignment.score,
                view.size, list(view.sources), list(view.languages), view.first_seen, view.last_seen, view.headline,
            ))  # fmt: skip
        metrics.story_assignments.labels(relation=assignment.relation).inc()
        await wiring.staged_verdicts.send(
            key=assignment.article_id.encode(), value=orjson.dumps({STORY_VERDICT: verdict.to_dict()})
        )

    @app.agent(wiring.enrich_inputs, name="enrich")
    async def enrich(stream: faust.StreamT[bytes]) -> None:
        await services.nlp.start()
        # take_events (not take): the events carry offsets for dead letters. It is not on the StreamT ABC.
        async for events in cast(faust.Stream[bytes], stream).take_events(
            settings.enrich_batch_size, within=settings.enrich_batch_seconds
        ):
            if logger.isEnabledFor(logging.DEBUG):  # which offsets a batch held: the trail for a lost-record hunt
                offsets = [(event.message.partition, event.message.offset) for event in events]
                logger.debug("enrich batch", extra={"offsets": offsets})
            for event in events:
                await settler.read(event)
            await settler.finish_batch()
            metrics.join_held.set(len(held))
            metrics.last_processed.set(services.clock())

    @app.timer(RELEASE_COPIES_EVERY_SECONDS)
    async def release_waiting_copies() -> None:
        for placed in story_state.release_overdue():
            await tell_story(placed)

    @app.timer(ASK_AGAIN_EVERY_SECONDS)
    async def ask_again() -> None:
        await settler.ask_again(services.clock(), ASK_AGAIN_AFTER_SECONDS)
        settler.early.expire(services.clock())

    @app.task
    async def load_models() -> None:
        # The language model loads in a thread so the first article does not stall the event loop.
        language_model = asyncio.get_running_loop().run_in_executor(None, services.langid.load)
        await services.nlp.start()
        await language_model
        metrics.set_nlp(services.nlp.backend_name, settings.langs, services.nlp.load_seconds)

    return States(dedup_state, story_state)
