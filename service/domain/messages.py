"""What flows between stages and what leaves the service, as plain JSON-ready dicts.

Output shapes are the public contract (CONTRACT.md and service/schemas/*.json):
EnrichedArticle, DuplicateEvent, ClaimEvent, StoryEvent, DeadLetter. `Staged` is internal: the
prepared article as it travels from ingest to enrichment, carrying its origin so a later failure
can still dead-letter the exact original bytes (what the global stages see of it: verdicts.py).
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from service.domain.records import Article, Boilerplate, Claim, CleanedText, Entity

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Origin:
    """Where a raw record came from, with its bytes (base64) so it can be replayed exactly."""

    topic: str
    partition: int
    offset: int
    key_b64: str | None
    value_b64: str

    @classmethod
    def of(cls, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None) -> Origin:
        return cls(topic, partition, offset, _b64(key), _b64(value) or "")


@dataclass(frozen=True)
class Staged:
    """An ingested article on its way through dedup and enrichment."""

    article: Article
    cleaned: CleanedText
    lang: str | None
    received_at: float  # unix seconds, from the injected clock at ingest
    origin: Origin
    fingerprint: bytes = b""
    cluster_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fingerprint"] = base64.b64encode(self.fingerprint).decode()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Staged:
        cleaned = data["cleaned"]
        return cls(
            article=Article(**data["article"]),
            cleaned=CleanedText(cleaned["text"], tuple(Boilerplate(**b) for b in cleaned["boilerplate"])),
            lang=data["lang"],
            received_at=data["received_at"],
            origin=Origin(**data["origin"]),
            fingerprint=base64.b64decode(data["fingerprint"]),
            cluster_id=data.get("cluster_id"),
        )


@dataclass(frozen=True)
class StoryPlace:
    """Where the story stage put an article: its story (one language) and its event (all languages)."""

    story_id: str
    event_id: str


def enriched_article(
    staged: Staged, entities: list[Entity], claims: list[Claim], nlp: dict[str, object], story: StoryPlace
) -> dict[str, Any]:
    article = staged.article
    return {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "lang": staged.lang,
        "published_at": article.published_at,
        "received_at": rfc3339(staged.received_at),
        "cluster_id": staged.cluster_id or article.id,
        "story_id": story.story_id,
        "event_id": story.event_id,
        "text": staged.cleaned.text,
        "boilerplate": [asdict(b) for b in staged.cleaned.boilerplate],
        "entities": [asdict(e) for e in entities],
        "claims": [asdict(c) for c in claims],
        "nlp": nlp,
        "extra": article.extra,
    }


def claim_event(staged: Staged, claim: Claim) -> dict[str, Any]:
    article = staged.article
    return {
        "schema_version": SCHEMA_VERSION,
        "article_id": article.id,
        "cluster_id": staged.cluster_id or article.id,
        "lang": staged.lang,
        "source": article.source,
        "published_at": article.published_at,
        **asdict(claim),
    }


def duplicate_event(
    staged: Staged, duplicate_of: str, cluster_id: str, similarity: float, method: str, story: StoryPlace
) -> dict[str, Any]:
    article = staged.article
    return {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "duplicate_of": duplicate_of,
        "cluster_id": cluster_id,
        "story_id": story.story_id,
        "event_id": story.event_id,
        "similarity": round(similarity, 4),
        "method": method,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "received_at": rfc3339(staged.received_at),
    }


def story_event(
    article_id: str, story: StoryPlace, lang: str, relation: str, score: float, size: int,
    sources: list[str], languages: list[str], first_seen: float, last_seen: float, headline: str,
) -> dict[str, Any]:
    """A StoryEvent: an article founded or joined a story (keyed by story id)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "story_id": story.story_id,
        "event_id": story.event_id,
        "article_id": article_id,
        "lang": lang,
        "relation": relation,
        "score": round(score, 4),
        "size": size,
        "sources": sources,
        "languages": languages,
        "first_seen": rfc3339(first_seen),
        "last_seen": rfc3339(last_seen),
        "headline": headline,
    }


def dead_letter(origin: Origin, reason: str, detail: str, failed_at: float) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "reason": reason,
        "detail": detail,
        "original": asdict(origin),
        "failed_at": rfc3339(failed_at),
    }


def article_time(staged: Staged) -> float:
    """When the article happened as far as we know: its published_at, else when it was received."""
    published = staged.article.published_at
    if published:
        try:
            return datetime.fromisoformat(published.replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass  # validated as RFC 3339 at ingest; an odd offset form still falls back
    return staged.received_at


def rfc3339(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")
