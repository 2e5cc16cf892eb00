"""Prepared articles held on the enrich side until the dedup stage's verdict on them comes back.

The work topic (<app>-staged-enrich, keyed by article id) carries the prepared article from ingest
and, later in the same partition, the dedup verdict on it: the enrich agent asks for the verdict
only after it has read the article, so an article always comes before its verdict. A held article's
event is kept un-acked (one extra reference on its message) until the verdict settles it, so the
committed offset never passes an article that has not left its trace: after a crash or a rebalance
the article is read again and asked about again (dedup answers a repeated question the same way).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from service.domain.messages import Staged


@dataclass
class Held:
    staged: Staged
    event: Any  # the faust event that carries the article (un-acked while held)
    since: float  # when it was (last) asked about
    partition: Any  # its TP, to let go of it when the partition moves to another worker

    def release(self) -> None:
        """Drop the extra reference taken when held: the message can now be committed."""
        self.event.ack()


class HeldArticles:
    """Articles waiting for their verdict, by article id (one per id: a repeat replaces the older)."""

    def __init__(self) -> None:
        self._held: dict[str, Held] = {}

    def __len__(self) -> int:
        return len(self._held)

    def hold(self, staged: Staged, event: Any, now: float) -> Held | None:
        """Keep `staged` (its event un-acked); returns the older hold of the same id it replaces."""
        event.message.incref()
        older = self._held.get(staged.article.id)
        self._held[staged.article.id] = Held(staged, event, now, event.message.tp)
        return older

    def settle(self, article_id: str) -> Held | None:
        """The held article a verdict is about, or None when it was settled before (a repeated verdict)."""
        return self._held.pop(article_id, None)

    def forget(self, partitions: Iterable[Any]) -> int:
        """Let go of the articles of partitions this worker lost: their new owner reads them again."""
        gone = set(partitions)
        lost = [key for key, held in self._held.items() if held.partition in gone]
        for key in lost:
            del self._held[key]
        return len(lost)

    def overdue(self, now: float, after: float) -> list[Held]:
        """Held articles asked about more than `after` seconds ago (re-asked by the caller)."""
        late = [held for held in self._held.values() if now - held.since > after]
        for held in late:
            held.since = now
        return late
