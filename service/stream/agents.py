"""Thin agents: decode → domain → publish. Any failure becomes a dead letter; the stream goes on.

Shapes flowing through each step:
  ingest  raw bytes                 → Staged JSON on <app>-staged-dedup (key: article id) | DeadLetter
  dedup   Staged                    → DuplicateEvent on articles.duplicates (key: cluster id)
                                      | Staged+cluster_id on <app>-staged-enrich (key: article id)
  enrich  batches of Staged         → EnrichedArticle (key: article id) + one ClaimEvent per claim
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, cast

import faust
import orjson

from service.adapters.metrics import Metrics
from service.adapters.nlp.langid import LanguageIdentifier
from service.adapters.nlp.port import Analysis
from service.adapters.nlp.runner import NlpRunner
from service.config import Settings
from service.domain.claims.extract import extract_claims
from service.domain.dedup.fingerprint import Fingerprint
from service.domain.ingest import Rejection, parse_raw
from service.domain.messages import Origin, Staged, claim_event, dead_letter, duplicate_event, enriched_article
from service.domain.prepare import prepare
from service.stream.app import Wiring
from service.stream.dedup_state import DedupState

logger = logging.getLogger(__name__)


@dataclass
class Services:
    """The adapters the agents use, built once per worker by `service.worker.bootstrap`."""

    settings: Settings
    metrics: Metrics
    nlp: NlpRunner
    langid: LanguageIdentifier
    clock: Callable[[], float] = time.time


class Publisher:
    """Sends JSON values and counts what was published (or failed to be)."""

    def __init__(self, metrics: Metrics, dlq: faust.TopicT, clock: Callable[[], float]) -> None:
        self._metrics = metrics
        self._dlq = dlq
        self._clock = clock

    async def send(self, topic: faust.TopicT, key: str | bytes | None, value: dict[str, Any]) -> None:
        raw_key = key.encode() if isinstance(key, str) else key
        try:
            await topic.send(key=raw_key, value=orjson.dumps(value))
        except Exception:
            self._metrics.publish_failures.labels(topic=topic.get_topic_name()).inc()
            raise
        self._metrics.published.labels(topic=topic.get_topic_name()).inc()

    async def decode_staged(self, event: faust.EventT[bytes]) -> Staged | None:
        """Internal records are ours, but a bad one (e.g. from an incompatible version) is still a dead letter."""
        message = event.message
        try:
            return Staged.from_dict(orjson.loads(message.value or b""))
        except Exception as exc:
            origin = Origin.of(message.topic, message.partition, message.offset, message.key, message.value)
            await self.dead_letter(origin, "processing_error", f"undecodable internal record: {exc!r}")
            return None

    async def dead_letter(self, origin: Origin, reason: str, detail: str, article_id: str | None = None) -> None:
        key = None if origin.key_b64 is None else base64.b64decode(origin.key_b64)
        await self.send(self._dlq, key, dead_letter(origin, reason, detail, self._clock()))
        self._metrics.dead_letters.labels(reason=reason).inc()
        logger.warning("dead letter", extra={"reason": reason, "detail": detail[:300], "article_id": article_id})


def register_agents(wiring: Wiring, services: Services) -> DedupState:
    app, metrics, settings = wiring.app, services.metrics, services.settings
    publisher = Publisher(metrics, wiring.dlq, services.clock)
    dedup_state = DedupState(wiring.dedup_entries, settings.dedup_window_seconds, services.clock)

    @app.on_partitions_assigned.connect
    def on_assigned(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        dedup_state.mark_stale()

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
                await wiring.staged_dedup.send(key=staged.article.id.encode(), value=orjson.dumps(staged.to_dict()))
            except Exception as exc:
                logger.exception("ingest failed", extra={"offset": message.offset, "partition": message.partition})
                await publisher.dead_letter(origin, "processing_error", f"ingest: {exc!r}")

    @app.agent(wiring.staged_dedup, name="dedup")
    async def dedup(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            staged = await publisher.decode_staged(event)
            if staged is None:
                continue
            try:
                with metrics.time_stage("dedup"):
                    fp = Fingerprint.from_bytes(staged.fingerprint)
                    verdict = dedup_state.decide(staged.article.id, fp, staged.received_at)
                metrics.dedup_index_articles.set(len(dedup_state.index))
                metrics.dedup_index_bytes.set(dedup_state.index.nbytes)
                if verdict.is_duplicate and verdict.duplicate_of and verdict.method:
                    event = duplicate_event(
                        staged, verdict.duplicate_of, verdict.cluster_id, verdict.similarity, verdict.method
                    )
                    await publisher.send(wiring.duplicates, verdict.cluster_id, event)
                    metrics.duplicates.labels(method=verdict.method).inc()
                    continue
                original = replace(staged, cluster_id=verdict.cluster_id)
                await wiring.staged_enrich.send(key=staged.article.id.encode(), value=orjson.dumps(original.to_dict()))
            except Exception as exc:
                logger.exception("dedup failed", extra={"article_id": staged.article.id})
                await publisher.dead_letter(staged.origin, "processing_error", f"dedup: {exc!r}", staged.article.id)

    @app.agent(wiring.staged_enrich, name="enrich")
    async def enrich(stream: faust.StreamT[bytes]) -> None:
        await services.nlp.start()
        # take_events (not take): the events carry offsets for dead letters. It is not on the StreamT ABC.
        async for events in cast(faust.Stream[bytes], stream).take_events(
            settings.enrich_batch_size, within=settings.enrich_batch_seconds
        ):
            if logger.isEnabledFor(logging.DEBUG):  # which offsets a batch held: the trail for a lost-record hunt
                offsets = [(event.message.partition, event.message.offset) for event in events]
                logger.debug("enrich batch", extra={"offsets": offsets})
            batch = [staged for event in events if (staged := await publisher.decode_staged(event)) is not None]
            metrics.enrich_batch_size.observe(len(batch))
            with metrics.time_stage("enrich"):
                analyses = await _analyses_isolating_failures(services.nlp, batch, publisher)
            for staged, analysis in zip(batch, analyses, strict=True):
                if analysis is not None:
                    await _publish_enriched(wiring, services, publisher, staged, analysis)
            metrics.last_processed.set(services.clock())

    @app.task
    async def load_models() -> None:
        # The language model loads in a thread so the first article does not stall the event loop.
        language_model = asyncio.get_running_loop().run_in_executor(None, services.langid.load)
        await services.nlp.start()
        await language_model
        metrics.set_nlp(services.nlp.backend_name, settings.langs, services.nlp.load_seconds)

    return dedup_state


async def _analyses_isolating_failures(
    nlp: NlpRunner, batch: list[Staged], publisher: Publisher
) -> list[Analysis | None]:
    """Tag the batch in one call; if it fails, retry one by one so only the culprit is dead-lettered."""
    texts, langs = [s.cleaned.text for s in batch], [s.lang or "" for s in batch]
    try:
        return list(await nlp.analyse(texts, langs))
    except Exception:
        logger.exception("batch tagging failed; retrying one by one", extra={"batch": len(batch)})
    results: list[Analysis | None] = []
    for staged in batch:
        try:
            results.append((await nlp.analyse([staged.cleaned.text], [staged.lang or ""]))[0])
        except Exception as exc:
            results.append(None)
            await publisher.dead_letter(staged.origin, "processing_error", f"enrich: {exc!r}", staged.article.id)
    return results


async def _publish_enriched(
    wiring: Wiring, services: Services, publisher: Publisher, staged: Staged, analysis: Analysis
) -> None:
    metrics, article_id, entities = services.metrics, staged.article.id, analysis.entities
    try:
        with metrics.time_stage("claims"):
            claims = extract_claims(staged.cleaned.text, staged.lang or "", entities, analysis.parses)
        record = enriched_article(staged, entities, claims, services.nlp.describe(staged.lang or ""))
        await publisher.send(wiring.enriched, article_id, record)
        for claim in claims:
            await publisher.send(wiring.claims, article_id, claim_event(staged, claim))
    except Exception as exc:
        logger.exception("enrich failed", extra={"article_id": article_id})
        await publisher.dead_letter(staged.origin, "processing_error", f"enrich: {exc!r}", article_id)
        return
    for entity in entities:
        metrics.entities.labels(label=entity.label).inc()
    for claim in claims:
        metrics.claims.labels(kind=claim.kind).inc()
