"""Helpers for the fault tests: verdicts per input id, worker metrics and RSS, a test-only fault plugin."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from service.adapters.kafka.io import consume, group_progress
from tests.integration.harness import Deployment, Record, WorkerProcess

VERDICT_KINDS = ("enriched", "duplicates", "dlq")

# Loaded into a worker process through PYTHONPATH only (a mock of faults we cannot cause for real):
# it wraps the fallback NLP backend, which the worker calls in its NLP process (spawned: it loads
# the plugin too). A text with the fail marker makes the backend raise; one with the exit marker
# kills the process that runs it, as an out-of-memory kill or a crash in native code would.
FAULT_PLUGIN = '''\
"""Test-only fault injection for newswire workers (tests/integration/faults_support.py)."""
import os
import time

_MARKER = os.environ.get("FAULTS_NLP_FAIL_MARKER", "")
_EXIT = os.environ.get("FAULTS_NLP_EXIT_MARKER", "")
_DELAY = float(os.environ.get("FAULTS_NLP_DELAY_SECONDS", "0") or 0)

if _MARKER or _EXIT or _DELAY:
    from service.adapters.nlp import fallback as fallback_nlp

    _entities = fallback_nlp.FallbackNlp.entities

    def _faulty_entities(self, texts, lang):
        time.sleep(_DELAY * len(texts))
        if _MARKER and any(_MARKER in text for text in texts):
            raise RuntimeError("injected NLP fault")
        if _EXIT and any(_EXIT in text for text in texts):
            os._exit(70)
        return _entities(self, texts, lang)

    fallback_nlp.FallbackNlp.entities = _faulty_entities
'''


def fault_plugin_env(directory: Path, *, fail_marker: str = "", exit_marker: str = "",
                     delay_seconds: float = 0.0) -> dict[str, str]:  # fmt: skip
    """Env for Deployment(extra_env=...) that loads FAULT_PLUGIN as the worker's sitecustomize."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitecustomize.py").write_text(FAULT_PLUGIN)
    return {
        "PYTHONPATH": str(directory),
        "FAULTS_NLP_FAIL_MARKER": fail_marker,
        "FAULTS_NLP_EXIT_MARKER": exit_marker,
        "FAULTS_NLP_DELAY_SECONDS": str(delay_seconds),
    }


def input_id(kind: str, record: Record) -> str:
    """The input a verdict is about: the article id, or for a dead letter its original key."""
    if kind == "dlq":
        return (record.key or b"").decode()
    return str(record.value["id"])


def verdicts_by_id(found: dict[str, list[Record]]) -> dict[str, dict[str, list[Record]]]:
    """input id → verdict kind → every record of that kind (replays included)."""
    by_id: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    for kind in VERDICT_KINDS:
        for record in found.get(kind, []):
            by_id[input_id(kind, record)][kind].append(record)
    return by_id


def covers(ids: set[str]) -> Callable[[dict[str, list[Record]]], bool]:
    """collect() condition: every id in `ids` has at least one verdict."""

    def done(found: dict[str, list[Record]]) -> bool:
        seen = {input_id(kind, r) for kind in VERDICT_KINDS for r in found.get(kind, [])}
        return ids <= seen

    return done


def verdict_problems(found: dict[str, list[Record]], ids: set[str]) -> list[str]:
    """Contract violations: an input without verdict, with two verdict kinds, or replayed differently."""
    by_id = verdicts_by_id(found)
    problems = [f"{i}: no verdict" for i in sorted(ids - set(by_id))]
    problems += [f"{i}: verdicts of unknown input" for i in sorted(set(by_id) - ids)]
    for article_id, kinds in sorted(by_id.items()):
        if len(kinds) != 1:
            problems.append(f"{article_id}: several verdict kinds {sorted(kinds)}")
            continue
        for kind, records in kinds.items():
            keys = {r.key for r in records}
            essence = {_verdict_essence(kind, r) for r in records}
            if len(keys) != 1 or len(essence) != 1:
                problems.append(f"{article_id}: {len(records)} {kind} records differ: keys {keys}, {essence}")
    return problems


def _verdict_essence(kind: str, record: Record) -> str:
    value = record.value
    if kind == "duplicates":
        return f"{value['duplicate_of']}|{value['cluster_id']}|{value['method']}"
    if kind == "enriched":
        return f"{value['cluster_id']}|{value['text']}"
    return str(value["reason"])


_SAMPLE = re.compile(r'^newswire_articles_published_total\{topic="([^"]+)"\} ([0-9.e+]+)$', re.MULTILINE)


def published(worker: WorkerProcess) -> dict[str, float]:
    """The worker's own count of records published, per topic (0 if it cannot be asked)."""
    try:
        text = worker.http("/metrics").decode()
    except OSError:
        return {}
    return {topic: float(value) for topic, value in _SAMPLE.findall(text)}


