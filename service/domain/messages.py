"""What flows between stages and what leaves the service, as plain JSON-ready dicts.

Output shapes are the public contract (CONTRACT.md and service/schemas/*.json):
EnrichedArticle, DuplicateEvent, ClaimEvent, DeadLetter. The rest is internal: `Staged` is the
prepared article as it travels from ingest to enrichment, carrying its origin so a later failure
can still dead-letter the exact original bytes; `DedupRequest` and `DedupVerdict` are all the
global dedup stage sees and says of it (well under 1 KB, never the text).
"""

from __future__ import annotations

import base64
import struct
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


_REQUEST_HEAD = struct.Struct("<dH")  # received_at, len(article_id)


@dataclass(frozen=True)
class DedupRequest:
    """What the dedup stage is asked about an article: its id, fingerprint and arrival time."""

    article_id: str
    fingerprint: bytes
    received_at: float

    def to_bytes(self) -> bytes:
        article_id = self.article_id.encode()
        return _REQUEST_HEAD.pack(self.received_at, len(article_id)) + article_id + self.fingerprint

    @classmethod
    def from_bytes(cls, data: bytes) -> DedupRequest:
        if len(data) < _REQUEST_HEAD.size:
            raise ValueError(f"a dedup request needs at least {_REQUEST_HEAD.size} bytes, got {len(data)}")
        received_at, id_length = _REQUEST_HEAD.unpack_from(data)
        start = _REQUEST_HEAD.size
        return cls(data[start : start + id_length].decode(), data[start + id_length :], received_at)


@dataclass(frozen=True)
class DedupVerdict:
    """The dedup stage's answer: an original (its own cluster), a copy, or a failure to decide."""

    article_id: str
    cluster_id: str
    duplicate_of: str | None = None
    similarity: float = 0.0
    method: str | None = None
    failure: str | None = None  # why no verdict could be reached: the article becomes a dead letter

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DedupVerdict:
        return cls(**data)

    @classmethod
    def failed(cls, article_id: str, detail: str) -> DedupVerdict:
        return cls(article_id, article_id, failure=detail)


def enriched_article(
    staged: Staged, entities: list[Entity], claims: list[Claim], nlp: dict[str, object]
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
    staged: Staged, duplicate_of: str, cluster_id: str, similarity: float, method: str
) -> dict[str, Any]:
    article = staged.article
    return {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "duplicate_of": duplicate_of,
        "cluster_id": cluster_id,
        "similarity": round(similarity, 4),
        "method": method,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "received_at": rfc3339(staged.received_at),
    }


def dead_letter(origin: Origin, reason: str, detail: str, failed_at: float) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "reason": reason,
        "detail": detail,
        "original": asdict(origin),
        "failed_at": rfc3339(failed_at),
    }


def rfc3339(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")
