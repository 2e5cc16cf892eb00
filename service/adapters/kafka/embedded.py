"""The embedded Kafka-protocol broker (noida-db) as a child process, for `newswire dev` and the tests.

We run the vendored binary directly (not its Python wrapper, which would swallow our SIGTERM), on
loopback only.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from service.adapters.kafka.broker_process import BrokerError, BrokerProcess

__all__ = ["BrokerError", "EmbeddedBroker", "noida_binary"]


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


class EmbeddedBroker(BrokerProcess):
    """`with EmbeddedBroker(data_dir, port) as broker:` → broker.url is 'kafka://127.0.0.1:PORT'.

    Readiness is the port accepting connections (the Kafka API answers ~6 ms later).
    """

    kind = "noida-db"
    stop_timeout = 10.0

    def command(self) -> list[str]:
        return [str(noida_binary()), "start", "--only", "kafka", "--kafka-port", str(self.port),
                "--host", "127.0.0.1", "--data-dir", str(self.data_dir)]  # fmt: skip
