"""Integration tier: real broker, real `newswire worker` processes, isolated topics per deployment."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from service.adapters.kafka.broker_process import BrokerProcess
from service.adapters.kafka.connection import Connection
from tests.integration.harness import Deployment


@pytest.fixture
def deployment_factory(
    broker: BrokerProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., Deployment]]:
    """Make isolated deployments; every worker they started is stopped (by PID) afterwards."""
    made: list[Deployment] = []

    def make(**extra_env: str) -> Deployment:
        deployment = Deployment(Connection(broker.url), tmp_path_factory.mktemp("deployment"), extra_env=extra_env)
        made.append(deployment)
        return deployment

    yield make
    for deployment in made:
        deployment.stop_all()
