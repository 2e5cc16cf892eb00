"""The factory that picks an NLP backend, and the runner that keeps it on one dedicated thread
(stanza is neither thread- nor fork-safe)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from service.adapters.nlp.port import MODES, Analysis, ModelsMissing, NlpBackend
from service.domain.records import Entity

logger = logging.getLogger(__name__)

def build_backend(mode: str, langs: Sequence[str], stanza_dir: str | None) -> NlpBackend:
    """Load the backend for `mode` (slow for stanza: call it in the NLP thread)."""
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


def _analyse_by_language(backend: NlpBackend, texts: Sequence[str], langs: Sequence[str]) -> list[Analysis]:
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


class NlpRunner:
    """Owns the single NLP thread: the backend is built there and only ever called there."""

    def __init__(self, mode: str, langs: Sequence[str], stanza_dir: str | None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown NLP mode {mode!r}; use one of {', '.join(MODES)}")
        self.mode = mode
        self.langs = tuple(langs)
        self.stanza_dir = stanza_dir
        self.ready = False
        self.backend_name = ""
        self.load_seconds = 0.0
        self._backend: NlpBackend | None = None
        self._loading: asyncio.Future[None] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newswire-nlp")

    async def start(self) -> None:
        """Build the backend once, in the NLP thread; every caller awaits the same load."""
        if self._loading is None:
            self._loading = asyncio.ensure_future(self._load())
        await asyncio.shield(self._loading)

    async def _load(self) -> None:
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        backend = await loop.run_in_executor(
            self._executor, build_backend, self.mode, self.langs, self.stanza_dir
        )
        self.load_seconds = time.perf_counter() - started
        self._backend = backend
        self.backend_name = backend.name
        self.ready = True
        logger.info("NLP backend %s ready in %.2f s for %s", backend.name, self.load_seconds, self.langs)

    def _require_backend(self) -> NlpBackend:
        if self._backend is None:
            raise RuntimeError("NlpRunner.start() must finish before the runner is used")
        return self._backend

    async def entities(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[Entity]]:
        return [analysis.entities for analysis in await self.analyse(texts, langs)]

    async def analyse(self, texts: Sequence[str], langs: Sequence[str]) -> list[Analysis]:
        if len(texts) != len(langs):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        backend = self._require_backend()
        if not texts:
            return []
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, _analyse_by_language, backend, list(texts), list(langs))

    def describe(self, lang: str) -> dict[str, object]:
        return self._require_backend().describe(lang)

    def close(self) -> None:
        self.ready = False
        self._executor.shutdown(wait=False, cancel_futures=True)


def download_models(langs: Sequence[str], stanza_dir: str | None) -> None:
    """Fetch the stanza models into `stanza_dir` (production images; needs the stanza hub)."""
    import stanza
    from stanza.resources.common import DEFAULT_MODEL_DIR

    for lang in langs:
        stanza.download(
            lang,
            model_dir=stanza_dir or DEFAULT_MODEL_DIR,
            processors="tokenize,mwt,ner,pos,lemma,depparse",
        )
