"""Frozen value types shared by every stage. Offsets always index into the cleaned `text`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
EntityLabel = Literal["PER", "ORG", "LOC", "MISC"]
ClaimKind = Literal["direct", "indirect"]


@dataclass(frozen=True)
class Boilerplate:
    """A piece of the scraped body that is not part of the story (kept for audit)."""

    kind: str  # e.g. source_line, tags, read_also, related_list, embedded_tweet, share, byline
    text: str


@dataclass(frozen=True)
class CleanedText:
    """The story text with aggregator boilerplate removed, and what was removed."""

    text: str
    boilerplate: tuple[Boilerplate, ...] = ()


@dataclass(frozen=True)
class Mention:
    """One occurrence of a named entity in `text` (text[start:end] == surface)."""

    start: int
    end: int
    label: EntityLabel
    fine_label: str | None = None


@dataclass(frozen=True)
class Entity:
    """A named entity merged over its mentions; start/end are those of the first mention."""

    text: str
    label: EntityLabel
    start: int
    end: int
    count: int = 1
    fine_label: str | None = None


@dataclass(frozen=True)
class Claim:
    """An attributed statement: `speaker` said `content` (cue = the reporting verb/phrase)."""

    speaker: str
    cue: str
    content: str
    kind: ClaimKind
    start: int  # span of the whole attributed statement in `text`
    end: int
    via: str | None = None  # outlet/report the statement was relayed through, when given


@dataclass(frozen=True)
class Article:
    """A validated raw article (see CONTRACT.md, RawArticle)."""

    id: str
    body: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    lang: str | None = None
    published_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
