"""Shared fixtures. The broker is real (noida-db on a free loopback port), started once per session
and stopped by PID; workers are real `newswire worker` processes (tests/integration/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.adapters.child_process import free_port
from service.adapters.embedded_broker import EmbeddedBroker

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    data = tmp_path_factory.mktemp("broker")
    embedded = EmbeddedBroker(data / "data", free_port(), log_path=data / "broker.log")
    embedded.start()
    try:
        yield embedded
    finally:
        embedded.stop()
