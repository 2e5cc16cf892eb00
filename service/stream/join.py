"""Prepared articles held on the enrich side until the global stages' verdicts on them come back.

The work topic (<app>-staged-enrich, keyed by article id) carries the prepared article from ingest;
the verdicts come on <app>-staged-verdicts (same key, same partition count, so Faust assigns both
partitions to the same worker). The enrich side asks the dedup stage only after it has read the
article, and the story stage only after the dedup verdict, so a verdict that finds no held article
is a repeat (its article was settled before). A held article's event is kept un-acked (one extra
reference on its message) until its last verdict settles it, so the committed offset never passes
an article that has not left its trace: after a crash or a rebalance the article is read and asked
about again (both stages answer a repeated question the same way). WorkFlow keeps the number held
bounded: at HELD_MAX the work topic's partitions are paused, while verdicts keep coming.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from service.domain.messages import Staged

Waiting = Literal["dedup", "story"]
# Enough to keep both global stages busy (their round trip is a few hundred ms at most), few enough
# that a backlog waits in Kafka rather than in the worker's memory.
HELD_MAX = 256


@dataclass
class Held:
    staged: Staged
    event: Any  # the faust event that carries the article (un-acked while held)
    since: float  # when it was last asked about
    partition: Any  # its TP, to let go of it when the partition moves to another worker
    waiting: Waiting = "dedup"
    question: tuple[Any, bytes] | None = None  # (topic, value) last asked, to ask again when overdue
    outcome: Any = None  # what is published once the story verdict comes (see stream/settling.py)

    def release(self) -> None:
        """Drop the extra reference taken when held: the message can now be committed."""
        self.event.ack()


class HeldArticles:
    """Articles waiting for a verdict, by article id (one per id: a repeat replaces the older)."""

    def __init__(self) -> None:
        self._held: dict[str, Held] = {}

    def __len__(self) -> int:
        return len(self._held)

    def hold(self, staged: Staged, event: Any, question: tuple[Any, bytes], now: float) -> Held | None:
        """Keep `staged` (its event un-acked) for the dedup verdict it was just asked about;
        returns the older hold of the same article that this one replaces (a repeated record)."""
        event.message.incref()
        older = self._held.get(staged.article.id)
        self._held[staged.article.id] = Held(staged, event, now, event.message.tp, question=question)
        return older

    def wait(self, held: Held, waiting: Waiting, question: tuple[Any, bytes], now: float) -> None:
        """Keep a settled article again, now for its next verdict (the question was just asked)."""
        held.waiting, held.question, held.since = waiting, question, now
        self._held[held.staged.article.id] = held

    def settle(self, article_id: str, waiting: Waiting) -> Held | None:
        """The held article a verdict is about; None for a repeat (settled before, or another stage's)."""
        held = self._held.get(article_id)
        if held is None or held.waiting != waiting:
            return None
        return self._held.pop(article_id)

    def forget(self, partitions: Iterable[Any]) -> int:
        """Let go of the articles of partitions this worker lost: their new owner reads them again."""
        gone = set(partitions)
        lost = [key for key, held in self._held.items() if held.partition in gone]
        for key in lost:
            del self._held[key]
        return len(lost)

    def overdue(self, now: float, after: float) -> list[Held]:
        """Held articles asked about more than `after` seconds ago (the caller asks again)."""
        late = [held for held in self._held.values() if now - held.since > after]
        for held in late:
            held.since = now
        return late


class WorkFlow:
    """Pauses reading new articles while HELD_MAX are held; resumes below half of it."""

    def __init__(self, app: Any, work_topic: str) -> None:
        self._app = app
        self._work_topic = work_topic
        self.paused = False

    def after_batch(self, held: int) -> None:
        if held >= HELD_MAX or (self.paused and held > HELD_MAX // 2):
            consumer = self._app.consumer
            consumer.pause_partitions([tp for tp in consumer.assignment() if tp.topic == self._work_topic])
            self.paused = True
        elif self.paused:
            consumer = self._app.consumer
            consumer.resume_partitions([tp for tp in consumer.assignment() if tp.topic == self._work_topic])
            self.paused = False
