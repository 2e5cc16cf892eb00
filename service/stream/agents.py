"""Thin agents: decode → domain → publish. Any failure becomes a dead letter; the stream goes on.

Shapes flowing through each step; the global dedup stage (one partition) only sees small records:
  ingest  raw bytes             → prepared article (Staged JSON) on <app>-staged-enrich (key: id) | DeadLetter
  enrich  the work topic: a prepared article → held (join.py) + DedupRequest (< 1 KB) on <app>-staged-dedup;
          the verdict on it     → DuplicateEvent | EnrichedArticle + one ClaimEvent per claim | DeadLetter
  dedup   DedupRequest          → DedupVerdict JSON on <app>-staged-enrich (key: id), after its article
"""

from __future__ import annotations

import asyncio
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
from service.domain.messages import (
    DedupRequest,
    DedupVerdict,
    Origin,
    Staged,
    claim_event,
    duplicate_event,
    enriched_article,
)
from service.domain.prepare import prepare
from service.stream.app import Wiring
from service.stream.dedup_state import DedupState
from service.stream.join import Held, HeldArticles
from service.stream.publisher import Publisher

logger = logging.getLogger(__name__)

VERDICT = "verdict"  # the work topic's verdict records are {"verdict": {...}}; articles are Staged JSON
REASK_EVERY_SECONDS = 30.0
REASK_AFTER_SECONDS = 60.0  # a verdict this late was lost with a worker: ask again (dedup answers the same)


@dataclass
class Services:
    """The adapters the agents use, built once per worker by `service.worker.bootstrap`."""

    settings: Settings
    metrics: Metrics
    nlp: NlpRunner
    langid: LanguageIdentifier
    clock: Callable[[], float] = time.time


def register_agents(wiring: Wiring, services: Services) -> DedupState:
    app, metrics, settings = wiring.app, services.metrics, services.settings
    publisher = Publisher(metrics, wiring.dlq, services.clock)
    dedup_state = DedupState(wiring.dedup_entries, settings.dedup_window_seconds, services.clock)
    held = HeldArticles()

    @app.on_partitions_assigned.connect
    def on_assigned(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        dedup_state.mark_stale()

    @app.on_partitions_revoked.connect
    def on_revoked(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        held.forget(args[0] if args else ())  # their articles are read again by the partitions' new owner
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
                await wiring.staged_enrich.send(key=staged.article.id.encode(), value=orjson.dumps(staged.to_dict()))
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
                metrics.dedup_index_articles.set(len(dedup_state.index))
                metrics.dedup_index_bytes.set(dedup_state.index.nbytes)
            except Exception as exc:
                logger.exception("dedup failed", extra={"article_id": key.decode(errors="replace")})
                verdict = DedupVerdict.failed(key.decode(errors="replace"), f"dedup: {exc!r}")
            await wiring.staged_enrich.send(key=key, value=orjson.dumps({VERDICT: verdict.to_dict()}))

    async def ask(staged: Staged) -> None:
        request = DedupRequest(staged.article.id, staged.fingerprint, staged.received_at)
        await wiring.staged_dedup.send(key=staged.article.id.encode(), value=request.to_bytes())

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
            originals: list[tuple[Held, str]] = []
            for event in events:
                settled = await _read_work_record(event, held, publisher, ask, services.clock())
                if settled is None:
                    continue
                hold, verdict = settled
                if await _settle_without_nlp(wiring, services, publisher, hold, verdict):
                    hold.release()
                else:
                    originals.append((hold, verdict.cluster_id))
            metrics.join_held.set(len(held))
            if originals:
                await _enrich_originals(wiring, services, publisher, originals)
            metrics.last_processed.set(services.clock())

    @app.timer(REASK_EVERY_SECONDS)
    async def reask_overdue() -> None:
        for hold in held.overdue(services.clock(), REASK_AFTER_SECONDS):
            logger.warning("no dedup verdict yet: asking again", extra={"article_id": hold.staged.article.id})
            await ask(hold.staged)

    @app.task
    async def load_models() -> None:
        # The language model loads in a thread so the first article does not stall the event loop.
        language_model = asyncio.get_running_loop().run_in_executor(None, services.langid.load)
        await services.nlp.start()
        await language_model
        metrics.set_nlp(services.nlp.backend_name, settings.langs, services.nlp.load_seconds)

    return dedup_state


async def _read_work_record(
    event: faust.EventT[bytes], held: HeldArticles, publisher: Publisher,
    ask: Callable[[Staged], Any], now: float,
) -> tuple[Held, DedupVerdict] | None:
    """Hold an article (and ask about it), or pair a verdict with its held article."""
    message = event.message
    try:
        record = orjson.loads(message.value or b"")
        if VERDICT in record:
            verdict = DedupVerdict.from_dict(record[VERDICT])
        else:
            staged = Staged.from_dict(record)
            older = held.hold(staged, event, now)
            if older is not None:
                older.release()  # a repeated record of the same article: the later one takes its place
            await ask(staged)
            return None
    except Exception as exc:
        # Records are ours, but one from an incompatible version is still a dead letter; a verdict
        # that cannot be read still settles its article (keyed by id) as a dead letter.
        article_id = (message.key or b"").decode(errors="replace")
        hold = held.settle(article_id)
        if hold is None:
            await publisher.dead_letter_record(event, f"undecodable internal record: {exc!r}")
            return None
        return hold, DedupVerdict.failed(article_id, f"undecodable dedup verdict: {exc!r}")
    hold = held.settle(verdict.article_id)
    return None if hold is None else (hold, verdict)  # None: its article was settled before (a repeat)


async def _settle_without_nlp(
    wiring: Wiring, services: Services, publisher: Publisher, hold: Held, verdict: DedupVerdict
) -> bool:
    """Publish the trace of a copy or of a failed decision; False for an original (NLP comes next)."""
    staged = hold.staged
    if verdict.failure is not None:
        await publisher.dead_letter(staged.origin, "processing_error", verdict.failure, staged.article.id)
        return True
    if verdict.duplicate_of is None or verdict.method is None:
        return False
    try:
        event = duplicate_event(staged, verdict.duplicate_of, verdict.cluster_id, verdict.similarity, verdict.method)
        await publisher.send(wiring.duplicates, verdict.cluster_id, event)
        services.metrics.duplicates.labels(method=verdict.method).inc()
    except Exception as exc:
        logger.exception("duplicate event failed", extra={"article_id": staged.article.id})
        await publisher.dead_letter(staged.origin, "processing_error", f"dedup: {exc!r}", staged.article.id)
    return True


async def _enrich_originals(
    wiring: Wiring, services: Services, publisher: Publisher, originals: list[tuple[Held, str]]
) -> None:
    batch = [replace(hold.staged, cluster_id=cluster_id) for hold, cluster_id in originals]
    services.metrics.enrich_batch_size.observe(len(batch))
    with services.metrics.time_stage("enrich"):
        analyses = await _analyses_isolating_failures(services.nlp, batch, publisher)
    for (hold, _), staged, analysis in zip(originals, batch, analyses, strict=True):
        if analysis is not None:
            await _publish_enriched(wiring, services, publisher, staged, analysis)
        hold.release()


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
