"""The CPU-bound part of enriching a batch of originals, run where the NLP backend lives.

One call per batch does the entities (the backend), the claims and the story features of every
article, so that all of it runs in the runner's executor (runner.py: a child process for the
rule-based fallback, the NLP thread for stanza) and not on the worker's event loop. A failure
is one article's, never the batch's: a batch the backend cannot tag is tagged again one text at
a time, and an article whose claims or features raise gets its own EnrichFailure.

The functions here run in the executor and find the backend by the runner's token: a process
may hold several runners (tests), a child process holds one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from service.adapters.nlp.port import MODES, Analysis, ModelsMissing, NlpBackend
from service.domain.claims.extract import extract_claims
from service.domain.records import Claim, Entity
from service.domain.stories.features import story_features


@dataclass(frozen=True)
class EnrichInput:
    text: str  # cleaned
    lang: str
    time: float  # published_at, else received_at
    title: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Enrichment:
    entities: list[Entity]
    claims: list[Claim]
    features: bytes  # StoryFeatures.to_bytes()
    nlp: dict[str, object]  # the backend's description for the article's language (EnrichedArticle.nlp)


@dataclass(frozen=True)
class EnrichFailure:
    detail: str  # "enrich: <the exception>", as it goes into the dead letter


@dataclass(frozen=True)
class EnrichedBatch:
    results: list[Enrichment | EnrichFailure]  # one per input, in order
    seconds: dict[str, list[float]] = field(default_factory=dict)  # stage → durations (metrics: enrich per batch)
    retried_one_by_one: bool = False  # the batch call failed: each text was tagged alone


logger = logging.getLogger(__name__)


def build_backend(mode: str, langs: Sequence[str], stanza_dir: str | None) -> NlpBackend:
    """Load the backend for `mode` (slow for stanza: call it where the backend will live)."""
    if mode not in MODES:
        raise ValueError(f"unknown NLP mode {mode!r}; use one of {', '.join(MODES)}")
    from service.adapters.nlp.fallback import FallbackNlp

    if mode == "fallback":
        return FallbackNlp(langs)
    from service.adapters.nlp import stanza_backend

    missing = stanza_backend.missing_model_files(langs, stanza_dir)
    if missing:
        error = ModelsMissing(langs, missing)
        if mode == "stanza":
            raise error
        logger.warning("NLP mode auto: using the rule-based fallback. %s", error)
        return FallbackNlp(langs)
    return stanza_backend.StanzaNlp(langs, stanza_dir)


@dataclass
class _Loaded:
    backend: NlpBackend
    known_names: dict[str, str]


_LOADED: dict[str, _Loaded] = {}


def load(token: str, mode: str, langs: Sequence[str], stanza_dir: str | None) -> str:
    """Build the backend for the runner `token` here (its thread or process); returns its name."""
    from service.adapters.embeddings import country_table

    backend = build_backend(mode, langs, stanza_dir)
    _LOADED[token] = _Loaded(backend, country_table())
    return backend.name


def forget(token: str) -> None:
    _LOADED.pop(token, None)


def analyse(token: str, texts: Sequence[str], langs: Sequence[str]) -> list[Analysis]:
    return analyse_by_language(_LOADED[token].backend, texts, langs)


def enrich(token: str, items: Sequence[EnrichInput]) -> EnrichedBatch:
    loaded = _LOADED[token]
    seconds: dict[str, list[float]] = {"enrich": [], "claims": [], "story_features": []}
    started = time.perf_counter()
    retried = False
    analyses: list[Analysis | EnrichFailure]
    try:
        analyses = list(analyse_by_language(loaded.backend, [i.text for i in items], [i.lang for i in items]))
    except Exception:
        retried = True
        analyses = [_analyse_alone(loaded.backend, item) for item in items]
    seconds["enrich"].append(time.perf_counter() - started)
    results: list[Enrichment | EnrichFailure] = []
    described: dict[str, dict[str, object]] = {}
    for item, analysis in zip(items, analyses, strict=True):
        if isinstance(analysis, EnrichFailure):
            results.append(analysis)
            continue
        try:
            at = time.perf_counter()
            claims = extract_claims(item.text, item.lang, analysis.entities, analysis.parses)
            seconds["claims"].append(time.perf_counter() - at)
            at = time.perf_counter()
            features = story_features(
                item.text, item.lang, [(e.text, e.label) for e in analysis.entities], item.time,
                title=item.title, source=item.source, known_names=loaded.known_names,
            )  # fmt: skip
            seconds["story_features"].append(time.perf_counter() - at)
            nlp = described.get(item.lang) or described.setdefault(item.lang, loaded.backend.describe(item.lang))
            results.append(Enrichment(analysis.entities, claims, features.to_bytes(), nlp))
        except Exception as exc:
            results.append(EnrichFailure(f"enrich: {exc!r}"))
    return EnrichedBatch(results, seconds, retried)


def analyse_by_language(backend: NlpBackend, texts: Sequence[str], langs: Sequence[str]) -> list[Analysis]:
    """One backend call per language; results back in input order."""
    positions: dict[str, list[int]] = {}
    for index, lang in enumerate(langs):
        positions.setdefault(lang, []).append(index)
    results: list[Analysis] = [Analysis([]) for _ in texts]
    for lang, indexes in positions.items():
        found = backend.analyse([texts[i] for i in indexes], lang)
        for index, analysis in zip(indexes, found, strict=True):
            results[index] = analysis
    return results


def _analyse_alone(backend: NlpBackend, item: EnrichInput) -> Analysis | EnrichFailure:
    try:
        return backend.analyse([item.text], item.lang)[0]
    except Exception as exc:
        return EnrichFailure(f"enrich: {exc!r}")
