"""One login for every client: the settings become the same aiokafka options and Faust credentials."""

from __future__ import annotations

import ssl

import faust

from service.adapters.kafka.connection import Connection, bootstrap_servers
from service.config import KafkaSecurity, Settings
from service.stream.app import credentials


def test_faust_urls_become_aiokafka_bootstrap_servers() -> None:
    assert bootstrap_servers("kafka://h1:9092;kafka://h2:9093/") == "h1:9092,h2:9093"
    assert Connection.of(Settings.from_env({"NEWSWIRE_BROKER": "k:1"})).bootstrap == "k:1"


def test_plaintext_is_the_default_login() -> None:
    options = Connection("kafka://127.0.0.1:9092").client_options()
    assert options == {"bootstrap_servers": "127.0.0.1:9092", "security_protocol": "PLAINTEXT"}
    assert credentials(KafkaSecurity()) is None


def test_sasl_ssl_reaches_aiokafka_and_faust_alike() -> None:
    security = KafkaSecurity("SASL_SSL", "SCRAM-SHA-256", "svc", "pw", "NEWSWIRE_SASL_PASSWORD")
    options = Connection("kafka://b:9093", security).client_options()
    assert options["security_protocol"] == "SASL_SSL" and isinstance(options["ssl_context"], ssl.SSLContext)
    assert (options["sasl_mechanism"], options["sasl_plain_username"], options["sasl_plain_password"]) == (
        "SCRAM-SHA-256", "svc", "pw",
    )  # fmt: skip
    faust_login = credentials(security)
    assert isinstance(faust_login, faust.SASLCredentials)
    assert (faust_login.protocol.value, faust_login.mechanism.value, faust_login.username) == (
        "SASL_SSL", "SCRAM-SHA-256", "svc",
    )  # fmt: skip
    assert "pw" not in repr(faust_login) and "pw" not in repr(security)


def test_ssl_alone_verifies_the_broker() -> None:
    options = Connection("kafka://b:9093", KafkaSecurity("SSL")).client_options()
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED and "sasl_mechanism" not in options
    assert isinstance(credentials(KafkaSecurity("SSL")), faust.SSLCredentials)
