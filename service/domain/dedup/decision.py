"""The dedup decision: first-seen is canonical, copies point at it and are never indexed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from service.domain.dedup.fingerprint import Fingerprint
from service.domain.dedup.index import DedupIndex


@dataclass(frozen=True)
class Verdict:
    article_id: str
    cluster_id: str
    duplicate_of: str | None
    similarity: float
    method: Literal["exact", "near"] | None

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None


def decide(index: DedupIndex, article_id: str, fp: Fingerprint, received_at: float) -> Verdict:
    """Original (indexed, its own cluster) or copy of a held article (not indexed).

    Replay-safe: an article already held is an original again, never a copy of itself; a
    replayed copy finds its canonical again (matching prefers the earliest-received article).
    """
    held_cluster = index.cluster_of(article_id)
    if held_cluster is not None:
        return Verdict(article_id, held_cluster, None, 0.0, None)
    match = index.lookup(fp, received_at)
    if match is not None:
        return Verdict(article_id, match.cluster_id, match.article_id, match.similarity, match.method)
    index.add(article_id, article_id, fp, received_at)
    return Verdict(article_id, article_id, None, 0.0, None)
