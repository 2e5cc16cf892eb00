"""End to end through a real broker and real `newswire worker` processes; prints JSON.

    .venv/bin/python benchmarks/bench_e2e.py [--articles 3000] [--nlp fallback stanza] [--workers 1|2]
                                             [--paced-rate 100] [--paced-seconds 20]
                                             [--broker noida kafka] [--exactly-once]

--broker names the brokers to run on, one after the other in this one run: the embedded noida-db
(default) and/or Apache Kafka (make kafka fetches it); with both, the summary gives Kafka/noida-db
ratios. Each run also says how much CPU the broker and the workers used while it ran
(broker_cpu_share = broker / (broker + workers)), per process (a worker's NLP process and
multiprocessing's resource tracker apart: nlpN, trackerN), how busy each worker's event loop (its
main thread, which runs every agent) was in cores (event_loop_cpu_cores), the rate the measured CPU
per article would allow with every core of this machine busy with nothing else
(cpu_bound_articles_per_s: a ceiling, not a forecast) and the broker's RSS at its end. --exactly-once
adds a saturating run with NEWSWIRE_PROCESSING_GUARANTEE=exactly_once on Kafka (its records count
when produced, not when their transaction commits).

For each NLP backend: a saturating run (all articles produced at once; throughput = articles /
(last verdict − first input), broker timestamps) and a paced run (--paced-rate articles/s for
--paced-seconds) whose latency is what an operator sees at that load. Latency of an article =
broker timestamp of its verdict record (enriched, duplicate or dead letter) − broker timestamp of
its raw record (both CreateTime on this host's clock). Corpus: benchmarks/corpus.py (~3 KB
Arabic/English, 30% syndicated copies). stanza uses the tiny models in tests/models/stanza.
--workers 2 also runs one worker on the same corpus and reports the throughput ratio.
Targets: ≥ 500 articles/s with the fallback NLP; p99 ≤ 1 s at 100 articles/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiokafka import AIOKafkaProducer

from benchmarks.corpus import CorpusArticle, generate
from service.adapters.kafka.broker_process import BrokerProcess
from service.adapters.kafka.brokers import BROKERS
from service.adapters.kafka.connection import Connection, bootstrap_servers
from service.adapters.kafka.io import consume
from tests.integration.faults_support import children, pid_of, published, rss_bytes
from tests.integration.harness import Deployment, WorkerProcess

ROOT = Path(__file__).resolve().parents[1]
STANZA_DIR = ROOT / "tests" / "models" / "stanza"
VERDICTS = ("enriched", "duplicates", "dlq")
TARGET_ARTICLES_PER_S = 500.0
TARGET_P99_SECONDS = 1.0


@contextmanager
def running_broker(kind: str, workdir: Path) -> Iterator[BrokerProcess]:
    with BROKERS[kind].on_free_port(workdir / f"broker-{kind}") as broker:
        yield broker


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User + system CPU time of a process (or one of its threads) so far, from /proc (Linux)."""
    path = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    fields = Path(path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def loop_cpu_seconds(workers: list[int]) -> dict[int, float]:
    """Of each worker's main thread, where its event loop runs every agent (its thread id is its pid)."""
    return {pid: cpu_seconds(pid, pid) for pid in workers}


def cpu_use(
    pids: dict[str, list[int]], before: dict[int, float], loops_before: dict[int, float], seconds: float,
    articles: int,
) -> dict[str, Any]:  # fmt: skip
    """Cores each group of processes used since `before`, the broker's share of their sum, the
    CPU milliseconds per article of each process (broker included), how busy each worker's event
    loop was, and the rate that CPU per article allows were every core of this machine busy with it."""
    used = {pid: cpu_seconds(pid) - before[pid] for group in pids.values() for pid in group}
    cores = {name: sum(used[p] for p in group) / seconds for name, group in pids.items()}
    workers = sum(cores[name] for name in cores if name != "broker")  # with their own processes
    per_article = {f"{name}{n}": round(1000 * used[pid] / articles, 2)
                   for name, group in pids.items() for n, pid in enumerate(group)}  # fmt: skip
    loops = {f"worker{n}": round((seconds_now - loops_before[pid]) / seconds, 2)
             for n, (pid, seconds_now) in enumerate(loop_cpu_seconds(list(loops_before)).items())}  # fmt: skip
    all_ms = 1000 * sum(used.values()) / articles
    return {"broker_cpu_cores": round(cores["broker"], 2), "workers_cpu_cores": round(workers, 2),
            "broker_cpu_share": round(cores["broker"] / max(cores["broker"] + workers, 1e-9), 2),
            "cpu_ms_per_article": {**per_article, "all": round(all_ms, 2)},
            "event_loop_cpu_cores": loops,
            "cpu_bound_articles_per_s": round(1000 * (os.cpu_count() or 1) / max(all_ms, 1e-9), 1)}  # fmt: skip


_STAGE_SECONDS = re.compile(r'^newswire_stage_duration_seconds_(sum|count)\{stage="(\w+)"\} ([0-9.e+-]+)$', re.M)


def global_stage_ms(workers: list[WorkerProcess]) -> dict[str, float]:
    """Mean time per article in the global stages (dedup, stories), from the workers' own histograms."""
    totals: dict[tuple[str, str], float] = {}
    for worker in workers:
        for field, stage, value in _STAGE_SECONDS.findall(worker.http("/metrics").decode()):
            totals[field, stage] = totals.get((field, stage), 0.0) + float(value)
    return {stage: round(1000 * totals["sum", stage] / totals["count", stage], 3)
            for stage in ("dedup", "stories") if totals.get(("count", stage))}  # fmt: skip


def nlp_env(nlp: str) -> dict[str, str]:
    if nlp == "stanza":
        return {"NEWSWIRE_NLP": "stanza", "NEWSWIRE_STANZA_DIR": str(STANZA_DIR)}
    return {"NEWSWIRE_NLP": nlp}


async def produce_paced(broker_url: str, topic: str, articles: list[CorpusArticle], rate: float | None) -> float:
    """Produce keyed records, at `rate` per second if given; returns the seconds it took."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(broker_url), acks="all", linger_ms=5)
    await producer.start()
    started = time.monotonic()
    try:
        pending = []
        for number, article in enumerate(articles):
            if rate is not None:
                await asyncio.sleep(max(0.0, started + number / rate - time.monotonic()))
            key, value = article.record()
            pending.append(await producer.send(topic, value=value, key=key))
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.monotonic() - started


async def timestamps(connection: Connection, kind_of: dict[str, str]) -> dict[str, dict[str, int]]:
    """kind (raw, staged-dedup, enriched…) → input id → broker timestamp (ms) of its first record there.

    kind_of maps each topic to read to its kind.
    """
    found: dict[str, dict[str, int]] = {kind: {} for kind in kind_of.values()}
    async for message in consume(connection, list(kind_of), from_beginning=True, idle_seconds=1.0):
        kind = kind_of[message.topic]
        if kind in ("raw", "dlq") or kind.startswith("staged-"):  # keyed by the input's id
            article_id = (message.key or b"").decode()
        else:
            article_id = json.loads(message.value or b"{}")["id"]
        found[kind].setdefault(article_id, message.timestamp)
    return found


def wait_for_verdicts(workers: list[WorkerProcess], deployment: Deployment, count: int, timeout: float) -> None:
    topics = [deployment.topic(kind) for kind in VERDICTS]
    deadline = time.monotonic() + timeout
    while sum(published(w).get(t, 0.0) for w in workers for t in topics) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"fewer than {count} verdicts within {timeout}s")
        # Not faster: rendering /metrics costs the worker's event loop (~2% at 5 polls/s), and the
        # figures come from broker timestamps, not from when this loop notices.
        time.sleep(1.0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_once(
    broker: BrokerProcess, workdir: Path, articles: list[CorpusArticle], nlp: str, workers: int, rate: float | None,
    guarantee: str = "at_least_once",
) -> dict[str, Any]:  # fmt: skip
    env = {**nlp_env(nlp), "NEWSWIRE_PROCESSING_GUARANTEE": guarantee}
    deployment = Deployment(Connection(broker.url), workdir, extra_env=env)
    about = {"broker": broker.kind, "nlp": nlp, "workers": workers, "guarantee": guarantee, "articles": len(articles),
             "paced_rate": rate}  # fmt: skip
    try:
        started = [deployment.start_worker(f"w{n}", ready_timeout=180) for n in range(workers)]
        pids = {"broker": [broker.pid or 0], "worker": [pid_of(w) for w in started]}
        # Each worker's own processes: its NLP process (the fallback runs there) and multiprocessing's tracker.
        pids["nlp"] = [pid for w in pids["worker"] for pid, line in children(w) if "spawn_main" in line]
        pids["tracker"] = [pid for w in pids["worker"] for pid, line in children(w) if "resource_tracker" in line]
        cpu_before = {pid: cpu_seconds(pid) for group in pids.values() for pid in group}
        loops_before = loop_cpu_seconds(pids["worker"])
        clock = time.monotonic()
        produce_seconds = asyncio.run(produce_paced(broker.url, deployment.topic("raw"), articles, rate))
        try:
            wait_for_verdicts(started, deployment, len(articles), timeout=60 + 2 * len(articles) / 50)
        except TimeoutError as exc:
            return {**about, "error": str(exc)}
        cpu = cpu_use(pids, cpu_before, loops_before, time.monotonic() - clock, len(articles))
        cpu["broker_rss_mb"] = round(rss_bytes(pids["broker"][0]) / 2**20)
        cpu["global_stage_ms_per_article"] = global_stage_ms(started)
        kind_of = {deployment.topic(kind): kind for kind in ("raw", *VERDICTS)}
        kind_of |= {deployment.internal_topic(s): f"staged-{s}" for s in ("dedup", "enrich", "stories", "verdicts")}
        seen = asyncio.run(timestamps(deployment.connection, kind_of))
    finally:
        deployment.stop_all()
    raw = seen.pop("raw")
    verdict_at: dict[str, int] = {}
    for kind in VERDICTS:
        for article_id, stamp in seen[kind].items():
            verdict_at[article_id] = min(stamp, verdict_at.get(article_id, stamp))
    latencies = [(verdict_at[i] - raw[i]) / 1000 for i in raw if i in verdict_at]
    # Each hop of an original: raw → its prepared article on the work topic (ingest) → its dedup
    # request (the enrich side read it) → its story request (dedup verdict back, NLP done) → enriched.
    hops = [raw, seen["staged-enrich"], seen["staged-dedup"], seen["staged-stories"], seen["enriched"]]
    names = ("ingest", "read_and_ask_dedup", "dedup_and_nlp", "stories_and_publish")
    stage_p50 = {
        stage: round(statistics.median(after[i] - before[i] for i in after if i in before) / 1000, 3)
        for stage, before, after in zip(names, hops, hops[1:], strict=False)
        if any(i in before for i in after)
    }
    span = (max(verdict_at.values()) - min(raw.values())) / 1000
    return {
        **about,
        **cpu,
        "produce_seconds": round(produce_seconds, 2),
        "verdicts": {kind: len(seen[kind]) for kind in VERDICTS},
        "missing_verdicts": len(set(raw) - set(verdict_at)),
        "articles_per_s": round(len(articles) / span, 1),
        "latency_p50_s": round(statistics.median(latencies), 3),
        "latency_p99_s": round(percentile(latencies, 0.99), 3),
        "latency_max_s": round(max(latencies), 3),
        "stage_latency_p50_s": stage_p50,
    }


def bench_on(kind: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Every run of this invocation on one broker, and its headline figures."""
    runs: list[dict[str, Any]] = []
    saturating = generate(args.articles, seed=args.seed)
    paced = generate(int(args.paced_rate * args.paced_seconds), seed=args.seed + 1)
    with running_broker(kind, workdir) as broker:
        for nlp in args.nlp:
            runs.append(run_once(broker, workdir, saturating, nlp, 1, None))
            runs.append(run_once(broker, workdir, paced, nlp, 1, args.paced_rate))
        if args.workers == 2:
            runs.append(run_once(broker, workdir, saturating, args.nlp[0], 2, None))
        if args.exactly_once and kind == "kafka":
            runs.append(run_once(broker, workdir, saturating, args.nlp[0], 1, None, "exactly_once"))
    summary: dict[str, Any] = {"broker": kind, "runs": runs}
    fallback = [r for r in runs if r["nlp"] == "fallback" and r["workers"] == 1 and r["guarantee"] == "at_least_once"]
    if len(fallback) == 2 and not any("error" in r for r in fallback):
        summary["fallback_articles_per_s"] = fallback[0]["articles_per_s"]
        summary["meets_throughput_target"] = fallback[0]["articles_per_s"] >= TARGET_ARTICLES_PER_S
        summary["p99_at_paced_rate_s"] = fallback[1]["latency_p99_s"]
        summary["meets_latency_target"] = fallback[1]["latency_p99_s"] <= TARGET_P99_SECONDS
    variants = {"two_vs_one_worker_throughput": lambda r: r["workers"] == 2,
                "exactly_once_vs_at_least_once_throughput": lambda r: r["guarantee"] == "exactly_once"}  # fmt: skip
    for name, selects in variants.items():
        other = [r for r in runs[1:] if selects(r) and "error" not in r]
        if other and "error" not in runs[0]:
            summary[name] = round(other[0]["articles_per_s"] / runs[0]["articles_per_s"], 2)
    return summary


def ratios(first: dict[str, Any], second: dict[str, Any]) -> dict[str, float]:
    """second / first for each run both have (same NLP, workers, pace, guarantee)."""
    def key(run: dict[str, Any]) -> str:
        return f"{run['nlp']}-{run['workers']}w-{'paced' if run['paced_rate'] else 'saturating'}-{run['guarantee']}"

    base = {key(r): r for r in first["runs"] if "error" not in r}
    found = {}
    for run in second["runs"]:
        other = base.get(key(run))
        if other is not None and "error" not in run:
            found[f"{key(run)}_articles_per_s"] = round(run["articles_per_s"] / other["articles_per_s"], 2)
            found[f"{key(run)}_latency_p99"] = round(run["latency_p99_s"] / max(other["latency_p99_s"], 1e-3), 2)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--nlp", nargs="+", default=["fallback", "stanza"], choices=["fallback", "stanza"])
    parser.add_argument("--workers", type=int, default=1, choices=[1, 2])
    parser.add_argument("--paced-rate", type=float, default=100.0)
    parser.add_argument("--paced-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--broker", nargs="+", default=["noida"], choices=sorted(BROKERS))
    parser.add_argument("--exactly-once", action="store_true", help="also a saturating exactly_once run on Kafka")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        per_broker = [bench_on(kind, args, Path(tmp)) for kind in args.broker]
    summary: dict[str, Any] = {"benchmark": "e2e", "brokers": per_broker}
    if len(per_broker) == 2:
        summary["second_vs_first_broker"] = ratios(*per_broker)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
