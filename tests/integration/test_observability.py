"""Operable in production, checked on the real parts: a real worker on the real broker, its live
/metrics, a real Prometheus scraping it with our alert rules loaded, its probes and its log file."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.domain.stories.index import CROSS_THRESHOLD
from service.worker import STATE_REPORT_SECONDS
from tests.integration.harness import Deployment, WorkerProcess
from tests.integration.prometheus_support import PrometheusServer, prometheus_binary, scrape_config
from tests.integration.stories import STORY_AR, STORY_EN
from tests.metric_names import ALERTS, HISTOGRAM_SUFFIXES, alert_names, alert_rules, dashboard_names

pytestmark = pytest.mark.integration

FALLBACK_ALERT = "NewswireFallbackNlpActive"
STORY_ALERT = "NewswireStoryThresholdsDiffer"
JOB = "newswire"  # the job name deploy/prometheus/prometheus.yml and the `up` alert use
ORIGINALS = [
    (b"ar-1", orjson.dumps({"id": "ar-1", "body": STORY_AR + "\n\nالمصدر: الحرة", "lang": "ar", "source": "الحرة"})),
    (b"en-1", orjson.dumps({"id": "en-1", "body": STORY_EN, "source": "wire"})),
]
BAD = (b"bad-json", b"{not json")  # -> an invalid_json dead letter
COPY = (b"ar-1-copy", orjson.dumps({"id": "ar-1-copy", "body": STORY_AR, "lang": "ar", "source": "aggregator"}))
FED = len(ORIGINALS) + 2


def feed_originals_bad_record_and_a_copy(deployment: Deployment) -> None:
    """Feed FED records and wait for all their outputs (the copy only once its original is enriched,
    so which one is "first seen" does not depend on partition scheduling)."""
    deployment.feed([*ORIGINALS, BAD])
    deployment.collect(lambda found: len(found["enriched"]) >= len(ORIGINALS) and len(found["dlq"]) >= 1)
    deployment.feed([COPY])
    deployment.collect(lambda found: len(found["duplicates"]) >= 1)


def scrape(worker: WorkerProcess) -> tuple[dict[str, str], dict[str, list[tuple[dict[str, str], float]]]]:
    """The worker's live /metrics: family name -> type, and sample name -> [(labels, value)]."""
    types: dict[str, str] = {}
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(worker.http("/metrics").decode()):
        types[family.name] = family.type
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return types, samples


def missing_on_live_metrics(worker: WorkerProcess, names: set[str]) -> set[str]:
    """Names (as dashboards/alerts spell them) with no sample on /metrics; a histogram needs all three series."""
    types, samples = scrape(worker)
    missing = set()
    for name in names:
        wanted = [name + suffix for suffix in HISTOGRAM_SUFFIXES] if types.get(name) == "histogram" else [name]
        if not all(samples.get(series) for series in wanted):
            missing.add(name)
    return missing


@pytest.fixture
def fallback_deployment(deployment_factory: Callable[..., Deployment]) -> Deployment:
    deployment: Deployment = deployment_factory(NEWSWIRE_NLP="fallback")
    return deployment


# --- live /metrics ---------------------------------------------------------------------------


