"""What the story stage decides per article, and the compact record its state is rebuilt from."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Literal

from service.domain.stories.features import StoryFeatures

Relation = Literal["founded", "copy", "rewrite"]
RELATIONS: tuple[Relation, ...] = ("founded", "copy", "rewrite")


@dataclass(frozen=True)
class Assignment:
    """An article's place: its story (one event in one language) and the event (all languages)."""

    article_id: str
    story_id: str
    event_id: str
    relation: Relation
    score: float  # how sure the join is (1.0 for founded and for a copy)
    lang: str


@dataclass(frozen=True)
class StoryView:
    """A story as a StoryEvent shows it (see CONTRACT.md)."""

    story_id: str
    event_id: str
    lang: str
    size: int  # articles that joined so far (copies included), expired ones too
    sources: tuple[str, ...]  # distinct sources, first seen first (at most MAX_SOURCES)
    languages: tuple[str, ...]  # languages of the event's stories
    first_seen: float
    last_seen: float
    headline: str


_HEAD = struct.Struct("<BBdf")  # version, relation, time, score
_VERSION = 1


@dataclass(frozen=True)
class StoryRecord:
    """One article's entry in the changelog-backed table: replaying all of them in order rebuilds
    the index (StoryIndex.restore). Copies carry no features: they never take part in matching."""

    article_id: str
    story_id: str
    event_id: str
    relation: Relation
    score: float
    time: float
    lang: str
    source: str = ""
    features: StoryFeatures | None = None

    @classmethod
    def of(cls, assignment: Assignment, time: float, source: str = "",
           features: StoryFeatures | None = None) -> StoryRecord:
        return cls(assignment.article_id, assignment.story_id, assignment.event_id, assignment.relation,
                   assignment.score, time, assignment.lang, source, features)

    def to_bytes(self) -> bytes:
        parts = [_HEAD.pack(_VERSION, RELATIONS.index(self.relation), self.time, self.score)]
        for text in (self.article_id, self.story_id, self.event_id, self.lang, self.source):
            data = text.encode()
            parts.append(struct.pack("<H", len(data)) + data)
        parts.append(self.features.to_bytes() if self.features is not None else b"")
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> StoryRecord:
        if len(data) < _HEAD.size:
            raise ValueError(f"a story record needs at least {_HEAD.size} bytes, got {len(data)}")
        version, relation, time, score = _HEAD.unpack_from(data)
        if version != _VERSION or relation >= len(RELATIONS):
            raise ValueError(
                f"story record version {version} / relation {relation} not supported (expected {_VERSION})")
        at = _HEAD.size
        texts = []
        for _ in range(5):
            if at + 2 > len(data):
                raise ValueError("story record is truncated")
            (length,) = struct.unpack_from("<H", data, at)
            texts.append(bytes(data[at + 2 : at + 2 + length]).decode())
            at += 2 + length
        features = StoryFeatures.from_bytes(bytes(data[at:])) if at < len(data) else None
        article_id, story_id, event_id, lang, source = texts
        return cls(article_id, story_id, event_id, RELATIONS[relation], score, time, lang, source, features)
