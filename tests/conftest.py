"""Shared fixtures. The broker is real (noida-db on a free loopback port), started once per session
and stopped by PID; workers are real `newswire worker` processes (tests/integration/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.adapters.kafka.embedded import EmbeddedBroker

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker.on_free_port(tmp_path_factory.mktemp("broker")) as embedded:
        yield embedded
