"""Prepared articles held on the enrich side until the global stages' verdicts on them come back.

The work topic (<app>-staged-enrich, keyed by article id) carries the prepared article from ingest;
the verdicts come on <app>-staged-verdicts (same key, same partition count, so Faust assigns both
partitions to the same worker). Ingest asks the dedup stage as it writes the article, so a dedup
verdict may be read before its article: it waits (EarlyVerdicts) a while for it. The enrich side
asks the story stage only after the dedup verdict, so a story verdict that finds no held article is
a repeat. Held articles and early verdicts keep their event un-acked (one extra reference on its
message) until they are settled, and a verdict that settled an article stays un-acked with it, so
the committed offsets never pass an article that has not left its trace, nor the verdicts it was
given: after a crash or a rebalance the article and its verdicts are read again (a verdict whose
article was done is a repeat, let go after EARLY_VERDICT_SECONDS; both stages answer a repeated
question the same way, so an article asked about again gets the same answers). Nothing is paused
to bound what is held: Faust drops the fetched records of a paused partition, then commits past them. The dedup verdicts
are written at ingest's pace and read interleaved with the articles, so few articles wait.
An original out at the NLP stage (the agent reads on meanwhile, see settling.py) is still held
here: a lost partition lets it go too, and it is dropped when it comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from service.domain.messages import Staged

Waiting = Literal["dedup", "story"]
# A dedup verdict read before its article waits this long for it; then it is let go (a repeat after
# a restart, whose article was settled before; a late article asks again, see agents.py).
EARLY_VERDICT_SECONDS = 120.0


@dataclass
class Held:
    staged: Staged
    event: Any  # the faust event that carries the article (un-acked while held)
    since: float  # when it was last asked about
    partition: Any  # its TP, to let go of it when the partition moves to another worker
    waiting: Waiting = "dedup"
    question: tuple[Any, bytes] | None = None  # (topic, value) last asked, to ask again when overdue
    outcome: Any = None  # what is published once the story verdict comes (see stream/settling.py)
    verdicts: list[Any] = field(default_factory=list)  # events of the verdicts that settled it (un-acked)

    def keep_verdict(self, event: Any) -> None:
        """Keep a verdict's event un-acked until this article is done (a restart reads both again)."""
        event.message.incref()
        self.verdicts.append(event)

    def release(self) -> None:
        """Drop the extra references taken when held: the messages can now be committed."""
        self.event.ack()
        for verdict in self.verdicts:
            verdict.ack()
        self.verdicts.clear()


class HeldArticles:
    """Articles waiting for a verdict, by article id (one per id: a repeat replaces the older)."""

    def __init__(self) -> None:
        self._held: dict[str, Held] = {}
        # Settled by dedup and out at the NLP stage, by id() (a repeated record may be out beside
        # the first): still this worker's, so a lost partition lets them go too.
        self._away: dict[int, Held] = {}

    def __len__(self) -> int:
        return len(self._held) + len(self._away)

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

    def send_away(self, held: Held) -> None:
        """Keep a settled article while it is worked on outside the event loop (the NLP stage)."""
        self._away[id(held)] = held

    def come_back(self, held: Held) -> bool:
        """An article back from the NLP stage; False if its partition was lost meanwhile (its new
        owner reads it again, so there is nothing more to do with it here)."""
        return self._away.pop(id(held), None) is not None

    def forget(self, partitions: Iterable[Any]) -> int:
        """Let go of the articles of partitions this worker lost: their new owner reads them again."""
        gone = set(partitions)
        return len(self._drop(lambda held: held.partition in gone))

    def let_go(self) -> list[Any]:
        """Let go of every article, un-acked, as the worker stops or a rebalance revokes its
        partitions (no verdict can reach it then); returns their messages and their verdicts',
        which the partitions' next owner reads again."""
        return [event.message for held in self._drop(lambda _: True) for event in (held.event, *held.verdicts)]

    def _drop(self, which: Callable[[Held], bool]) -> list[Held]:
        held = [key for key, kept in self._held.items() if which(kept)]
        away = [token for token, kept in self._away.items() if which(kept)]
        return [self._held.pop(key) for key in held] + [self._away.pop(token) for token in away]

    def overdue(self, now: float, after: float) -> list[Held]:
        """Held articles asked about more than `after` seconds ago (the caller asks again)."""
        late = [held for held in self._held.values() if now - held.since > after]
        for held in late:
            held.since = now
        return late


@dataclass
class Early:
    verdict: Any  # a DedupVerdict
    event: Any
    since: float


class EarlyVerdicts:
    """Dedup verdicts read before their article, by article id (un-acked while they wait)."""

    def __init__(self) -> None:
        self._waiting: dict[str, Early] = {}

    def __len__(self) -> int:
        return len(self._waiting)

    def keep(self, article_id: str, verdict: Any, event: Any, now: float) -> None:
        event.message.incref()
        older = self._waiting.pop(article_id, None)
        if older is not None:
            older.event.ack()
        self._waiting[article_id] = Early(verdict, event, now)

    def take(self, article_id: str) -> Early | None:
        """The verdict waiting for this article, if any; the caller acks its event when done with it."""
        return self._waiting.pop(article_id, None)

    def forget(self, partitions: Iterable[Any]) -> None:
        gone = set(partitions)
        for key in [k for k, early in self._waiting.items() if early.event.message.tp in gone]:
            del self._waiting[key]

    def let_go(self) -> list[Any]:
        """Let go of every waiting verdict, un-acked (see HeldArticles.let_go); returns their messages."""
        messages = [early.event.message for early in self._waiting.values()]
        self._waiting.clear()
        return messages

    def expire(self, now: float, after: float = EARLY_VERDICT_SECONDS) -> int:
        stale = [key for key, early in self._waiting.items() if now - early.since > after]
        for key in stale:
            self._waiting.pop(key).event.ack()
        return len(stale)
