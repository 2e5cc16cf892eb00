"""The `newswire` command as a user runs it: `dev` end to end, `feed` and `tail` on the real broker."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from service.adapters.child_process import free_port, port_open
from tests.integration.harness import ROOT, Deployment

pytestmark = pytest.mark.integration


def newswire(*args: str, env: dict[str, str], cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(OMP_NUM_THREADS="1", NEWSWIRE_NLP="fallback", **overrides)
    return env


def test_dev_runs_the_samples_end_to_end_and_leaves_no_process(tmp_path: Path) -> None:
    broker_port, web_port = free_port(), free_port()
    result = newswire(
        "dev", "--feed", str(ROOT / "samples"), "--exit-when-idle", "6", "--broker-port", str(broker_port),
        env=clean_env(NEWSWIRE_WEB_PORT=str(web_port)), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "summary after" in out
    assert "enriched" in out and "duplicate" in out and "dead letter" in out
    # The English report of the Anbar strike is linked to the Arabic story's event (samples/README.md).
    event = "afp-ar-2024-10-13-anbar-strike"
    assert f"{event}: ar {event} + en afp-en-2024-10-13-anbar-strike" in out
    assert (tmp_path / ".newswire" / "broker").is_dir()  # data under ./.newswire of the working dir
    assert not port_open(broker_port) and not port_open(web_port)  # broker and worker are gone
    leftovers = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True).stdout.split()
    assert leftovers == []


def test_feed_and_tail(deployment_factory: Callable[..., Deployment], tmp_path: Path) -> None:
    deployment = deployment_factory()
    articles = tmp_path / "in.jsonl"
    articles.write_text(
        orjson.dumps({"id": "t-1", "body": "Officials said on Monday that the talks would resume."}).decode()
        + "\n\nnot json\n"
    )
    env = clean_env(NEWSWIRE_BROKER=deployment.broker_url, NEWSWIRE_TOPIC_RAW=deployment.topic("raw"))
    fed = newswire("feed", str(articles), env=env, cwd=tmp_path)
    assert fed.returncode == 0 and "published 2 records" in fed.stdout

    tailed = newswire("tail", deployment.topic("raw"), "--from-beginning", "--limit", "2", env=env, cwd=tmp_path)
    lines = [orjson.loads(line) for line in tailed.stdout.splitlines()]
    assert [line["key"] for line in lines] == ["t-1", None]
    assert lines[0]["value"]["id"] == "t-1" and lines[1]["value"] == "not json"


def test_feed_rejects_unknown_paths_with_a_message(tmp_path: Path) -> None:
    result = newswire("feed", str(tmp_path / "missing.jsonl"), env=clean_env(), cwd=tmp_path)
    assert result.returncode == 2 and "no such file" in result.stderr


def test_bad_configuration_is_a_clear_error(tmp_path: Path) -> None:
    result = newswire("worker", env=clean_env(NEWSWIRE_PARTITIONS="many"), cwd=tmp_path)
    assert result.returncode == 2 and "NEWSWIRE_PARTITIONS must be a whole number" in result.stderr
