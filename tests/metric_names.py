"""Which newswire metrics the Grafana dashboard and the alert rules query (shared by the static
checks in tests/unit/test_deploy_files.py and the live checks in tests/integration/).

A deliberately crude parser: every `newswire_…` token in a PromQL expression, with a histogram's
`_bucket`/`_sum`/`_count` suffix folded into the histogram's own name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
PROMETHEUS_DIR = DEPLOY / "prometheus"
ALERTS = PROMETHEUS_DIR / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "newswire.json"
METRIC_NAME = re.compile(r"\bnewswire_[a-zA-Z0-9_]+")
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def referenced_names(text: str) -> set[str]:
    names = set()
    for name in METRIC_NAME.findall(text):
        for suffix in HISTOGRAM_SUFFIXES:
            if name.endswith(suffix):
                name = name.removesuffix(suffix)
                break
        names.add(name)
    return names


def dashboard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return data


def data_panels() -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = []
    for panel in dashboard()["panels"]:
        panels.extend(panel.get("panels", []))
        if panel["type"] != "row":
            panels.append(panel)
    return panels


def dashboard_exprs() -> list[str]:
    return [target["expr"] for panel in data_panels() for target in panel["targets"]]


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboard_names() -> set[str]:
    return set().union(*(referenced_names(expr) for expr in dashboard_exprs()))


def alert_names() -> set[str]:
    return set().union(*(referenced_names(rule["expr"]) for rule in alert_rules()))
