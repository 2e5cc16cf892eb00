"""What the global stages are asked about an article and what they answer (never its text).

Both global stages run on one partition each (every article meets every candidate there), so
what they handle is kept small: ids, a fingerprint or story features, times and verdicts.
"""

from __future__ import annotations

import base64
import struct
from dataclasses import asdict, dataclass
from typing import Any, Literal

from service.domain.messages import StoryPlace

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


@dataclass(frozen=True)
class StoryRequest:
    """Place an article: an original with its story features, or a copy of a known original."""

    article_id: str
    kind: Literal["original", "copy"]
    lang: str
    time: float
    source: str
    features: bytes = b""  # StoryFeatures bytes of an original (~1 KB)
    duplicate_of: str = ""  # the original a copy repeats

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "features": base64.b64encode(self.features).decode()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryRequest:
        return cls(**{**data, "features": base64.b64decode(data["features"])})


@dataclass(frozen=True)
class StoryVerdict:
    """The story stage's answer; on failure the article keeps its own id as story and event."""

    article_id: str
    story_id: str
    event_id: str
    failure: str | None = None

    @property
    def place(self) -> StoryPlace:
        return StoryPlace(self.story_id, self.event_id)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryVerdict:
        return cls(**data)

    @classmethod
    def failed(cls, article_id: str, detail: str) -> StoryVerdict:
        return cls(article_id, article_id, article_id, failure=detail)
