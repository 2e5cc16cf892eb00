"""The enrich side: each prepared article is held until its verdicts settle it.

Per article (ingest asked the dedup stage about it; join.py says in what order records can come):
  prepared article → held, or settled at once by a dedup verdict that came first
  dedup verdict    → a failure: dead letter | a copy: StoryRequest | an original: batched NLP,
                     claims and story features, then a StoryRequest
  story verdict    → DuplicateEvent, or EnrichedArticle + one ClaimEvent per claim, with the
                     story and event ids; the article's offset can then be committed
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import faust
import orjson

from service.adapters.nlp.enrichment import EnrichFailure, EnrichInput
from service.domain.messages import Staged, StoryPlace, article_time, claim_event, duplicate_event, enriched_article
from service.domain.records import Claim, Entity
from service.domain.verdicts import DedupRequest, DedupVerdict, StoryRequest, StoryVerdict
from service.stream.app import Wiring
from service.stream.join import EarlyVerdicts, Held, HeldArticles
from service.stream.publisher import Publisher

if TYPE_CHECKING:
    from service.stream.agents import Services

logger = logging.getLogger(__name__)

# Batches out to the NLP stage at once: one being enriched, the next ready behind it (it waits its
# turn in the runner), so the NLP process never waits for the agent; more would only hold more
# articles in memory.
BATCHES_IN_NLP = 2
DEDUP_VERDICT = "verdict"  # verdict records are {"verdict": {...}} or {"story": {...}}; articles are Staged JSON
STORY_VERDICT = "story"


@dataclass(frozen=True)
class Copy:
    """A syndicated copy waiting for its original's story."""

    verdict: DedupVerdict


@dataclass(frozen=True)
class Enriched:
    """An enriched original waiting for its story."""

    staged: Staged
    entities: list[Entity]
    claims: list[Claim]
    nlp: dict[str, object]