_INDEX_BYTES = re.compile(r"^newswire_(?:dedup|story)_index_bytes ([0-9.e+]+)$", re.MULTILINE)
_CONSUMED = re.compile(r"^newswire_articles_consumed_total ([0-9.e+]+)$", re.MULTILINE)


def consumed(worker: WorkerProcess) -> float:
    """How many raw records the worker has read (0 if it cannot be asked)."""
    try:
        found = _CONSUMED.search(worker.http("/metrics").decode())
    except OSError:
        return 0.0
    return float(found.group(1)) if found else 0.0


def wait_for_published(workers: list[WorkerProcess], topics: list[str], at_least: float, timeout: float) -> float:
    """Block until the workers together published `at_least` records to `topics`; returns the count."""
    deadline = time.monotonic() + timeout
    while True:
        total = sum(published(w).get(t, 0.0) for w in workers for t in topics)
        if total >= at_least:
            return total
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {total} records published to {topics} within {timeout}s; "
                               f"{stall_report(workers)}")  # fmt: skip
        time.sleep(0.1)


def stall_report(workers: list[WorkerProcess]) -> str:
    """What a stalled wait needs to be explained afterwards: each worker's rebalances and complaints
    (its log goes with pytest's base directory), and whatever else kept this machine busy."""
    lines = [f"load average {os.getloadavg()}"]
    for worker in workers:
        joins, complaints = 0, Counter[str]()
        for line in worker.log_tail(100_000).splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                complaints[f"not JSON: {line[:120]}"] += 1
                continue
            joins += "(Re-)joining group" in str(record.get("msg"))
            if record.get("level") in ("WARNING", "ERROR", "CRITICAL"):
                complaints[f"{record.get('level')} {record.get('logger')}: {str(record.get('msg'))[:120]}"] += 1
        lines.append(f"{worker.name}: {joins} group joins; {dict(complaints.most_common(10))}")
    busiest = subprocess.run(["ps", "-eo", "pid,pcpu,etimes,args", "--sort=-pcpu"], capture_output=True, text=True)
    lines += [line[:160] for line in busiest.stdout.splitlines()[:8]]
    return "\n".join(lines)


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of each process whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append((int(stat.parent.name), (stat.parent / "cmdline").read_text().replace("\0", " ")))
        except (OSError, IndexError, ValueError):
            continue
    return found


def pid_of(worker: WorkerProcess) -> int:
    if worker.process is None:
        raise RuntimeError(f"worker {worker.name} is not running")
    return worker.process.pid


def last_stage_of(deployment: Deployment, ids: set[str]) -> dict[str, tuple[str, int, int]]:
    """input id → (stage, partition, offset) of its last appearance in the raw and internal topics."""
    return asyncio.run(_last_stage_of(deployment, ids))


async def _last_stage_of(deployment: Deployment, ids: set[str]) -> dict[str, tuple[str, int, int]]:
    stages = {"raw": deployment.topic("raw"), **{f"staged-{stage}": deployment.internal_topic(stage)
                                                  for stage in ("enrich", "dedup", "verdicts", "stories")}}
    last: dict[str, tuple[str, int, int]] = {}
    for stage, topic in stages.items():
        async for message in consume(deployment.connection, [topic], from_beginning=True, idle_seconds=1.0):
            key = (message.key or b"").decode()
            if key in ids:
                last[key] = (stage, message.partition, message.offset)
    return last


def group_report(deployment: Deployment) -> dict[str, tuple[int | None, int]]:
    """Committed vs end offset of the deployment's consumer group on its input and internal topics."""
    internal = [deployment.internal_topic(stage) for stage in ("dedup", "enrich", "verdicts", "stories")]
    topics = [deployment.topic("raw"), *internal]
    return asyncio.run(group_progress(deployment.connection, deployment.app_id, topics))


def offsets_enrich_received(worker: WorkerProcess) -> set[tuple[int, int]]:
    """(partition, offset) of every staged-enrich record the worker's LAST run handed to its enrich agent.

    Needs the worker to log `service.stream.agents` at DEBUG (NEWSWIRE_LOG_LEVEL=INFO,service.stream.agents=DEBUG).
    """
    text = worker.log_path.read_text(errors="replace")
    last_run = text[text.rfind("[^Worker]: Starting") :]
    received: set[tuple[int, int]] = set()
    for line in last_run.splitlines():
        if '"enrich batch"' in line:
            received.update((p, o) for p, o in json.loads(line)["offsets"])
    return received


def index_bytes(worker: WorkerProcess) -> float:
    """The bytes of the dedup and story indexes, as the worker last reported them (every 5 s)."""
    return sum(float(value) for value in _INDEX_BYTES.findall(worker.http("/metrics").decode()))
