"""Apache Kafka with a SASL_SSL listener and a CA made by the test: the worker and the commands log in
with PLAIN and SCRAM; a wrong password or an untrusted certificate stops them at startup, naming the
variable to fix; the password appears in no log, metric, dead letter or command output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from service.adapters.kafka.apache import Listener
from service.adapters.kafka.connection import Connection
from service.config import Settings
from tests.integration.harness import Deployment
from tests.integration.secure_kafka import PASSWORD, USER, CertificateAuthority, make_ca, secured_kafka

pytestmark = [pytest.mark.integration, pytest.mark.kafka_only]
GOOD = (b"sec-1", orjson.dumps({"id": "sec-1", "body": "Officials said on Monday that the talks would resume."}))
BAD = (b"sec-bad", b'{"id": "sec-bad", "body": "cut')


@pytest.fixture(scope="module")
def secure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Listener, CertificateAuthority, Path]]:
    workdir = tmp_path_factory.mktemp("secured-kafka")
    ca, other_ca = make_ca(workdir / "ca", "newswire-test-ca"), make_ca(workdir / "other", "someone-else")
    kafka, listener = secured_kafka(workdir, ca)
    with kafka:
        yield listener, ca, other_ca.cert


def login_env(ca: Path, mechanism: str, password: str, tmp_path: Path, via_file: bool = False) -> dict[str, str]:
    env = {"NEWSWIRE_SECURITY_PROTOCOL": "SASL_SSL", "NEWSWIRE_SASL_MECHANISM": mechanism,
           "NEWSWIRE_SASL_USERNAME": USER, "NEWSWIRE_SSL_CAFILE": str(ca)}  # fmt: skip
    if via_file:
        secret = tmp_path / "sasl-password"
        secret.write_text(password + "\n")
        env["NEWSWIRE_SASL_PASSWORD_FILE"] = str(secret)
    else:
        env["NEWSWIRE_SASL_PASSWORD"] = password
    return env


def secured_deployment(listener: Listener, env: dict[str, str], workdir: Path) -> Deployment:
    settings = Settings.from_env({"NEWSWIRE_BROKER": listener.url, **env})
    return Deployment(Connection.of(settings), workdir, extra_env=env)


@pytest.mark.parametrize(("mechanism", "via_file"), [("PLAIN", False), ("SCRAM-SHA-256", False),
                                                     ("SCRAM-SHA-512", True)])  # fmt: skip
def test_right_credentials_work_end_to_end_and_the_secret_stays_secret(
    secure: tuple[Listener, CertificateAuthority, Path], tmp_path: Path, mechanism: str, via_file: bool
) -> None:
    listener, ca, _ = secure
    deployment = secured_deployment(listener, login_env(ca.cert, mechanism, PASSWORD, tmp_path, via_file), tmp_path)
    try:
        worker = deployment.start_worker()
        inputs = tmp_path / "in.jsonl"
        inputs.write_bytes(GOOD[1] + b"\n" + BAD[1] + b"\n")
        fed = deployment.run_cli("feed", str(inputs))
        assert fed.returncode == 0 and "published 2 records" in fed.stdout, fed.stderr
        found = deployment.collect(lambda f: len(f["enriched"]) >= 1 and len(f["dlq"]) >= 1, timeout=60)
        assert found["enriched"][0].value["id"] == "sec-1" and found["dlq"][0].value["reason"] == "invalid_json"
        tailed = deployment.run_cli("tail", deployment.topic("enriched"), "--from-beginning", "--limit", "1")
        assert orjson.loads(tailed.stdout.splitlines()[0])["value"]["id"] == "sec-1"
        replayed = deployment.run_cli("replay", "--dry-run")
        assert "would replay 1 dead letters (invalid_json=1)" in replayed.stdout, replayed.stderr

        metrics = worker.http("/metrics").decode()
        worker.stop()
        seen = [worker.log_path.read_text(), metrics, *(orjson.dumps(r.value).decode() for r in found["dlq"]),
                fed.stdout + fed.stderr, tailed.stdout + tailed.stderr, replayed.stdout + replayed.stderr]  # fmt: skip
        assert not [text for text in seen if PASSWORD in text]
    finally:
        deployment.stop_all()


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256"])
def test_a_wrong_password_stops_the_worker_at_startup_naming_the_variable(
    secure: tuple[Listener, CertificateAuthority, Path], tmp_path: Path, mechanism: str
) -> None:
    listener, ca, _ = secure
    wrong = "not-the-Pa55word"
    deployment = secured_deployment(listener, login_env(ca.cert, mechanism, wrong, tmp_path), tmp_path)
    result = deployment.run_cli("worker")
    assert result.returncode == 2
    assert "NEWSWIRE_SASL_PASSWORD" in result.stderr and mechanism in result.stderr
    assert wrong not in result.stderr + result.stdout


def test_an_untrusted_certificate_stops_the_worker_at_startup_naming_the_variable(
    secure: tuple[Listener, CertificateAuthority, Path], tmp_path: Path
) -> None:
    listener, _, other_ca = secure
    deployment = secured_deployment(listener, login_env(other_ca, "PLAIN", PASSWORD, tmp_path), tmp_path)
    result = deployment.run_cli("worker")
    assert result.returncode == 2
    assert "NEWSWIRE_SSL_CAFILE" in result.stderr and "not trusted" in result.stderr
    assert PASSWORD not in result.stderr + result.stdout
