"""A Kafka-protocol broker as a child process on loopback: what the embedded noida-db and Apache Kafka share.

Tests, benchmarks and `newswire dev` take either through this one shape: `with Broker(...) as b:`,
`b.url`, `b.pid`, `b.stop()`, `b.start()` again (a restart keeps the data dir). The child gets
SIGTERM from the kernel if we die (PR_SET_PDEATHSIG): no orphan brokers.
"""

from __future__ import annotations

import logging
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from service.adapters.child_process import die_with_parent, free_port, port_open, stop_process

logger = logging.getLogger(__name__)


class BrokerError(RuntimeError):
    pass


class BrokerProcess:
    """Subclasses say how to run the broker (`command`), what to do once before (`prepare`) and when it is up."""

    kind = "broker"
    stop_timeout = 20.0

    def __init__(self, data_dir: Path, port: int, log_path: Path | None = None) -> None:
        self.data_dir = data_dir
        self.port = port
        self.log_path = log_path or data_dir.parent / "broker.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._log_start = 0  # where this run's lines begin in the (appended) log

    @classmethod
    def on_free_port(cls, workdir: Path) -> Self:
        """A broker with its data and log under `workdir`, on any free loopback port (tests, benchmarks)."""
        return cls(workdir / "data", free_port(), log_path=workdir / "broker.log")

    @property
    def url(self) -> str:
        return f"kafka://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def command(self) -> list[str]:
        raise NotImplementedError

    def prepare(self) -> None:
        """Runs before each start, after the data dir exists."""

    def is_ready(self) -> bool:
        return port_open(self.port)

    def log_since_start(self) -> str:
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as log:
            log.seek(self._log_start)
            return log.read().decode("utf-8", "replace")

    def start(self, timeout: float = 60.0) -> None:
        if port_open(self.port):
            raise BrokerError(f"port {self.port} on 127.0.0.1 is already in use; pick another with --broker-port")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.prepare()
        self._log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not self.is_ready():
            if self.process.poll() is not None:
                raise BrokerError(f"{self.kind} exited with code {self.process.returncode}; see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise BrokerError(f"{self.kind} not ready on port {self.port} within {timeout}s; see {self.log_path}")
            time.sleep(0.02)
        logger.info("broker ready", extra={"kind": self.kind, "port": self.port, "pid": self.process.pid})

    def stop(self, timeout: float | None = None) -> None:
        """SIGTERM (the broker saves its data), then SIGKILL if it does not exit in time."""
        process, self.process = self.process, None
        stop_process(process, self.stop_timeout if timeout is None else timeout)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
