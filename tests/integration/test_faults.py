"""Faults on real processes: worker kill -9, broker restart, failing enrichment, slow NLP, worker handoff.

The invariant checked after every fault is the contract's: each input gets exactly one verdict
KIND (enriched, duplicate or dead letter); a replay may repeat a record only with the same key and
the same verdict. The corpus is benchmarks/corpus.py (3 KB articles, 30% syndicated copies).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

from benchmarks.corpus import CorpusArticle, generate, records
from service.adapters.kafka.broker_process import BrokerProcess
from service.adapters.kafka.connection import Connection
from service.domain.claims.extract import extract_claims
from service.stream.app import STATE_TABLE_ROCKSDB
from tests.integration.faults_support import (
    alive,
    children,
    consumed,
    fault_plugin_env,
    group_report,
    index_bytes,
    last_stage_of,
    offsets_enrich_received,
    pid_of,
    published,
    rss_bytes,
    verdict_problems,
    verdicts_by_id,
    wait_for_published,
)
from tests.integration.harness import Deployment, Record, WorkerProcess

pytestmark = pytest.mark.integration

# Failures of the embedded broker (noida-db 0.2.3) found by these tests (evidence in issue 7's note).
NOIDA_GROUP_BUG = (
    "noida-db: a member that stops for good is never expired from the group (static membership, which "
    "lets a restarted worker take its place back, keeps its partitions; with dynamic membership the "
    "rejoin after IllegalGeneration stalls 60 s without a leader), so the survivor never gets them"
)
NOIDA_SIGTERM_LOSS = (
    "noida-db loses acknowledged writes on SIGTERM under load; the worker's changelog offset is then "
    "ahead of the topic and Faust crashes with ConsistencyError"
)
BACKLOG_IN_MEMORY = (
    "RSS jumps in the first seconds of a burst while ingest and dedup race ahead of a slow enrich stage "
    "(+92 MB for 2,000 16 KB articles) and then stays flat while the backlog drains. noida-db ignores "
    "fetch size limits (one response carried 1,000 16 KB records with max_partition_fetch_bytes 256 KB and "
    "fetch_max_bytes 1 MB), so a backlog arrives in responses of many MB, each kept until the consumer takes its "
    "last record; on Kafka the limits hold and the test passes. Not shown bounded on noida-db"
)
# What the configuration lets a worker hold whatever the backlog (service/stream/app.py): up to
# stream_buffer_maxsize (256) records in each of its three streams (16 KB raw, ~35 KB staged) and one
# 256 KB fetch per assigned partition, ~25 MB; 32 MiB leaves the allocator some slack. On top, the
# memtables of the two state tables (dedup, stories), each up to max_write_buffer_number x
# write_buffer_size before RocksDB flushes them: they grow with what was decided, not with what
# waits (measured: +24 MB in the first seconds of the burst, then a creep to +31 MB as the dedup
# table filled). The slow-NLP test's backlog is 64 MB, so memory that followed it could not pass.
# The indexes are not counted either: they hold what the worker is meant to keep (an entry per
# original of the window; +3 MB in this test) and report their own size.
MEMTABLES_BYTES = 2 * STATE_TABLE_ROCKSDB["max_write_buffer_number"] * STATE_TABLE_ROCKSDB["write_buffer_size"]
RSS_BOUND_BYTES = 32 * 2**20 + MEMTABLES_BYTES
INDEX_REPORT_SECONDS = 6.0  # the worker refreshes its index gauges every 5 s (worker.STATE_REPORT_SECONDS)
# The kill test once lost records of the slow stage in one run in two to four: Faust 0.15.3 delivered
# batches fetched before recovery's seek after it (service/stream/faust_consumer.py has the story and the fix).
# A failure prints where each missing input stopped; these logs let it say whether the agent received it.
KILL_TEST_LOGGING = {"DEVLOG": "1", "NEWSWIRE_LOG_LEVEL": "INFO,service.stream.agents=DEBUG"}
KILL_ARTICLES = 5000
# An input that broke claim extraction (IndexError in claims_en, now fixed and fuzzed in
# tests/unit/domain/test_text_fuzz.py); the test below checks whatever the current code does with it.
BREAKS_CLAIMS = {"id": "breaks-claims", "body": ", ,told", "lang": "en"}


def verdict_topics(deployment: Deployment) -> list[str]:
    return [deployment.topic(kind) for kind in ("enriched", "duplicates", "dlq")]


def ids_of(articles: list[CorpusArticle]) -> set[str]:
    return {a.id for a in articles}


def collect_all(deployment: Deployment, ids: set[str], timeout: float) -> dict[str, list[Record]]:
    """Every output until each id has a verdict, then one more read to catch late replays."""
    deployment.collect(lambda f: _seen(f) >= ids, timeout=timeout)
    return deployment.collect(lambda f: _seen(f) >= ids, timeout=timeout)


def _seen(found: dict[str, list[Record]]) -> set[str]:
    return set(verdicts_by_id(found))


def near_copy(article: CorpusArticle, new_id: str) -> bytes:
    """Another site's copy of `article`: its opening paragraphs inside that site's boilerplate."""
    paragraphs = article.value["body"].split("\n\n")
    body = ["By Staff Reporter", "Share this article", *paragraphs[: max(2, len(paragraphs) * 2 // 3)],
            "Read more:\n• Another story", "Subscribe to our daily newsletter"]  # fmt: skip
    return orjson.dumps(dict(article.value, id=new_id, source="late.example", body="\n\n".join(body)))


@pytest.mark.slow
@pytest.mark.timeout(600)  # its own waits bound it; a stall shows in the first wait's report
def test_kill_9_mid_stream_then_restart_loses_nothing_and_keeps_the_dedup_index(
    deployment_factory: Callable[..., Deployment],
) -> None:
    deployment = deployment_factory(**KILL_TEST_LOGGING)
    worker = deployment.start_worker()
    articles = generate(KILL_ARTICLES, seed=21)
    deployment.feed(records(articles))
    # Here a quarter is out in 22-25 s; one CI run was still short of it after 120 s (cause unknown).
    wait_for_published([worker], verdict_topics(deployment), KILL_ARTICLES // 4, timeout=180)
    helpers = [pid for pid, _ in children(pid_of(worker))]  # its NLP process among them
    worker.stop(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert helpers and not any(alive(pid) for pid in helpers), "the worker's processes outlived its kill -9"

    before_kill = deployment.collect(lambda f: len(f["enriched"]) > 0, timeout=30)
    survivor = next(a for a in articles if a.id == before_kill["enriched"][0].value["id"])
    restarted = deployment.start_worker("w1")  # same name: same data dir, as a supervisor would restart it
    # Fail fast (not after the whole collect timeout) when the restarted worker never gets partitions.
    wait_for_published([restarted], verdict_topics(deployment), 1, timeout=75)
    try:
        found = collect_all(deployment, ids_of(articles), timeout=150)
    except TimeoutError as timeout:
        raise AssertionError(where_inputs_stopped(deployment, restarted, ids_of(articles))) from timeout
    assert verdict_problems(found, ids_of(articles)) == []
    assert sum(len(found[k]) for k in ("enriched", "duplicates", "dlq")) >= KILL_ARTICLES

    # The index kept what was decided before the kill: a late copy of a pre-kill original is a duplicate.
    deployment.feed([(b"late-copy", near_copy(survivor, "late-copy"))])
    late = deployment.collect(lambda f: any(r.value["id"] == "late-copy" for r in f["duplicates"]), timeout=60)
    duplicate = next(r.value for r in late["duplicates"] if r.value["id"] == "late-copy")
    assert duplicate["duplicate_of"] == survivor.id
    assert restarted.http_status("/readyz") == 200


def mid_stream(deployment: Deployment, worker: WorkerProcess, articles: list[CorpusArticle]) -> list[CorpusArticle]:
    """Feed `articles` and return once `worker` has published 300 verdicts: hundreds are held for theirs."""
    deployment.feed(records(articles))
    wait_for_published([worker], verdict_topics(deployment), 300, timeout=120)
    return articles


def where_inputs_stopped(deployment: Deployment, restarted: WorkerProcess, ids: set[str]) -> str:
    missing = ids - _seen(deployment.collect(lambda f: True, timeout=30))
    places = last_stage_of(deployment, missing)
    received = offsets_enrich_received(restarted)
    never_delivered = {i for i, (stage, p, o) in places.items() if stage == "staged-enrich" and (p, o) not in received}
    return (
        f"{len(missing)} inputs without verdict, {len(never_delivered)} of them staged-enrich records the restarted "
        f"agent never received; group {group_report(deployment)}; e.g. {sorted(places.items())[:5]}"
    )


@pytest.fixture
def own_broker(broker_class: type[BrokerProcess], tmp_path: Path) -> Iterator[BrokerProcess]:
    """A broker of the session's kind that this test may stop and restart (the session broker is shared)."""
    with broker_class.on_free_port(tmp_path / "broker") as broker:
        yield broker


