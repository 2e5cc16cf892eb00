"""Clean stops, as a user or a supervisor causes them: `newswire dev` stops its worker before its broker and
leaves nothing 15 s after SIGTERM, SIGINT or an error; a worker whose broker is gone still exits in time.
Signals go to the process, never to its group."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.corpus import generate, records
from service.adapters.child_process import free_port
from service.adapters.kafka.broker_process import BrokerProcess
from service.adapters.kafka.connection import Connection
from tests.integration.faults_support import alive, children, wait_for_published
from tests.integration.harness import ROOT, Deployment

pytestmark = pytest.mark.integration
NOTHING_LEFT_AFTER = 15.0
PIDS = re.compile(r"broker pid (\d+), worker pid (\d+)")


def start_dev(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    environment.update({"OMP_NUM_THREADS": "1", "NEWSWIRE_NLP": "fallback", "NEWSWIRE_WEB_PORT": str(free_port())})
    environment.update(env)
    command = [sys.executable, "-m", "service.cli", "dev", "--broker-port", str(free_port()), *args]
    return subprocess.Popen(command, env=environment, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, preexec_fn=as_in_a_terminal)  # fmt: skip


def as_in_a_terminal() -> None:
    """SIGINT as a terminal's foreground command has it: a shell without job control (CI running the
    tests in the background) starts its children with SIGINT ignored, and Python keeps it ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def children_of(dev: subprocess.Popen[str], seen: list[str]) -> tuple[int, int]:
    """(broker pid, worker pid) from dev's output; waits for the worker to be ready to take input."""
    assert dev.stdout is not None
    pids = None
    for line in dev.stdout:
        seen.append(line)
        pids = pids or PIDS.search(line)
        if pids and ("fed " in line or "summary" in line):
            return int(pids.group(1)), int(pids.group(2))
    raise AssertionError("dev ended before its worker was ready:\n" + "".join(seen))


def wait_gone(pids: dict[str, int], within: float) -> dict[str, float]:
    """name → seconds until that process was gone (stops at `within`)."""
    started, gone = time.monotonic(), {}
    while len(gone) < len(pids) and time.monotonic() - started < within:
        now = time.monotonic() - started
        gone.update({name: now for name, pid in pids.items() if name not in gone and not alive(pid)})
        time.sleep(0.02)
    return gone


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_dev_stops_its_worker_then_its_broker_and_leaves_nothing(tmp_path: Path, sig: signal.Signals) -> None:
    dev = start_dev(tmp_path, "--feed", str(ROOT / "samples"))
    seen: list[str] = []
    try:
        broker_pid, worker_pid = children_of(dev, seen)
        helpers = {f"worker's {name}": pid for pid, name in children(worker_pid)}  # its NLP process among them
        assert any("spawn" in name for name in helpers), helpers
        dev.send_signal(sig)  # the process only, as a supervisor does
        gone = wait_gone({"dev": dev.pid, "worker": worker_pid, "broker": broker_pid, **helpers}, NOTHING_LEFT_AFTER)
    finally:
        dev.kill()
        seen.append(dev.communicate()[0])
    assert set(gone) == {"dev", "worker", "broker", *helpers}, \
        f"left after {NOTHING_LEFT_AFTER}s: {gone}\n{''.join(seen)}"
    assert gone["worker"] <= gone["broker"], f"the broker stopped before the worker: {gone}"
    assert dev.returncode == 130


def test_dev_leaves_nothing_when_its_worker_fails(tmp_path: Path) -> None:
    # NEWSWIRE_NLP=stanza without models: the worker exits at startup, after dev started the broker.
    dev = start_dev(tmp_path, NEWSWIRE_NLP="stanza", NEWSWIRE_STANZA_DIR=str(tmp_path / "no-models"))
    out = dev.communicate(timeout=120)[0]
    assert dev.returncode == 1 and "did not become ready" in out
    broker_pid, worker_pid = (int(pid) for pid in PIDS.search(out).groups())  # type: ignore[union-attr]
    assert not alive(broker_pid) and not alive(worker_pid)


@pytest.fixture
def doomed_broker(broker_class: type[BrokerProcess], tmp_path: Path) -> Iterator[BrokerProcess]:
    with broker_class.on_free_port(tmp_path / "broker") as broker:
        yield broker


def test_a_worker_whose_broker_is_gone_exits_within_its_shutdown_timeout(
    doomed_broker: BrokerProcess, tmp_path: Path
) -> None:
    timeout = 5.0
    deployment = Deployment(Connection(doomed_broker.url), tmp_path / "deployment",
                            extra_env={"NEWSWIRE_SHUTDOWN_TIMEOUT": f"{timeout:g}s"})  # fmt: skip
    deployment.workdir.mkdir()
    try:
        worker = deployment.start_worker()
        deployment.feed(records(generate(50, seed=31)))
        wait_for_published([worker], [deployment.topic("enriched")], 1, timeout=60)
        assert doomed_broker.process is not None
        doomed_broker.process.kill()  # gone at once, for good
        doomed_broker.stop()  # reaps it
        assert worker.process is not None
        process, started = worker.process, time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout + 5)
        assert time.monotonic() - started <= timeout + 3, worker.log_tail(10)
    finally:
        deployment.stop_all()
