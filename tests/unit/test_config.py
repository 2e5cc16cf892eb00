"""Settings come from the environment only, with clear messages for bad values."""

from __future__ import annotations

import pytest

from service.config import Settings, SettingsError


def test_defaults_match_the_contract() -> None:
    settings = Settings.from_env({})
    assert settings.broker == "kafka://127.0.0.1:9092"
    assert settings.topics.raw == "articles.raw" and settings.topics.dlq == "articles.dlq"
    assert (settings.partitions, settings.web_port, settings.max_article_bytes) == (4, 6066, 1_048_576)
    assert settings.dedup_window_seconds == 7 * 86400
    assert settings.langs == ("ar", "en") and settings.nlp_mode == "auto"
    assert settings.data_dir.is_absolute() and settings.data_dir.parts[-2:] == (".newswire", "worker")
    assert settings.empty_fetch_pause_seconds == 0.01


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
    ],
)
def test_bad_values_say_how_to_fix_them(name: str, value: str, hint: str) -> None:
    with pytest.raises(SettingsError, match=name) as caught:
        Settings.from_env({name: value})
    assert hint in str(caught.value)
