"""Settings come from the environment only, with clear messages for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import Settings, SettingsError
from service.domain.stories.index import CROSS_THRESHOLD, JOIN_THRESHOLD, LANGUAGE_JOIN_THRESHOLDS


def test_defaults_match_the_contract() -> None:
    settings = Settings.from_env({})
    assert settings.broker == "kafka://127.0.0.1:9092"
    assert settings.topics.raw == "articles.raw" and settings.topics.dlq == "articles.dlq"
    assert (settings.partitions, settings.web_port, settings.max_article_bytes) == (4, 6066, 1_048_576)
    assert settings.dedup_window_seconds == 7 * 86400
    assert settings.langs == ("ar", "en") and settings.nlp_mode == "auto"
    assert settings.data_dir.is_absolute() and settings.data_dir.parts[-2:] == (".newswire", "worker")
    assert settings.empty_fetch_pause_seconds == 0.01
    thresholds = settings.story_thresholds
    assert (thresholds.join, thresholds.join_by_language, thresholds.cross) == (
        JOIN_THRESHOLD, dict(LANGUAGE_JOIN_THRESHOLDS), CROSS_THRESHOLD)


def test_each_story_join_entry_replaces_one_default() -> None:
    only_arabic = Settings.from_env({"NEWSWIRE_STORY_JOIN": "AR:0.3"}).story_thresholds
    assert (only_arabic.join, only_arabic.join_by_language) == (JOIN_THRESHOLD, {**LANGUAGE_JOIN_THRESHOLDS, "ar": 0.3})
    both = Settings.from_env({"NEWSWIRE_STORY_JOIN": " 0.5 , fr:0.4", "NEWSWIRE_EVENT_LINK": "0.25"}).story_thresholds
    assert (both.join, both.join_by_language, both.cross) == (0.5, {**LANGUAGE_JOIN_THRESHOLDS, "fr": 0.4}, 0.25)


def test_overrides() -> None:
    settings = Settings.from_env({
        "NEWSWIRE_BROKER": "10.0.0.5:9093", "NEWSWIRE_TOPIC_RAW": "in", "NEWSWIRE_PARTITIONS": "8",
        "NEWSWIRE_DEDUP_WINDOW": "12h", "NEWSWIRE_LANGS": "ar", "NEWSWIRE_NLP": "Fallback",
        "NEWSWIRE_EMPTY_FETCH_PAUSE_MS": "0",
    })  # fmt: skip
    assert settings.broker == "kafka://10.0.0.5:9093"
    assert (settings.topics.raw, settings.partitions, settings.dedup_window_seconds) == ("in", 8, 43200)
    assert settings.langs == ("ar",) and settings.nlp_mode == "fallback"
    assert settings.empty_fetch_pause_seconds == 0


@pytest.mark.parametrize(
    ("name", "value", "hint"),
    [
        ("NEWSWIRE_PARTITIONS", "four", "whole number"),
        ("NEWSWIRE_PARTITIONS", "0", "between 1"),
        ("NEWSWIRE_WEB_PORT", "70000", "between 1 and 65535"),
        ("NEWSWIRE_EMPTY_FETCH_PAUSE_MS", "5000", "between 0 and 1000"),
        ("NEWSWIRE_DEDUP_WINDOW", "a week", "7d"),
        ("NEWSWIRE_NLP", "spacy", "auto, stanza, fallback"),
        ("NEWSWIRE_LANGS", "arabic", "ISO 639-1"),
        ("NEWSWIRE_TOPIC_DLQ", "articles.raw", "6 different topics"),
        ("NEWSWIRE_STORY_JOIN", "arabic:0.4", "ISO 639-1"),
        ("NEWSWIRE_STORY_JOIN", "ar:1.5", "at most 1"),
        ("NEWSWIRE_STORY_JOIN", "ar=0.4", "e.g. '0.35' or '0.4,ar:0.35'"),
        ("NEWSWIRE_EVENT_LINK", "0", "greater than 0"),
        ("NEWSWIRE_EVENT_LINK", "nan", "at most 1"),
    ],
)
def test_bad_values_say_how_to_fix_them(name: str, value: str, hint: str) -> None:
    with pytest.raises(SettingsError, match=name) as caught:
        Settings.from_env({name: value})
    assert hint in str(caught.value)


def test_security_defaults_to_plaintext_and_exactly_once_is_an_option() -> None:
    settings = Settings.from_env({"NEWSWIRE_PROCESSING_GUARANTEE": "EXACTLY_ONCE", "NEWSWIRE_SHUTDOWN_TIMEOUT": "5"})
    assert settings.security.protocol == "PLAINTEXT" and not settings.security.uses_sasl
    assert settings.processing_guarantee == "exactly_once" and settings.shutdown_timeout_seconds == 5
    assert Settings.from_env({}).processing_guarantee == "at_least_once"


def test_sasl_ssl_settings_and_the_password_file(tmp_path: Path) -> None:
    ca, secret = tmp_path / "ca.pem", tmp_path / "password"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    secret.write_text("from-a-file\n")
    settings = Settings.from_env({
        "NEWSWIRE_SECURITY_PROTOCOL": "sasl_ssl", "NEWSWIRE_SASL_MECHANISM": "scram-sha-512",
        "NEWSWIRE_SASL_USERNAME": "svc", "NEWSWIRE_SASL_PASSWORD_FILE": str(secret), "NEWSWIRE_SSL_CAFILE": str(ca),
    })  # fmt: skip
    security = settings.security
    assert (security.protocol, security.sasl_mechanism, security.sasl_username) == ("SASL_SSL", "SCRAM-SHA-512", "svc")
    assert security.sasl_password == "from-a-file" and security.password_source == "NEWSWIRE_SASL_PASSWORD_FILE"
    assert security.ssl_cafile == ca
    assert "from-a-file" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "hint"),
    [
        ({"NEWSWIRE_SECURITY_PROTOCOL": "TLS"}, "NEWSWIRE_SECURITY_PROTOCOL must be one of PLAINTEXT, SSL"),
        ({"NEWSWIRE_SECURITY_PROTOCOL": "SASL_SSL"}, "needs NEWSWIRE_SASL_USERNAME and NEWSWIRE_SASL_PASSWORD"),
        ({"NEWSWIRE_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "NEWSWIRE_SASL_MECHANISM": "GSSAPI"},
         "NEWSWIRE_SASL_MECHANISM must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"),
        ({"NEWSWIRE_SASL_USERNAME": "svc", "NEWSWIRE_SASL_PASSWORD": "x"}, "does not use SASL"),
        ({"NEWSWIRE_SECURITY_PROTOCOL": "SSL", "NEWSWIRE_SSL_CAFILE": "/no/such/ca.pem"}, "NEWSWIRE_SSL_CAFILE must"),
        ({"NEWSWIRE_SSL_CAFILE": __file__}, "does not use TLS"),
        ({"NEWSWIRE_SECURITY_PROTOCOL": "SSL", "NEWSWIRE_SSL_CERTFILE": __file__}, "go together"),
        ({"NEWSWIRE_SASL_PASSWORD": "x", "NEWSWIRE_SASL_PASSWORD_FILE": __file__}, "not both"),
        ({"NEWSWIRE_PROCESSING_GUARANTEE": "at_most_once"}, "at_least_once, exactly_once"),
        ({"NEWSWIRE_SHUTDOWN_TIMEOUT": "soon"}, "NEWSWIRE_SHUTDOWN_TIMEOUT must be a positive duration"),
    ],
)
def test_bad_security_settings_name_the_variable(env: dict[str, str], hint: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert hint in str(caught.value)
