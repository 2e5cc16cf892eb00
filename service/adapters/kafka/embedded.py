"""The embedded Kafka-protocol broker (noida-db) as a child process, for `newswire dev` and the tests.

We run the vendored binary directly (not its Python wrapper, which would swallow our SIGTERM), on
loopback only, and ask the kernel to SIGTERM it if we die (PR_SET_PDEATHSIG): no orphan brokers.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from importlib.resources import files
from pathlib import Path
from types import TracebackType

from service.adapters.child_process import die_with_parent, free_port, port_open, stop_process

logger = logging.getLogger(__name__)


class BrokerError(RuntimeError):
    pass


def noida_binary() -> Path:
    try:
        path = Path(str(files("noida_db").joinpath("noida-db")))
    except ModuleNotFoundError:
        raise BrokerError("the embedded broker is not installed: pip install 'newswire[dev]' (noida-db)") from None
    if not path.is_file():
        raise BrokerError(f"noida-db binary missing at {path}: reinstall noida-db")
    if not os.access(path, os.X_OK):
        path.chmod(0o755)
    return path


class EmbeddedBroker:
    """`with EmbeddedBroker(data_dir, port) as broker:` → broker.url is 'kafka://127.0.0.1:PORT'."""

    def __init__(self, data_dir: Path, port: int, log_path: Path | None = None) -> None:
        self.data_dir = data_dir
        self.port = port
        self.log_path = log_path or data_dir.parent / "broker.log"
        self.process: subprocess.Popen[bytes] | None = None

    @classmethod
    def on_free_port(cls, workdir: Path) -> EmbeddedBroker:
        """A broker with its data and log under `workdir`, on any free loopback port (tests, benchmarks)."""
        return cls(workdir / "data", free_port(), log_path=workdir / "broker.log")

    @property
    def url(self) -> str:
        return f"kafka://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        if port_open(self.port):
            raise BrokerError(f"port {self.port} on 127.0.0.1 is already in use; pick another with --broker-port")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [str(noida_binary()), "start", "--only", "kafka", "--kafka-port", str(self.port),
                   "--host", "127.0.0.1", "--data-dir", str(self.data_dir)]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent
            )
        deadline = time.monotonic() + timeout
        while not port_open(self.port):
            if self.process.poll() is not None:
                raise BrokerError(f"noida-db exited with code {self.process.returncode}; see {self.log_path}")
            if time.monotonic() > deadline:
                self.stop()
                raise BrokerError(f"noida-db did not open port {self.port} within {timeout}s; see {self.log_path}")
            time.sleep(0.02)
        logger.info("embedded broker ready", extra={"port": self.port, "pid": self.process.pid})

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (the broker saves its data), then SIGKILL if it does not exit in time."""
        process, self.process = self.process, None
        stop_process(process, timeout)

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
