"""`newswire replay` on the real broker: exact original bytes back to the raw topic, once per dead letter."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from service.adapters.kafka.io import read_to_end
from tests.integration.harness import Deployment

pytestmark = pytest.mark.integration

BAD = {  # key → (value, reason)
    b"r-json-1": (b"{not json", "invalid_json"),
    b"r-json-2": (b'{"id": "r2", "body": "cut', "invalid_json"),
    b"r-nobody": (b'{"id": "r3", "title": "no body"}', "missing_body"),
}
GOOD = (b"r-good", b'{"id": "r-good", "body": "Officials said on Monday that the talks would resume."}')


def replay(deployment: Deployment, *args: str) -> str:
    result = deployment.run_cli("replay", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def raw_records(deployment: Deployment) -> Counter[tuple[bytes | None, bytes]]:
    """(key, value) of every raw record, as a multiset: the raw topic's partitions interleave in any order."""

    async def read() -> Counter[tuple[bytes | None, bytes]]:
        return Counter([(r.key, r.value) async for r in read_to_end(deployment.connection, [deployment.topic("raw")])])

    return asyncio.run(read())


def test_replay_republishes_the_exact_bytes_once_per_dead_letter(
    deployment_factory: Callable[..., Deployment], tmp_path: Path
) -> None:
    deployment = deployment_factory()
    worker = deployment.start_worker()
    deployment.feed([*((key, value) for key, (value, _) in BAD.items()), GOOD])
    deployment.collect(lambda found: len(found["dlq"]) >= len(BAD) and len(found["enriched"]) >= 1, timeout=60)
    worker.stop()  # nothing consumes the raw topic now: what replay publishes stays there to be seen
    fed = raw_records(deployment)

    dry = replay(deployment, "--dry-run")
    assert "would replay 3 dead letters (invalid_json=2, missing_body=1)" in dry
    assert raw_records(deployment) == fed

    first = replay(deployment, "--reason", "invalid_json")
    assert "replayed 2 dead letters (invalid_json=2)" in first and "skipped 1: left out" in first
    replayed = raw_records(deployment) - fed
    assert replayed == Counter((key, value) for key, (value, reason) in BAD.items() if reason == "invalid_json")

    again = replay(deployment, "--reason", "invalid_json")
    assert "replayed 0 dead letters" in again and "skipped 2: already replayed" in again
    assert "replayed 1 dead letters (missing_body=1)" in replay(deployment)
    assert "replayed 0 dead letters" in replay(deployment, "--since", "2h")  # all three are done
    assert "skipped 3: left out" in replay(deployment, "--since", "2099-01-01T00:00:00Z")
    assert raw_records(deployment) - fed == Counter((key, value) for key, (value, _) in BAD.items())
