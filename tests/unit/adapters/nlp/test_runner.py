"""NlpRunner.enrich: the fallback in a child process gives what the same code gives here, and an
article that breaks the backend or kills the process fails alone. Texts written for these tests."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.adapters.nlp.enrichment import EnrichedBatch, EnrichFailure, EnrichInput, Enrichment
from service.adapters.nlp.runner import NlpRunner
from service.domain.stories.features import StoryFeatures
from tests.integration.faults_support import fault_plugin_env

ITEMS = [
    EnrichInput("وقال وزير الخارجية سامر الحلبي إن المحادثات ستستأنف الأحد في مدينة النخيل.", "ar", 1000.0,
                "الحلبي: المحادثات تستأنف الأحد", "wire-a"),
    EnrichInput("Foreign Minister Samer Halabi said the talks would resume on Sunday in Palm City.", "en", 1001.0,
                None, "wire-b"),
    EnrichInput("The river rose by two metres overnight, officials said.", "en", 1002.0),
    EnrichInput("Un texte dans une langue sans pipeline.", "fr", 1003.0),
]


def run(runner: NlpRunner, items: list[EnrichInput]) -> EnrichedBatch:
    """The items through the runner, started; the runner is closed after."""

    async def go() -> EnrichedBatch:
        await runner.start()
        return await runner.enrich(items)

    try:
        return asyncio.run(go())
    finally:
        runner.close()


@pytest.fixture
def faults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fault plugin in the environment the NLP process is spawned with."""
    for name, value in fault_plugin_env(tmp_path, fail_marker="RAISE-HERE", exit_marker="EXIT-HERE").items():
        monkeypatch.setenv(name, value + (os.pathsep + os.environ["PYTHONPATH"] if name == "PYTHONPATH"
                                          and os.environ.get("PYTHONPATH") else ""))  # fmt: skip
    yield


def test_the_fallback_runs_in_a_child_process_and_gives_what_it_gives_here() -> None:
    runner = NlpRunner("fallback", ["ar", "en"], None)
    assert runner.in_process
    batch = run(runner, ITEMS)
    here = NlpRunner("fallback", ["ar", "en"], None, in_process=False)
    expected = run(here, ITEMS)
    assert batch.results == expected.results
    first = batch.results[0]
    assert isinstance(first, Enrichment)
    assert {(e.text, e.label) for e in first.entities} >= {("سامر الحلبي", "PER")}
    assert first.claims and first.claims[0].speaker.endswith("سامر الحلبي")
    features = StoryFeatures.from_bytes(first.features)
    assert features.lang == "ar" and features.time == 1000.0 and features.source == "wire-a"
    assert features.headline == "الحلبي: المحادثات تستأنف الأحد"
    assert first.nlp["backend"] == "fallback"
    last = batch.results[3]
    assert isinstance(last, Enrichment) and last.entities == [] and last.claims == []
    assert not batch.retried_one_by_one
    assert [len(batch.seconds[stage]) for stage in ("enrich", "claims", "story_features")] == [1, 4, 4]


def test_an_article_the_backend_cannot_tag_fails_alone(faults: None) -> None:
    poisoned = EnrichInput("The minister said RAISE-HERE today.", "en", 1.0)
    batch = run(NlpRunner("fallback", ["ar", "en"], None), [ITEMS[0], poisoned, ITEMS[1]])
    assert batch.retried_one_by_one
    assert [type(r) for r in batch.results] == [Enrichment, EnrichFailure, Enrichment]
    assert batch.results[1] == EnrichFailure("enrich: RuntimeError('injected NLP fault')")


def test_an_article_that_kills_the_nlp_process_fails_alone_and_a_new_process_goes_on(faults: None) -> None:
    deadly = EnrichInput("The minister said EXIT-HERE today.", "en", 1.0)
    runner = NlpRunner("fallback", ["ar", "en"], None)

    async def go() -> tuple[EnrichedBatch, EnrichedBatch]:
        await runner.start()
        first = await runner.enrich([ITEMS[0], deadly, ITEMS[1]])
        return first, await runner.enrich(ITEMS[:2])

    try:
        first, after = asyncio.run(go())
    finally:
        runner.close()
    assert first.retried_one_by_one
    assert [type(r) for r in first.results] == [Enrichment, EnrichFailure, Enrichment]
    assert "process died" in first.results[1].detail  # type: ignore[union-attr]
    assert all(isinstance(r, Enrichment) for r in after.results) and not after.retried_one_by_one


def test_closing_waits_until_the_nlp_process_and_the_pool_thread_are_gone() -> None:
    # Left running, the pool's thread races interpreter exit (see NlpRunner.close).
    threads = set(threading.enumerate())
    run(NlpRunner("fallback", ["en"], None), ITEMS[2:3])
    assert not multiprocessing.active_children()
    assert set(threading.enumerate()) <= threads


# The NLP process shares the worker's stderr: a warning there must come out as a JSON line too.
CHILD_WARNS = """
import asyncio, warnings
from service.adapters.nlp.runner import NlpRunner
runner = NlpRunner("fallback", ["en"], None, log_level="INFO")
async def go():
    await runner.start()
    await runner._run(warnings.warn, "a warning in the NLP process")
asyncio.run(go())
runner.close()
"""


def test_the_nlp_process_logs_json_lines_as_the_worker_does() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD_WARNS], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[4])  # fmt: skip
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stderr.splitlines() if line]  # every line is JSON
    [warning] = [e for e in events if e["logger"] == "py.warnings"]
    assert "a warning in the NLP process" in warning["msg"]


def test_a_batch_beside_one_that_kills_the_nlp_process_loses_nothing(faults: None) -> None:
    # The worker enriches batches of several partitions at once: when one kills the process, the
    # other's articles must not fail with it (seen once on Kafka: an innocent article dead-lettered).
    deadly = EnrichInput("The minister said EXIT-HERE today.", "en", 1.0)
    runner = NlpRunner("fallback", ["ar", "en"], None)

    async def go() -> list[EnrichedBatch]:
        await runner.start()
        return list(await asyncio.gather(runner.enrich([ITEMS[0], deadly, ITEMS[1]]), runner.enrich(ITEMS[:3]),
                                         runner.enrich(ITEMS[1:])))  # fmt: skip

    try:
        killed, *beside = asyncio.run(go())
    finally:
        runner.close()
    assert [type(r) for r in killed.results] == [Enrichment, EnrichFailure, Enrichment]
    assert all(isinstance(r, Enrichment) for batch in beside for r in batch.results)


def test_a_runner_refuses_to_enrich_before_it_started() -> None:
    runner = NlpRunner("fallback", ["en"], None, in_process=False)
    try:
        with pytest.raises(RuntimeError, match="start"):
            asyncio.run(runner.enrich(ITEMS[:1]))
    finally:
        runner.close()
