"""The runner that keeps the NLP backend in one place and does all enrichment work there.

- The rule-based fallback lives in a child process (spawned, one per worker). It is pure
  Python: in a thread it would share the worker's interpreter lock, and the entities, claims
  and story features it computes (enrichment.py) were about half of a worker's CPU, all on the
  event loop's core. In a process they use the other core.
- Stanza lives on one dedicated thread: it is neither thread- nor fork-safe, torch releases the
  lock while it computes, and its models are too big to load twice.

If the child process dies with a batch (killed, out of memory, a crash in native code), a new
one is started and the batch is retried one article at a time, so only an article that kills
it again fails. Calls take turns (the backend has one process or thread anyway): a batch queued
beside one that kills the process would die with it, and fail articles that did nothing.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from service.adapters.nlp import enrichment
from service.adapters.nlp.enrichment import EnrichedBatch, EnrichFailure, EnrichInput, Enrichment
from service.adapters.nlp.port import MODES, Analysis
from service.domain.records import Entity
from service.logging_setup import configure_logging, log_what_python_prints

logger = logging.getLogger(__name__)

T = TypeVar("T")


def wants_process(mode: str, langs: Sequence[str], stanza_dir: str | None) -> bool:
    """Whether `mode` ends with the fallback backend (which runs in a child process)."""
    if mode == "fallback":
        return True
    if mode == "stanza":
        return False
    from service.adapters.nlp.stanza_backend import missing_model_files

    return bool(missing_model_files(langs, stanza_dir))


class NlpRunner:
    """Owns the NLP executor: the backend is built there and only ever called there."""

    def __init__(self, mode: str, langs: Sequence[str], stanza_dir: str | None, *,
                 in_process: bool | None = None, log_level: str | None = None) -> None:  # fmt: skip
        """log_level: the worker's NEWSWIRE_LOG_LEVEL, for the NLP process to log as it does."""
        if mode not in MODES:
            raise ValueError(f"unknown NLP mode {mode!r}; use one of {', '.join(MODES)}")
        self.mode = mode
        self.langs = tuple(langs)
        self.stanza_dir = stanza_dir
        self.log_level = log_level
        self.in_process = wants_process(mode, self.langs, stanza_dir) if in_process is None else in_process
        self.ready = False
        self.backend_name = ""
        self.load_seconds = 0.0
        self._token = uuid.uuid4().hex  # names this runner's backend where it lives
        self._loading: asyncio.Future[None] | None = None
        self._turn = asyncio.Lock()  # one call (a batch and its retries) at a time: see the module docstring
        self._executor = self._new_executor()

    async def start(self) -> None:
        """Build the backend once, where it lives; every caller awaits the same load."""
        if self._loading is None:
            self._loading = asyncio.ensure_future(self._load())
        await asyncio.shield(self._loading)

    async def entities(self, texts: Sequence[str], langs: Sequence[str]) -> list[list[Entity]]:
        return [analysis.entities for analysis in await self.analyse(texts, langs)]

    async def analyse(self, texts: Sequence[str], langs: Sequence[str]) -> list[Analysis]:
        """Entities (and parses) of each text, one backend call per language."""
        if len(texts) != len(langs):
            raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
        if not texts:
            return []
        async with self._turn:
            return await self._call(enrichment.analyse, self._token, list(texts), list(langs))

    async def enrich(self, items: Sequence[EnrichInput]) -> EnrichedBatch:
        """Entities, claims and story features of each article (see enrichment.py)."""
        if not items:
            return EnrichedBatch([])
        async with self._turn:
            return await self._enrich(items)

    async def _enrich(self, items: Sequence[EnrichInput]) -> EnrichedBatch:
        try:
            return await self._call(enrichment.enrich, self._token, list(items))
        except BrokenProcessPool:
            logger.error("the NLP process died during a batch: restarting it, then one article at a time",
                         extra={"batch": len(items)})  # fmt: skip
        results: list[Enrichment | EnrichFailure] = []
        broken = True
        for item in items:
            if broken:
                await self._restart()
                broken = False
            try:
                results += (await self._call(enrichment.enrich, self._token, [item])).results
            except BrokenProcessPool:
                broken = True
                results.append(EnrichFailure("enrich: the NLP process died while enriching this article"))
        if broken:
            await self._restart()
        return EnrichedBatch(results, retried_one_by_one=True)

    def close(self) -> None:
        """Cancel what waits, and wait for the batch in flight and for the NLP process to exit.

        Not waiting lets interpreter exit race the pool's manager thread as it closes its wake-up
        pipe (CPython 3.11's concurrent.futures._python_exit): about one exit in 450 printed an
        OSError traceback into the worker's JSON log. Exit would wait for that thread anyway.
        """
        self.ready = False
        self._executor.shutdown(wait=True, cancel_futures=True)
        enrichment.forget(self._token)  # a thread runner's backend lives in this process

    # -- the executor ---------------------------------------------------------------------

    def _new_executor(self) -> Executor:
        if self.in_process:
            # spawn, not fork: the worker has threads (the consumer's, the producer's) by now.
            return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_start_child, initargs=(self.log_level,))  # fmt: skip
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="newswire-nlp")

    async def _load(self) -> None:
        started = time.perf_counter()
        self.backend_name = await self._run(enrichment.load, self._token, self.mode, self.langs, self.stanza_dir)
        self.load_seconds = time.perf_counter() - started
        self.ready = True
        logger.info("NLP backend %s ready in %.2f s for %s (%s)", self.backend_name, self.load_seconds, self.langs,
                    "child process" if self.in_process else "NLP thread")  # fmt: skip

    async def _restart(self) -> None:
        """A new child process with the backend loaded (the last one died)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._new_executor()
        await self._run(enrichment.load, self._token, self.mode, self.langs, self.stanza_dir)

    async def _call(self, function: Callable[..., T], *args: Any) -> T:
        if not self.ready:
            raise RuntimeError("NlpRunner.start() must finish before the runner is used")
        return await self._run(function, *args)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)


def _start_child(log_level: str | None) -> None:
    """In the NLP process: log as the worker does (JSON lines on the stderr they share), and
    exit with it."""
    if log_level is not None:
        configure_logging(log_level)
        log_what_python_prints()
    _exit_with_parent()


def _exit_with_parent() -> None:
    """In the NLP process: exit when the worker is gone, even killed (-9). The pool's queue
    would never tell: the child holds both ends of its pipe."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="newswire-nlp-parent-watch", daemon=True).start()


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
