"""Static checks of deploy/ and docker-compose.yml: what Prometheus, promtool, docker-compose and
Grafana would reject, and dashboards/alerts that query metric names the service never exposes.

promtool and docker-compose come from Debian (`apt-get install prometheus docker-compose`, as
.ci/run does). Without them these checks skip locally but fail under CI (env CI set).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import CollectorRegistry

from service.adapters.metrics import Metrics
from service.config import Topics
from tests.metric_names import (
    DEPLOY,
    METRIC_NAME,
    PROMETHEUS_DIR,
    ROOT,
    alert_rules,
    dashboard,
    dashboard_exprs,
    data_panels,
    referenced_names,
)

GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__interval": "1m", "$__range": "1h", "$instance": ".*"}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing under CI: .ci/run must `apt-get install prometheus docker-compose`")
        pytest.skip(f"{name} not installed (apt-get install prometheus docker-compose)")
    return path


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMPOSE_PROJECT_NAME": "newswire-check"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60, env=env, check=False)


def exposed_names() -> set[str]:
    """Sample and family names in the exposition of a fresh Metrics (families without samples too)."""
    text = Metrics(CollectorRegistry(), topics=["articles.enriched"]).exposition().decode()
    return set(METRIC_NAME.findall(text))


# --- promtool ------------------------------------------------------------------------------


def test_promtool_accepts_the_alert_rules() -> None:
    result = run(tool("promtool"), "check", "rules", str(PROMETHEUS_DIR / "alerts.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_accepts_the_prometheus_config_and_its_rule_files() -> None:
    result = run(tool("promtool"), "check", "config", str(PROMETHEUS_DIR / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 rule files found" in result.stdout


def test_alerts_fire_on_the_scenarios_of_their_unit_tests() -> None:
    result = run(tool("promtool"), "test", "rules", "alerts.test.yml", cwd=PROMETHEUS_DIR)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    """promtool has no expression checker: wrap each query in a recording rule and check those."""
    rules = []
    for index, expr in enumerate(dashboard_exprs()):
        for variable, value in GRAFANA_VARIABLES.items():
            expr = expr.replace(variable, value)
        assert "$" not in expr, f"unhandled Grafana variable in {expr!r}"
        rules.append({"record": f"dashboard:query_{index}", "expr": expr})
    rules_file = tmp_path / "dashboard_rules.yml"
    rules_file.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}), encoding="utf-8")
    result = run(tool("promtool"), "check", "rules", str(rules_file))
    assert result.returncode == 0, result.stdout + result.stderr


# --- docker-compose ------------------------------------------------------------------------


def test_docker_compose_file_is_valid() -> None:
    result = run(tool("docker-compose"), "-f", str(ROOT / "docker-compose.yml"), "config", "-q")
    assert result.returncode == 0, result.stdout + result.stderr


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return data


def test_compose_runs_two_workers_of_one_image_after_kafka_and_the_topics() -> None:
    services = compose()["services"]
    workers = [name for name, service in services.items() if service.get("image", "").startswith("newswire")]
    assert len(workers) == 2
    for name in workers:
        service = services[name]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert service["depends_on"]["topic-init"]["condition"] == "service_completed_successfully"
        assert service["environment"]["NEWSWIRE_BROKER"] == "kafka://kafka:9092"
        assert "NEWSWIRE_APP_ID" not in service["environment"]  # same consumer group for both
    init = " ".join(services["topic-init"]["command"])
    for topic in (Topics().raw, *Topics().outputs()):  # every public topic the service uses, with its default name
        assert topic in init
    assert "--partitions 4" in init


def test_prometheus_scrapes_exactly_the_compose_workers_on_the_web_port() -> None:
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text(encoding="utf-8"))
    [job] = [job for job in config["scrape_configs"] if job["job_name"] == "newswire"]
    targets = [target for static in job["static_configs"] for target in static["targets"]]
    services = compose()["services"]
    workers = {name for name, service in services.items() if service.get("image", "").startswith("newswire")}
    assert {target.split(":")[0] for target in targets} == workers
    assert all(target.endswith(":6066") for target in targets)
    # alerts on `up` must name the scrape job that exists
    for rule in alert_rules():
        for job_name in re.findall(r'job="([^"]+)"', rule["expr"]):
            assert job_name in {job["job_name"] for job in config["scrape_configs"]}


def test_dockerfile_runs_the_worker_as_non_root_with_models_baked_in() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert text.startswith("#") and "FROM python:3.11-slim" in text
    assert text.index("download.pytorch.org/whl/cpu") < text.index("pip install .")
    assert "newswire models download ar en" in text
    assert re.search(r"^USER (?!root)\S+", text, re.MULTILINE)
    assert "NEWSWIRE_STANZA_DIR=/models" in text and "NEWSWIRE_NLP=stanza" in text
    assert "EXPOSE 6066" in text and "/healthz" in text
    assert 'CMD ["newswire", "worker"]' in text


# --- metric names --------------------------------------------------------------------------


def test_alert_rules_use_only_metrics_the_service_exposes() -> None:
    exposed = exposed_names()
    used = set().union(*(referenced_names(rule["expr"]) for rule in alert_rules()))
    assert used, "no newswire_ metric in the alert rules"
    assert used <= exposed, f"unknown metrics in alerts.yml: {sorted(used - exposed)}"


def test_dashboard_uses_only_metrics_the_service_exposes() -> None:
    exposed = exposed_names()
    used = set().union(*(referenced_names(expr) for expr in dashboard_exprs()))
    assert used <= exposed, f"unknown metrics in the dashboard: {sorted(used - exposed)}"
    for required in (
        "newswire_articles_published_total",
        "newswire_duplicates_total",
        "newswire_dead_letters_total",
        "newswire_stage_duration_seconds",
        "newswire_consumer_lag_messages",
        "newswire_last_processed_timestamp_seconds",
        "newswire_dedup_index_articles",
        "newswire_entities_extracted_total",
        "newswire_claims_extracted_total",
        "newswire_nlp_info",
        "newswire_enrich_batch_size",
    ):
        assert required in used, f"the dashboard has no panel on {required}"


def test_crude_name_parser_catches_a_misspelt_metric() -> None:
    used = referenced_names("sum(rate(newswire_dead_letter_total[5m])) + newswire_stage_duration_seconds_bucket")
    assert used - exposed_names() == {"newswire_dead_letter_total"}


# --- Grafana -------------------------------------------------------------------------------


def test_every_dashboard_panel_has_a_datasource_and_queries() -> None:
    board = dashboard()
    assert board["uid"] and board["title"]
    panels = data_panels()
    assert len(panels) >= 10
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in panels:
        assert panel.get("datasource", {}).get("uid"), panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["expr"].strip(), panel["title"]
            assert target["refId"]


def test_dashboard_datasource_is_the_provisioned_one() -> None:
    provisioning = DEPLOY / "grafana" / "provisioning"
    datasources = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text(encoding="utf-8"))
    uids = {source["uid"] for source in datasources["datasources"]}
    used = {panel["datasource"]["uid"] for panel in data_panels()}
    used |= {
        variable["datasource"]["uid"] for variable in dashboard()["templating"]["list"] if "datasource" in variable
    }
    assert used <= uids
    providers = yaml.safe_load((provisioning / "dashboards" / "newswire.yml").read_text(encoding="utf-8"))
    mounted = {volume.split(":")[1] for volume in compose()["services"]["grafana"]["volumes"]}
    for provider in providers["providers"]:
        assert provider["options"]["path"] in mounted


def test_dashboard_panels_do_not_overlap() -> None:
    cells: set[tuple[int, int]] = set()
    for panel in dashboard()["panels"]:
        pos = panel["gridPos"]
        assert pos["x"] + pos["w"] <= 24, panel["title"]
        area = {(x, y) for x in range(pos["x"], pos["x"] + pos["w"]) for y in range(pos["y"], pos["y"] + pos["h"])}
        assert not area & cells, f"{panel['title']} overlaps another panel"
        cells |= area