class WorkSettler:
    def __init__(self, wiring: Wiring, services: Services, publisher: Publisher, held: HeldArticles) -> None:
        self.wiring, self.services, self.publisher, self.held = wiring, services, publisher, held
        self.early = EarlyVerdicts()
        self._originals: list[tuple[Held, str]] = []  # settled by dedup in this batch, for one NLP call
        self._in_nlp = asyncio.Semaphore(BATCHES_IN_NLP)
        self._enriching: set[asyncio.Task[None]] = set()  # referenced until done (the loop keeps weak refs)

    async def read(self, event: faust.EventT[bytes]) -> None:
        """One record of the work topic: an article to hold, or a verdict on a held one."""
        message = event.message
        try:
            record = orjson.loads(message.value or b"")
            if DEDUP_VERDICT in record:
                await self._on_dedup(DedupVerdict.from_dict(record[DEDUP_VERDICT]), event)
            elif STORY_VERDICT in record:
                await self._on_story(StoryVerdict.from_dict(record[STORY_VERDICT]))
            else:
                await self._hold(Staged.from_dict(record), event)
        except Exception as exc:
            # Records are ours, but one from an incompatible version is still a dead letter; a verdict that
            # cannot be read still settles its article (keyed by id) as one.
            article_id = (message.key or b"").decode(errors="replace")
            hold = self.held.settle(article_id, "dedup") or self.held.settle(article_id, "story")
            if hold is None:
                await self.publisher.dead_letter_record(event, f"undecodable internal record: {exc!r}")
            else:
                await self._fail(hold, f"undecodable verdict: {exc!r}")

    async def finish_batch(self) -> None:
        """Send the originals this batch settled to the NLP stage (entities, claims and story features
        in one call) and go on reading: the agent keeps settling articles and publishing while the
        NLP process works. At most BATCHES_IN_NLP batches are out at once; the next waits here."""
        originals, self._originals = self._originals, []
        if not originals:
            return
        await self._in_nlp.acquire()
        task = asyncio.create_task(self._enrich(originals))
        self._enriching.add(task)
        task.add_done_callback(self._enriching.discard)

    async def _enrich(self, originals: list[tuple[Held, str]]) -> None:
        """Then ask for the stories of those enriched. If the NLP stage fails as a whole (not one
        article), each article not yet dealt with is a dead letter and the stream goes on."""
        asked: set[int] = set()  # id() of the holds dealt with
        try:
            await self._enrich_and_ask(originals, asked)
        except Exception as exc:
            logger.exception("enrichment failed", extra={"batch": len(originals)})
            for hold, _ in originals:
                if id(hold) not in asked and self.held.come_back(hold):
                    await self._fail(hold, f"enrich: {exc!r}")
        finally:
            self._in_nlp.release()

    async def _enrich_and_ask(self, originals: list[tuple[Held, str]], asked: set[int]) -> None:
        metrics = self.services.metrics
        batch = [replace(hold.staged, cluster_id=cluster_id) for hold, cluster_id in originals]
        metrics.enrich_batch_size.observe(len(batch))
        items = [EnrichInput(staged.cleaned.text, staged.lang or "", article_time(staged), staged.article.title,
                             staged.article.source) for staged in batch]  # fmt: skip
        enriched = await self.services.nlp.enrich(items)  # if the executor fails, _enrich dead-letters the batch
        if enriched.retried_one_by_one:
            logger.warning("batch tagging failed; retried one by one", extra={"batch": len(batch)})
        for stage, durations in enriched.seconds.items():
            for seconds in durations:
                metrics.observe_stage(stage, seconds)
        for (hold, _), staged, result in zip(originals, batch, enriched.results, strict=True):
            asked.add(id(hold))
            if not self.held.come_back(hold):
                continue  # its partition moved to another worker while it was out
            if isinstance(result, EnrichFailure):
                logger.error("enrich failed", extra={"article_id": staged.article.id, "detail": result.detail[:300]})
                await self._fail(hold, result.detail)
                continue
            hold.outcome = Enriched(staged, result.entities, result.claims, result.nlp)
            try:
                await self._ask_story(hold, StoryRequest(
                    staged.article.id, "original", staged.lang or "", article_time(staged),
                    staged.article.source or "", result.features,
                ))  # fmt: skip
            except Exception as exc:
                logger.exception("enrich failed", extra={"article_id": staged.article.id})
                await self._fail(hold, f"enrich: {exc!r}")

    async def ask_again(self, now: float, after: float) -> None:
        """Ask once more about articles whose verdict is late (lost with a worker that stopped)."""
        for hold in self.held.overdue(now, after):
            if hold.question is not None:
                logger.warning("verdict late: asking again", extra={"article_id": hold.staged.article.id,
                                                                     "waiting": hold.waiting})  # fmt: skip
                topic, value = hold.question
                await topic.send(key=hold.staged.article.id.encode(), value=value)

    # -- each record ----------------------------------------------------------------------

    async def _hold(self, staged: Staged, event: faust.EventT[bytes]) -> None:
        request = dedup_request(staged)
        older = self.held.hold(staged, event, (self.wiring.staged_dedup, request), self.services.clock())
        if older is not None:
            older.release()  # a repeated record of the same article: the later one takes its place
        early = self.early.take(staged.article.id)
        if early is not None:
            await self._on_dedup(early.verdict, early.event)
            early.event.ack()  # the reference it waited with; the hold keeps its own

    async def _on_dedup(self, verdict: DedupVerdict, event: faust.EventT[bytes]) -> None:
        hold = self.held.settle(verdict.article_id, "dedup")
        if hold is None:
            # Its article is not read yet (ingest asked as it wrote it), or was settled before (a repeat).
            self.early.keep(verdict.article_id, verdict, event, self.services.clock())
            return
        hold.keep_verdict(event)
        if verdict.failure is not None:
            await self._fail(hold, verdict.failure)
        elif verdict.duplicate_of is not None:
            hold.outcome = Copy(verdict)
            staged = hold.staged
            await self._ask_story(hold, StoryRequest(
                staged.article.id, "copy", staged.lang or "", article_time(staged), staged.article.source or "",
                duplicate_of=verdict.duplicate_of,
            ))  # fmt: skip
        else:
            self.held.send_away(hold)
            self._originals.append((hold, verdict.cluster_id))

    async def _on_story(self, verdict: StoryVerdict) -> None:
        hold = self.held.settle(verdict.article_id, "story")
        if hold is None:
            return  # a repeated verdict
        if verdict.failure is not None:
            self.services.metrics.story_failures.inc()
            detail = {"article_id": verdict.article_id, "detail": verdict.failure[:300]}
            logger.warning("no story: the article keeps its own id", extra=detail)
        try:
            await self._publish(hold, verdict.place)
        except Exception as exc:
            logger.exception("publishing failed", extra={"article_id": verdict.article_id})
            await self.publisher.dead_letter(hold.staged.origin, "processing_error", f"publish: {exc!r}",
                                             verdict.article_id)  # fmt: skip
        hold.release()

    async def _publish(self, hold: Held, story: StoryPlace) -> None:
        metrics, outcome = self.services.metrics, hold.outcome
        if isinstance(outcome, Copy):
            v = outcome.verdict
            assert v.duplicate_of is not None and v.method is not None
            event = duplicate_event(hold.staged, v.duplicate_of, v.cluster_id, v.similarity, v.method, story)
            await self.publisher.send(self.wiring.duplicates, v.cluster_id, event)
            metrics.duplicates.labels(method=v.method).inc()
            return
        assert isinstance(outcome, Enriched)
        article_id = outcome.staged.article.id
        record = enriched_article(outcome.staged, outcome.entities, outcome.claims, outcome.nlp, story)
        await self.publisher.send(self.wiring.enriched, article_id, record)
        for claim in outcome.claims:
            await self.publisher.send(self.wiring.claims, article_id, claim_event(outcome.staged, claim))
        for entity in outcome.entities:
            metrics.entities.labels(label=entity.label).inc()
        for claim in outcome.claims:
            metrics.claims.labels(kind=claim.kind).inc()

    async def _ask_story(self, hold: Held, request: StoryRequest) -> None:
        value = orjson.dumps(request.to_dict())
        self.held.wait(hold, "story", (self.wiring.staged_stories, value), self.services.clock())
        await self.wiring.staged_stories.send(key=hold.staged.article.id.encode(), value=value)

    async def _fail(self, hold: Held, detail: str) -> None:
        staged = hold.staged
        await self.publisher.dead_letter(staged.origin, "processing_error", detail, staged.article.id)
        hold.release()


def dedup_request(staged: Staged) -> bytes:
    """What the dedup stage is asked about an article (< 800 bytes: id, fingerprint, time)."""
    return DedupRequest(staged.article.id, staged.fingerprint, staged.received_at).to_bytes()