@pytest.mark.slow
@pytest.mark.xfail_on_noida(
    raises=(AssertionError, TimeoutError), reason=NOIDA_SIGTERM_LOSS
)  # depends on writes in flight at SIGTERM
def test_broker_restart_mid_stream_the_worker_reconnects_and_nothing_is_lost(
    own_broker: BrokerProcess, tmp_path: Path
) -> None:
    deployment = Deployment(Connection(own_broker.url), tmp_path / "deployment")
    deployment.workdir.mkdir()
    try:
        worker = deployment.start_worker()
        articles = generate(1200, seed=22)
        first, second = articles[:800], articles[800:]
        deployment.feed(records(first))
        wait_for_published([worker], verdict_topics(deployment), 200, timeout=120)
        own_broker.stop()  # SIGTERM: the broker saves its data
        time.sleep(2.0)  # the worker sees the broker gone (connection errors, retries)
        own_broker.start()
        deployment.feed(records(second))
        time.sleep(5.0)
        assert worker.process is not None and worker.process.poll() is None, worker.log_tail(5)
        found = collect_all(deployment, ids_of(articles), timeout=120)
        assert verdict_problems(found, ids_of(articles)) == []
        assert worker.process is not None and worker.process.poll() is None  # reconnected, not restarted
    finally:
        deployment.stop_all()


