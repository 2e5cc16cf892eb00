"""The NLP port: what a backend finds (entities, parses) and the errors it reports.

Backends (stanza_backend, fallback) implement NlpBackend; runner picks one and drives it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

from service.domain.claims.common import ParsedSentence
from service.domain.records import Entity

MODES = ("auto", "stanza", "fallback")
DOWNLOAD_COMMAND = "newswire models download"


class ModelsMissing(RuntimeError):
    """Stanza models are not on disk; the message names the files and the fetch command."""

    def __init__(self, langs: Sequence[str], missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            "stanza models missing: "
            + ", ".join(self.missing)
            + f". Fetch them with `{DOWNLOAD_COMMAND} {' '.join(langs)}`"
            + " (or set NEWSWIRE_STANZA_DIR to where they are, or NEWSWIRE_NLP=fallback)."
        )


@dataclass(frozen=True)
class Analysis:
    """What the NLP stage found in one text: entities, and dependency parses where a parser is loaded."""

    entities: list[Entity]
    parses: list[ParsedSentence] = field(default_factory=list)


class NlpBackend(ABC):
    """Finds entities. One instance is used from ONE thread only."""

    name: str

    @abstractmethod
    def describe(self, lang: str) -> dict[str, object]:
        """Which backend/models handle `lang` (goes into EnrichedArticle.nlp)."""

    @abstractmethod
    def entities(self, texts: Sequence[str], lang: str) -> list[list[Entity]]:
        """Entities of each text, all in `lang`; equal to calling it once per text."""

    def analyse(self, texts: Sequence[str], lang: str) -> list[Analysis]:
        """Entities and, for backends with a dependency parser, parses (the claims' speaker uses them)."""
        return [Analysis(found) for found in self.entities(texts, lang)]


def no_pipeline(lang: str) -> dict[str, object]:
    return {"backend": "none", "lang": lang, "reason": f"no pipeline for language {lang!r}"}
