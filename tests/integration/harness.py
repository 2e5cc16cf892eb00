"""Test harness: real `newswire worker` processes with isolated topics, and output collection."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import ConsumerRecord

from service.adapters.child_process import die_with_parent, free_port, stop_process
from service.adapters.kafka.connection import Connection
from service.adapters.kafka.io import consume, produce

ROOT = Path(__file__).resolve().parents[2]
TINY_MODELS = ROOT / "tests" / "models"
_RUN = itertools.count()


OUTPUT_KINDS = ("enriched", "duplicates", "claims", "dlq", "stories")


@dataclass
class Deployment:
    """One isolated newswire deployment on the shared broker: its own topics, group and data dirs."""

    connection: Connection
    workdir: Path
    prefix: str = field(default_factory=lambda: f"t{os.getpid()}x{next(_RUN)}")
    extra_env: dict[str, str] = field(default_factory=dict)
    workers: list[WorkerProcess] = field(default_factory=list)
    read_committed: bool = False  # collect only committed output (exactly-once deployments)
    # A worker restarted under its name keeps its web port, as under a supervisor: Faust puts the port in
    # the group assignment, and Kafka hands a rejoining static member its old assignment, port included.
    web_ports: dict[str, int] = field(default_factory=dict)

    @property
    def broker_url(self) -> str:
        return self.connection.broker_url

    def topic(self, name: str) -> str:
        return f"{self.prefix}.articles.{name}"

    @property
    def app_id(self) -> str:
        """NEWSWIRE_APP_ID of the deployment's workers: their consumer group and internal topic prefix."""
        return f"{self.prefix}-newswire"

    def internal_topic(self, stage: str) -> str:
        """The internal topic `stage` ("dedup", "enrich", "stories", "verdicts"), as service.stream.app names it."""
        return f"{self.app_id}-staged-{stage}"

    def env(self, web_port: int, data_dir: Path, instance_id: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
        env.update(
            NEWSWIRE_BROKER=self.broker_url,
            NEWSWIRE_APP_ID=self.app_id,
            NEWSWIRE_INSTANCE_ID=instance_id,
            NEWSWIRE_WEB_PORT=str(web_port),
            NEWSWIRE_WEB_BIND="127.0.0.1",
            NEWSWIRE_DATA_DIR=str(data_dir),
            NEWSWIRE_PARTITIONS="4",
            NEWSWIRE_NLP="fallback",
            NEWSWIRE_LOG_LEVEL="INFO",
            OMP_NUM_THREADS="1",
            **{
                f"NEWSWIRE_TOPIC_{n.upper()}": self.topic(n) for n in ("raw", *OUTPUT_KINDS)
            },
        )
        env.update(self.extra_env)
        return env

    def run_cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """`newswire ARGS` with this deployment's settings (topics, broker, login), as a user runs it."""
        env = self.env(free_port(), self.workdir / "cli", instance_id=f"{self.prefix}-cli")
        command = [sys.executable, "-m", "service.cli", *args]
        return subprocess.run(command, env=env, cwd=self.workdir, capture_output=True, text=True, timeout=timeout)

    def start_worker(self, name: str = "w1", ready_timeout: float = 90.0) -> WorkerProcess:
        worker = WorkerProcess(self, name)
        self.workers.append(worker)
        worker.start(ready_timeout)
        return worker

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()

    def feed(self, records: Iterable[tuple[bytes | None, bytes]]) -> int:
        return asyncio.run(produce(self.connection, self.topic("raw"), list(records)))

    def collect(
        self, done: Callable[[dict[str, list[Record]]], bool], timeout: float = 60.0
    ) -> dict[str, list[Record]]:
        """Read all output topics from the beginning until `done(records_by_kind)` or the timeout."""
        return asyncio.run(self._collect(done, timeout))

    async def _collect(
        self, done: Callable[[dict[str, list[Record]]], bool], timeout: float
    ) -> dict[str, list[Record]]:
        kinds = {self.topic(n): n for n in OUTPUT_KINDS}
        found: dict[str, list[Record]] = defaultdict(list)
        deadline = time.monotonic() + timeout
        last_seen: dict[str, int] = {}
        def read() -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
            return consume(self.connection, list(kinds), from_beginning=True, idle_seconds=0.5,
                           read_committed=self.read_committed)  # fmt: skip

        stream = read()
        while time.monotonic() < deadline:
            async for message in stream:
                found[kinds[message.topic]].append(Record(message.key, orjson.loads(message.value or b"null")))
            if done(found):
                return found
            last_seen = {kind: len(records) for kind, records in found.items()}
            stream = read()
            found = defaultdict(list)
        raise TimeoutError(f"outputs never satisfied the condition; last seen: {last_seen}")


@dataclass(frozen=True)
class Record:
    key: bytes | None
    value: dict[str, Any]


class WorkerProcess:
    def __init__(self, deployment: Deployment, name: str) -> None:
        self.deployment = deployment
        self.name = name
        self.web_port = deployment.web_ports.setdefault(name, free_port())
        self.data_dir = deployment.workdir / f"{deployment.prefix}-{name}"
        self.log_path = deployment.workdir / f"{deployment.prefix}-{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_timeout: float) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "worker"],
            env=self.deployment.env(self.web_port, self.data_dir, f"{self.deployment.prefix}-{self.name}"),
            cwd=self.deployment.workdir,  # a worker must run from any working directory
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + ready_timeout
        while self.http_status("/readyz") != 200:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited ({self.process.returncode}):\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"worker {self.name} not ready in {ready_timeout}s:\n{self.log_tail()}")
            time.sleep(0.25)

    def http(self, path: str) -> bytes:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}{path}", timeout=5) as response:
            body: bytes = response.read()
            return body

    def http_status(self, path: str) -> int | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}{path}", timeout=2) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int | None:
        process, self.process = self.process, None
        return stop_process(process, timeout, sig)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