def test_an_input_that_breaks_enrichment_is_dead_lettered_and_the_stream_goes_on(
    deployment_factory: Callable[..., Deployment], tmp_path: Path
) -> None:
    marker, deadly = "FAULT-INJECTED-NLP", "FAULT-KILLS-NLP"
    deployment = deployment_factory(**fault_plugin_env(tmp_path / "plugin", fail_marker=marker, exit_marker=deadly))
    worker = deployment.start_worker()
    *articles, spare, other = generate(62, seed=23, min_copy_gap=62)  # originals only: every one must be enriched
    # Inside the story's last sentence: a line of its own after the story is page chrome the cleaner drops.
    poisoned = dict(spare.value, id="nlp-fault", body=spare.value["body"] + f" {marker} closes it.")
    killer = dict(other.value, id="nlp-death", body=other.value["body"] + f" {deadly} closes it.")
    fed = [*records(articles[:20]), (b"nlp-fault", orjson.dumps(poisoned)), *records(articles[20:40]),
           (b"nlp-death", orjson.dumps(killer)), (b"breaks-claims", orjson.dumps(BREAKS_CLAIMS)),
           *records(articles[40:])]  # fmt: skip
    deployment.feed(fed)
    ids = {*ids_of(articles), "nlp-fault", "nlp-death", "breaks-claims"}
    found = collect_all(deployment, ids, timeout=90)
    assert verdict_problems(found, ids) == []
    by_id = verdicts_by_id(found)

    # The batch holding the poisoned article was retried one by one: only the culprit failed.
    assert {r.value["reason"] for r in by_id["nlp-fault"]["dlq"]} == {"processing_error"}
    assert "injected NLP fault" in by_id["nlp-fault"]["dlq"][0].value["detail"]
    # The one that killed the NLP process too: a new process took the rest of its batch, one by one.
    assert {r.value["reason"] for r in by_id["nlp-death"]["dlq"]} == {"processing_error"}
    assert "NLP process died" in by_id["nlp-death"]["dlq"][0].value["detail"]
    assert all(set(by_id[a.id]) == {"enriched"} for a in articles)
    assert worker.process is not None and worker.process.poll() is None

    # The real input follows what claim extraction does with it in this very code base.
    try:
        extract_claims(BREAKS_CLAIMS["body"], "en", [])
        expected = "enriched"
    except Exception:
        expected = "dlq"
    assert set(by_id["breaks-claims"]) == {expected}
    if expected == "dlq":
        dead = by_id["breaks-claims"]["dlq"][0].value
        assert dead["reason"] == "processing_error" and dead["detail"].startswith("enrich:")


