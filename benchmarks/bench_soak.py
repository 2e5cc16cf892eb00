"""Soak: a real worker fed at a steady rate for minutes; its RSS growth after warm-up. Prints JSON.

    .venv/bin/python benchmarks/bench_soak.py [--minutes 10] [--warmup-seconds 60] [--rate 100] [--nlp fallback]
        [--dedup-window 7d]

RSS of the worker pid is read from /proc every few seconds. growth_pct compares the median of the
last minute with the median of the minute right after warm-up (target < 10%). The dedup index
legitimately grows by every original it holds until its window is full (7 days by default), so
the index's own bytes (from the worker's newswire_dedup_index_bytes gauge) are reported too, and
growth without them. With a short window (`--dedup-window 2m --warmup-seconds 180`) the index
reaches its steady state during warm-up, and growth_pct is then the whole worker's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiokafka import AIOKafkaProducer

from benchmarks.bench_e2e import nlp_env, running_broker
from benchmarks.corpus import stream
from service.adapters.kafka.connection import Connection, bootstrap_servers
from tests.integration.faults_support import pid_of, published, rss_bytes
from tests.integration.harness import Deployment, WorkerProcess

SAMPLE_SECONDS = 5.0
TARGET_GROWTH_PCT = 10.0
_INDEX_BYTES = re.compile(r"^newswire_dedup_index_bytes ([0-9.e+]+)$", re.MULTILINE)


def index_bytes(worker: WorkerProcess) -> float:
    match = _INDEX_BYTES.search(worker.http("/metrics").decode())
    return float(match.group(1)) if match else 0.0


async def feed_and_sample(
    broker_url: str, topic: str, worker: WorkerProcess, rate: float, seconds: float
) -> list[dict[str, float]]:
    """Produce at `rate` articles/s for `seconds`, sampling the worker every SAMPLE_SECONDS."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(broker_url), acks=1, linger_ms=20)
    await producer.start()
    pid, articles, samples = pid_of(worker), stream(seed=31), []
    started = next_sample = time.monotonic()
    sent = 0
    try:
        while (now := time.monotonic()) < started + seconds:
            due = int((now - started) * rate)
            while sent < due:
                key, value = next(articles).record()
                await producer.send(topic, value=value, key=key)
                sent += 1
            if now >= next_sample:
                next_sample += SAMPLE_SECONDS
                samples.append({"t": round(now - started, 1), "rss": float(rss_bytes(pid)), "sent": float(sent),
                                "index_bytes": await asyncio.to_thread(index_bytes, worker)})  # fmt: skip
            await asyncio.sleep(0.01)
        await producer.flush()
    finally:
        await producer.stop()
    samples.append({"t": round(time.monotonic() - started, 1), "rss": float(rss_bytes(pid)), "sent": float(sent),
                    "index_bytes": await asyncio.to_thread(index_bytes, worker)})  # fmt: skip
    return samples


def run(minutes: float, warmup_seconds: float, rate: float, nlp: str, dedup_window: str) -> dict[str, Any]:
    env = {**nlp_env(nlp), "NEWSWIRE_DEDUP_WINDOW": dedup_window}
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp, running_broker("noida", Path(tmp)) as broker:
        deployment = Deployment(Connection(broker.url), Path(tmp), extra_env=env)
        try:
            worker = deployment.start_worker(ready_timeout=180)
            topic = deployment.topic("raw")
            total = warmup_seconds + 60 * minutes
            samples = asyncio.run(feed_and_sample(broker.url, topic, worker, rate, total))
            verdicts = sum(published(worker).get(deployment.topic(k), 0.0) for k in ("enriched", "duplicates", "dlq"))
        finally:
            deployment.stop_all()
    window = max(1, int(60 / SAMPLE_SECONDS))
    after_warmup = [s for s in samples if s["t"] >= warmup_seconds][:window]
    last = samples[-window:]
    start_rss = statistics.median(s["rss"] for s in after_warmup)
    end_rss = statistics.median(s["rss"] for s in last)
    index_growth = statistics.median(s["index_bytes"] for s in last) - statistics.median(
        s["index_bytes"] for s in after_warmup
    )
    growth_pct = 100 * (end_rss - start_rss) / start_rss
    return {
        "benchmark": "soak",
        "nlp": nlp,
        "minutes": minutes,
        "warmup_seconds": warmup_seconds,
        "rate_articles_per_s": rate,
        "dedup_window": dedup_window,
        "articles_sent": int(samples[-1]["sent"]) if samples else 0,
        "verdicts_published": int(verdicts),
        "rss_mb_after_warmup": round(start_rss / 1e6, 1),
        "rss_mb_end": round(end_rss / 1e6, 1),
        "rss_mb_peak": round(max(s["rss"] for s in samples) / 1e6, 1),
        "growth_pct": round(growth_pct, 2),
        "dedup_index_growth_mb": round(index_growth / 1e6, 2),
        "growth_pct_without_index": round(100 * (end_rss - start_rss - index_growth) / start_rss, 2),
        "meets_target": growth_pct < TARGET_GROWTH_PCT,
        "rss_mb_series": [round(s["rss"] / 1e6, 1) for s in samples[:: max(1, len(samples) // 30)]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--warmup-seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=100.0, help="articles per second")
    parser.add_argument("--nlp", default="fallback", choices=["fallback", "stanza"])
    parser.add_argument("--dedup-window", default="7d", help="the worker's NEWSWIRE_DEDUP_WINDOW")
    args = parser.parse_args()
    print(json.dumps(run(args.minutes, args.warmup_seconds, args.rate, args.nlp, args.dedup_window), indent=2))


if __name__ == "__main__":
    main()