def test_every_metric_of_the_dashboard_and_the_alerts_is_on_the_live_metrics(fallback_deployment: Deployment) -> None:
    worker = fallback_deployment.start_worker()
    feed_originals_bad_record_and_a_copy(fallback_deployment)
    wanted = dashboard_names() | alert_names()
    assert {"newswire_stage_duration_seconds", "newswire_consumer_lag_messages"} <= wanted  # parser sanity

    # Lag series appear with the first state report after partitions are assigned (a timer).
    deadline = time.monotonic() + 3 * STATE_REPORT_SECONDS
    while (missing := missing_on_live_metrics(worker, wanted)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not missing, f"queried by the dashboard/alerts but not exposed by a running worker: {sorted(missing)}"

    _, samples = scrape(worker)
    assert samples["newswire_articles_consumed_total"] == [({}, FED)]
    assert sum(value for _, value in samples["newswire_duplicates_total"]) == 1
    assert ({"reason": "invalid_json"}, 1) in samples["newswire_dead_letters_total"]
    stage_counts = {labels["stage"]: value for labels, value in samples["newswire_stage_duration_seconds_count"]}
    assert stage_counts["enrich"] >= 1 and stage_counts["ingest"] == FED


# --- a real Prometheus -------------------------------------------------------------------------


@pytest.fixture
def prometheus_factory(tmp_path: Path) -> Iterator[Callable[[list[str]], PrometheusServer]]:
    """Start Prometheus scraping the given targets every second, with deploy/prometheus/alerts.yml loaded."""
    binary = prometheus_binary()
    servers: list[PrometheusServer] = []

    def start(targets: list[str]) -> PrometheusServer:
        workdir = tmp_path / f"prometheus-{len(servers)}"
        workdir.mkdir()
        server = PrometheusServer(binary, workdir, scrape_config(JOB, targets, [ALERTS]))
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()


def active_alerts(prometheus: PrometheusServer) -> list[dict[str, Any]]:
    return [alert for rule in prometheus.rules() for alert in rule.get("alerts", [])]


def single_value(result: list[dict[str, object]]) -> float | None:
    if len(result) != 1:
        return None
    value = result[0]["value"]
    assert isinstance(value, list)
    return float(value[1])


def test_prometheus_scrapes_the_worker_and_evaluates_the_alert_rules(
    fallback_deployment: Deployment, prometheus_factory: Callable[[list[str]], PrometheusServer]
) -> None:
    worker = fallback_deployment.start_worker()
    target = f"127.0.0.1:{worker.web_port}"
    prometheus = prometheus_factory([target])
    feed_originals_bad_record_and_a_copy(fallback_deployment)

    up = prometheus.wait_for("up == 1", lambda: single_value(prometheus.query(f'up{{job="{JOB}"}} == 1')))
    assert up == 1
    [series] = prometheus.query(f'up{{job="{JOB}"}}')
    assert series["metric"]["instance"] == target

    consumed = f'newswire_articles_consumed_total{{job="{JOB}"}} == {FED}'
    assert prometheus.wait_for("all fed articles counted", lambda: single_value(prometheus.query(consumed))) == FED
    assert single_value(prometheus.query('sum(newswire_dead_letters_total{reason="invalid_json"})')) == 1
    assert single_value(prometheus.query("sum(newswire_duplicates_total)")) == 1

    # Every rule of alerts.yml loaded and evaluated without error against real series.
    expected = {rule["alert"] for rule in alert_rules()}

    def evaluated_rules() -> list[dict[str, object]] | None:
        rules = prometheus.rules()
        done = {rule["name"] for rule in rules if rule["health"] != "unknown"}
        return rules if done == expected else None

    rules = prometheus.wait_for("every alert rule evaluated", evaluated_rules)
    assert {rule["name"]: rule["health"] for rule in rules} == dict.fromkeys(expected, "ok")

    # The worker runs the fallback NLP: its alert is pending (its `for: 5m` keeps it from firing here).
    def fallback_alert() -> dict[str, Any] | None:
        alerts = [alert for alert in active_alerts(prometheus) if alert["labels"]["alertname"] == FALLBACK_ALERT]
        return alerts[0] if alerts else None

    alert = prometheus.wait_for(f"{FALLBACK_ALERT} active", fallback_alert)
    assert alert["state"] in {"pending", "firing"}
    assert alert["labels"] == {"alertname": FALLBACK_ALERT, "instance": target, "severity": "warning"}
    # …and nothing that would page on-call is active for a healthy worker.
    assert [alert for alert in active_alerts(prometheus) if alert["labels"]["severity"] == "critical"] == []


def test_workers_with_different_story_thresholds_raise_their_alert(
    fallback_deployment: Deployment, prometheus_factory: Callable[[list[str]], PrometheusServer]
) -> None:
    """The story stage runs on whichever worker holds its partition, so a worker started with another
    Arabic join would place articles differently after a rebalance: its /metrics says so, and the rule
    names the decision and language that differ (pending: its `for: 15m` keeps it from firing here)."""
    first = fallback_deployment.start_worker("w1")
    fallback_deployment.extra_env["NEWSWIRE_STORY_JOIN"] = "ar:0.3"
    second = fallback_deployment.start_worker("w2")
    _, samples = scrape(second)
    assert ({"decision": "join", "language": "ar"}, 0.3) in samples["newswire_story_threshold"]
    assert ({"decision": "event_link", "language": "all"}, CROSS_THRESHOLD) in samples["newswire_story_threshold"]
    prometheus = prometheus_factory([f"127.0.0.1:{worker.web_port}" for worker in (first, second)])

    def story_alerts() -> list[dict[str, Any]] | None:
        alerts = [alert for alert in active_alerts(prometheus) if alert["labels"]["alertname"] == STORY_ALERT]
        return alerts or None

    alerts = prometheus.wait_for(f"{STORY_ALERT} active", story_alerts, timeout=60)
    assert [(alert["labels"]["decision"], alert["labels"]["language"], alert["state"]) for alert in alerts] == [
        ("join", "ar", "pending")
    ]


# --- probes ------------------------------------------------------------------------------------


READY_GAUGE = re.compile(rb"^newswire_ready (\S+)$", re.MULTILINE)


class GaugeWatchingWorker(WorkerProcess):
    """Waits for readiness on the `newswire_ready` gauge instead of /readyz: answering /readyz sets the
    gauge too, so this way only the worker's own state timer can have set it. Records what it saw."""

    def __init__(self, deployment: Deployment, name: str) -> None:
        super().__init__(deployment, name)
        self.seen: list[tuple[int | None, float | None]] = []  # (/healthz status, newswire_ready)

    def http_status(self, path: str) -> int | None:
        if path != "/readyz":
            return super().http_status(path)
        alive = super().http_status("/healthz")
        gauge = None
        if alive is not None:
            match = READY_GAUGE.search(self.http("/metrics"))
            gauge = float(match.group(1)) if match else None
        self.seen.append((alive, gauge))
        return 200 if gauge == 1 else 503


def test_liveness_from_the_start_and_the_ready_gauge_set_by_the_worker_itself(
    fallback_deployment: Deployment,
) -> None:
    worker = GaugeWatchingWorker(fallback_deployment, "w1")
    fallback_deployment.workers.append(worker)  # stopped by the fixture
    worker.start(ready_timeout=60)

    answered = [(alive, gauge) for alive, gauge in worker.seen if alive is not None]
    assert answered, "the web port never answered"
    assert all(alive == 200 for alive, _ in answered), answered  # alive as soon as the port answers
    assert (200, 0.0) in answered, "the ready gauge should read 0 until the worker reports itself ready"
    assert answered[-1] == (200, 1.0)

    ready = orjson.loads(worker.http("/readyz"))
    assert ready == {"ready": True, "checks": {"models_loaded": True, "consuming": True}}
    assert orjson.loads(worker.http("/healthz")) == {"status": "alive"}


# --- structured logs ---------------------------------------------------------------------------


def is_json_object(line: str) -> bool:
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def json_lines(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [orjson.loads(line) for line in lines if is_json_object(line)]


def test_our_log_lines_are_json_with_context_and_dead_letters_name_their_reason(
    fallback_deployment: Deployment,
) -> None:
    fallback_deployment.extra_env["NEWSWIRE_STORY_JOIN"] = "0.5,ar:0.4"
    worker = fallback_deployment.start_worker()
    feed_originals_bad_record_and_a_copy(fallback_deployment)
    worker.stop()

    ours = [r for r in json_lines(worker.log_path) if str(r.get("logger", "")).startswith("service.")]
    [thresholds] = [r for r in ours if r["msg"] == "story thresholds"]  # the deployment's, not the defaults
    assert (thresholds["join"], thresholds["join_by_language"], thresholds["event_link"]) == (
        0.5, {"ar": 0.4}, CROSS_THRESHOLD)
    assert {"service.worker", "service.adapters.nlp.runner", "service.stream.publisher"} <= {r["logger"] for r in ours}
    for record in ours:
        assert isinstance(record["msg"], str) and record["msg"]
        assert record["level"] in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
        assert str(record["ts"]).endswith("Z") and datetime.fromisoformat(str(record["ts"])).tzinfo is not None
    [dead_letter] = [r for r in ours if r["msg"] == "dead letter"]
    assert dead_letter["level"] == "WARNING" and dead_letter["reason"] == "invalid_json"
    assert "not JSON" in str(dead_letter["detail"])


def test_every_line_the_worker_writes_is_a_json_object(fallback_deployment: Deployment) -> None:
    worker = fallback_deployment.start_worker()
    fallback_deployment.feed([BAD])  # processed only once Faust has finished starting up (table recovery)
    fallback_deployment.collect(lambda found: len(found["dlq"]) >= 1)
    worker.stop()
    lines = [line for line in worker.log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    not_json = [line for line in lines if not is_json_object(line)]
    assert not not_json, not_json[:3]


def test_consumer_lag_drains_to_zero_once_everything_is_processed(fallback_deployment: Deployment) -> None:
    worker = fallback_deployment.start_worker()
    feed_originals_bad_record_and_a_copy(fallback_deployment)
    time.sleep(STATE_REPORT_SECONDS + 1)  # at least one state report after the last output
    _, samples = scrape(worker)
    lagging = {labels["topic"]: value for labels, value in samples["newswire_consumer_lag_messages"] if value}
    assert lagging == {}