@pytest.mark.slow
@pytest.mark.xfail_on_noida(raises=AssertionError, reason=BACKLOG_IN_MEMORY)  # timing-dependent peak
def test_a_slow_nlp_stage_keeps_worker_memory_bounded_while_a_backlog_queues(
    deployment_factory: Callable[..., Deployment], tmp_path: Path
) -> None:
    backlog = 4000
    deployment = deployment_factory(**fault_plugin_env(tmp_path / "plugin", delay_seconds=0.03))
    worker = deployment.start_worker()
    pid = pid_of(worker)
    warmup = generate(100, seed=24, target_bytes=16000)
    deployment.feed(records(warmup))
    wait_for_published([worker], verdict_topics(deployment), len(warmup), timeout=90)
    time.sleep(INDEX_REPORT_SECONDS)
    baseline, index_baseline = rss_bytes(pid), index_bytes(worker)

    articles = generate(backlog, seed=25, target_bytes=16000)  # 16 KB each: ~64 MB waiting
    backlog_bytes = sum(len(value) for _, value in records(articles))
    deployment.feed(records(articles))
    samples = [rss_bytes(pid)]
    # Ingest reads ~90 of these articles/s here while enrich takes ~20/s: Faust's one fetcher also
    # feeds the enrich stream, whose full buffer holds up delivery now and then.
    deadline = time.monotonic() + 90
    while consumed(worker) < len(warmup) + backlog and time.monotonic() < deadline:
        samples.append(rss_bytes(pid))
        time.sleep(0.5)
    for _ in range(4):  # and a little after
        time.sleep(0.5)
        samples.append(rss_bytes(pid))
    enriched = published(worker).get(deployment.topic("enriched"), 0.0)
    assert enriched < len(warmup) + backlog / 2, "the stage was not slow enough to build a backlog"
    # Bounded, not merely slow to grow: the worker read the whole backlog (ingest and dedup run ahead
    # of enrich) while its memory stayed within what its buffers allow.
    assert consumed(worker) >= len(warmup) + backlog, "the worker did not read the whole backlog in time"
    time.sleep(INDEX_REPORT_SECONDS)
    index_growth = index_bytes(worker) - index_baseline
    growth = max(samples) - baseline - index_growth
    assert growth < RSS_BOUND_BYTES, (
        f"RSS grew by {growth / 1e6:.0f} MB beside the indexes' {index_growth / 1e6:.0f} MB "
        f"for a {backlog_bytes / 1e6:.0f} MB backlog"
    )


@pytest.mark.slow
@pytest.mark.xfail_on_noida(raises=TimeoutError, reason=NOIDA_GROUP_BUG)  # seen on every run here, but timing-dependent
def test_two_workers_share_the_work_and_a_stopped_one_hands_over_without_loss(
    deployment_factory: Callable[..., Deployment],
) -> None:
    deployment = deployment_factory()
    first = deployment.start_worker("w1")
    second = deployment.start_worker("w2")
    articles = generate(2000, seed=26)
    deployment.feed(records(articles))
    wait_for_published([first, second], verdict_topics(deployment), 400, timeout=75)
    both_worked = all(sum(published(w).values()) > 0 for w in (first, second))
    second.stop(signal.SIGTERM)

    found = collect_all(deployment, ids_of(articles), timeout=150)
    assert verdict_problems(found, ids_of(articles)) == []
    assert both_worked, "the second worker never got partitions"
    assert first.http_status("/readyz") == 200


@pytest.mark.slow
def test_a_worker_that_joins_mid_stream_takes_its_share_and_nothing_is_lost(
    deployment_factory: Callable[..., Deployment],
) -> None:
    # Scaling out under load: the rebalance revokes the first worker's partitions while it holds
    # hundreds of articles for verdicts; waiting for those stalled the rebalance for good on Kafka.
    deployment = deployment_factory()
    articles = mid_stream(deployment, deployment.start_worker("w1"), generate(2000, seed=28))
    second = deployment.start_worker("w2")
    found = collect_all(deployment, ids_of(articles), timeout=150)
    assert verdict_problems(found, ids_of(articles)) == []
    assert sum(published(second).values()) > 0, "the second worker never got partitions"


@pytest.mark.slow
def test_a_worker_stopped_mid_stream_stops_cleanly_and_its_restart_loses_nothing(
    deployment_factory: Callable[..., Deployment],
) -> None:
    # Mid-stream the enrich side holds hundreds of articles un-acked for their verdicts, which can
    # no longer come once Faust has stopped the fetcher: held, they kept the stop waiting until the
    # shutdown timeout (10 s) killed the worker with its writes unflushed and its group not left.
    deployment = deployment_factory()
    worker = deployment.start_worker("w1")
    articles = mid_stream(deployment, worker, generate(1500, seed=27))
    started = time.monotonic()
    code = worker.stop(signal.SIGTERM)
    took = time.monotonic() - started
    log = worker.log_path.read_text(errors="replace")
    assert code == 0 and "shutdown did not finish" not in log, f"exit {code} after {took:.1f} s:\n{log[-3000:]}"

    deployment.start_worker("w1")  # same name: same data dir, as a supervisor would restart it
    found = collect_all(deployment, ids_of(articles), timeout=150)
    assert verdict_problems(found, ids_of(articles)) == []
