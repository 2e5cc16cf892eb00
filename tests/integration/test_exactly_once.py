"""NEWSWIRE_PROCESSING_GUARANTEE=exactly_once on Apache Kafka: Faust's transactions across a kill -9.

At-least-once may repeat a verdict after a crash (same key, same id); exactly-once must not: a
consumer reading committed records (isolation read_committed) sees every output record once.
It does not hold with faust-streaming 0.15.3 (service/stream/transactions.py has the story): the
test stays, xfail, to show it and to notice when it starts to hold.
"""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Callable

import pytest

from benchmarks.corpus import generate, records
from tests.integration.faults_support import VERDICT_KINDS, input_id, verdict_problems, wait_for_published
from tests.integration.harness import Deployment, Record

pytestmark = [pytest.mark.integration, pytest.mark.kafka_only]
ARTICLES = 2000
REPEATS = (
    "faust-streaming 0.15.3: a worker's transaction also holds the outputs of records still in flight, whose "
    "offsets are not committed with it; after kill -9 those records are processed again (667 repeated output "
    "records, mostly claims, in a run of 2,000 articles, before the enrich side held articles for the global "
    "stages' verdicts). Since it does, the restarted worker also leaves ~100 of 2,000 inputs unsettled within "
    "the test's time (their questions or answers sit in transactions that a read_committed stage does not see "
    "yet): a TimeoutError. Without a crash, exactly_once runs through (300 of 300 in ~10 s)."
)


def repeated(found: dict[str, list[Record]]) -> dict[str, int]:
    """'kind:input id' → how often a record about it appears, for those that appear more than once."""
    seen = Counter(f"{kind}:{input_id(kind, r)}" for kind in VERDICT_KINDS for r in found.get(kind, []))
    claims = Counter(f"claims:{r.value['article_id']}:{r.value['start']}" for r in found.get("claims", []))
    return {key: n for key, n in (seen + claims).items() if n > 1}


@pytest.mark.slow
@pytest.mark.xfail(strict=False, raises=(AssertionError, TimeoutError), reason=REPEATS)  # timing decides
def test_exactly_once_kill_9_and_restart_repeats_no_output_record(
    deployment_factory: Callable[..., Deployment],
) -> None:
    deployment = deployment_factory(NEWSWIRE_PROCESSING_GUARANTEE="exactly_once")
    deployment.read_committed = True
    worker = deployment.start_worker()
    articles = generate(ARTICLES, seed=41)
    ids = {a.id for a in articles}
    deployment.feed(records(articles))
    wait_for_published([worker], [deployment.topic(k) for k in VERDICT_KINDS], ARTICLES // 4, timeout=120)
    worker.stop(signal.SIGKILL)

    restarted = deployment.start_worker("w1")
    wait_for_published([restarted], [deployment.topic(k) for k in VERDICT_KINDS], 1, timeout=75)
    covered = lambda found: {input_id(k, r) for k in VERDICT_KINDS for r in found.get(k, [])} >= ids  # noqa: E731
    deployment.collect(covered, timeout=150)
    found = deployment.collect(covered, timeout=60)  # once more, for records committed late

    assert verdict_problems(found, ids) == []
    assert repeated(found) == {}
    assert sum(len(found[k]) for k in VERDICT_KINDS) == ARTICLES
