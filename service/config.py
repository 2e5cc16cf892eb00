"""Settings: the only place that reads the environment (see CONTRACT.md, "Environment")."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from service.domain.stories.index import Thresholds

DEFAULT_BROKER = "kafka://127.0.0.1:9092"
DEFAULT_TOPICS = {
    "raw": "articles.raw",
    "enriched": "articles.enriched",
    "duplicates": "articles.duplicates",
    "claims": "articles.claims",
    "dlq": "articles.dlq",
    "stories": "articles.stories",
}
NLP_MODES = ("auto", "stanza", "fallback")
GUARANTEES = ("at_least_once", "exactly_once")
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class SettingsError(ValueError):
    """An environment variable has a value the service cannot use; the message says how to fix it."""


@dataclass(frozen=True)
class Topics:
    raw: str = DEFAULT_TOPICS["raw"]
    enriched: str = DEFAULT_TOPICS["enriched"]
    duplicates: str = DEFAULT_TOPICS["duplicates"]
    claims: str = DEFAULT_TOPICS["claims"]
    dlq: str = DEFAULT_TOPICS["dlq"]
    stories: str = DEFAULT_TOPICS["stories"]

    def outputs(self) -> tuple[str, ...]:
        return (self.enriched, self.duplicates, self.claims, self.dlq, self.stories)


@dataclass(frozen=True)
class KafkaSecurity:
    """How every Kafka client of the service authenticates (worker, feed, tail, dev, replay, topic admin).

    The password never appears in a repr, a log line or a metric: only `password_source` names where it came from.
    """

    protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = field(default=None, repr=False)
    password_source: str | None = None  # the variable it came from, for error messages
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None

    @property
    def uses_sasl(self) -> bool:
        return self.protocol.startswith("SASL_")

    @property
    def uses_ssl(self) -> bool:
        return self.protocol.endswith("SSL")


@dataclass(frozen=True)
class Settings:
    broker: str = DEFAULT_BROKER
    topics: Topics = field(default_factory=Topics)
    partitions: int = 4
    web_port: int = 6066
    web_bind: str = "0.0.0.0"  # NEWSWIRE_WEB_BIND: 127.0.0.1 for tests and `newswire dev`
    data_dir: Path = Path(".newswire/worker")
    max_article_bytes: int = 1_048_576
    dedup_window_seconds: float = 7 * 86400.0
    story_window_seconds: float = 3 * 86400.0  # NEWSWIRE_STORY_WINDOW: how long a story stays open for reports
    story_thresholds: Thresholds = field(default_factory=Thresholds)  # NEWSWIRE_STORY_JOIN, NEWSWIRE_EVENT_LINK
    langs: tuple[str, ...] = ("ar", "en")
    nlp_mode: str = "auto"
    stanza_dir: str | None = None
    log_level: str = "INFO"
    app_id: str = "newswire"
    instance_id: str | None = None  # NEWSWIRE_INSTANCE_ID: stable per worker (e.g. the pod name) for static membership
    enrich_batch_size: int = 32
    enrich_batch_seconds: float = 0.05  # a batch waits at most this long to fill: latency at low rates
    empty_fetch_pause_seconds: float = 0.01  # NEWSWIRE_EMPTY_FETCH_PAUSE_MS: see service/stream/fetch_pause.py
    processing_guarantee: str = "at_least_once"  # exactly_once: Faust's Kafka transactions
    shutdown_timeout_seconds: float = 10.0  # NEWSWIRE_SHUTDOWN_TIMEOUT: a worker exits within this after SIGTERM
    security: KafkaSecurity = field(default_factory=KafkaSecurity)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        topics = Topics(
            **{name: _text(env, f"NEWSWIRE_TOPIC_{name.upper()}", default) for name, default in DEFAULT_TOPICS.items()}
        )
        if len(set(vars(topics).values())) != len(DEFAULT_TOPICS):
            names = ", ".join(f"NEWSWIRE_TOPIC_{name.upper()}" for name in DEFAULT_TOPICS)
            raise SettingsError(f"{names} must name {len(DEFAULT_TOPICS)} different topics, got {vars(topics)}")
        broker = _text(env, "NEWSWIRE_BROKER", DEFAULT_BROKER)
        if "://" not in broker:
            broker = f"kafka://{broker}"
        langs = tuple(part.strip().lower() for part in _text(env, "NEWSWIRE_LANGS", "ar,en").split(",") if part.strip())
        if not langs or any(not re.fullmatch(r"[a-z]{2}", lang) for lang in langs):
            raise SettingsError(
                f"NEWSWIRE_LANGS must be ISO 639-1 codes separated by commas (e.g. 'ar,en'), got {langs!r}"
            )
        nlp_mode = _choice(env, "NEWSWIRE_NLP", NLP_MODES, lower=True)
        return cls(
            broker=broker,
            topics=topics,
            partitions=_int(env, "NEWSWIRE_PARTITIONS", 4, low=1, high=1024),
            web_port=_int(env, "NEWSWIRE_WEB_PORT", 6066, low=1, high=65535),
            web_bind=_text(env, "NEWSWIRE_WEB_BIND", "0.0.0.0"),
            data_dir=Path(_text(env, "NEWSWIRE_DATA_DIR", ".newswire/worker")).expanduser().absolute(),
            max_article_bytes=_int(env, "NEWSWIRE_MAX_ARTICLE_BYTES", 1_048_576, low=64, high=64 * 1_048_576),
            dedup_window_seconds=_duration(env, "NEWSWIRE_DEDUP_WINDOW", 7 * 86400.0),
            story_window_seconds=_duration(env, "NEWSWIRE_STORY_WINDOW", 3 * 86400.0),
            story_thresholds=_story_thresholds(env),
            langs=langs,
            nlp_mode=nlp_mode,
            stanza_dir=env.get("NEWSWIRE_STANZA_DIR") or None,
            log_level=_text(env, "NEWSWIRE_LOG_LEVEL", "INFO"),
            app_id=_text(env, "NEWSWIRE_APP_ID", "newswire"),
            instance_id=env.get("NEWSWIRE_INSTANCE_ID", "").strip() or None,
            enrich_batch_size=_int(env, "NEWSWIRE_ENRICH_BATCH", 32, low=1, high=4096),
            empty_fetch_pause_seconds=_int(env, "NEWSWIRE_EMPTY_FETCH_PAUSE_MS", 10, low=0, high=1000) / 1000,
            processing_guarantee=_choice(env, "NEWSWIRE_PROCESSING_GUARANTEE", GUARANTEES, lower=True),
            shutdown_timeout_seconds=_duration(env, "NEWSWIRE_SHUTDOWN_TIMEOUT", 10.0),
            security=_security(env),
        )


def _story_thresholds(env: Mapping[str, str]) -> Thresholds:
    """NEWSWIRE_STORY_JOIN: comma-separated entries, a bare cosine for the languages without their
    own and `lang:cosine` for one language, each replacing that one default; NEWSWIRE_EVENT_LINK:
    one cosine. Lower joins more reports into one story (recall) at the risk of merging two events
    of one topic (precision): README, "Story operating points"."""
    defaults = Thresholds()
    join, by_language = defaults.join, dict(defaults.join_by_language)
    example = f"e.g. '{defaults.join}' or '0.4,ar:{defaults.join}'"
    for entry in filter(None, (part.strip() for part in env.get("NEWSWIRE_STORY_JOIN", "").split(","))):
        lang, _, raw = entry.rpartition(":")
        lang = lang.strip().lower()
        if lang and not re.fullmatch(r"[a-z]{2}", lang):
            raise SettingsError(f"NEWSWIRE_STORY_JOIN: {lang!r} is not an ISO 639-1 language code ({example})")
        value = _cosine("NEWSWIRE_STORY_JOIN", raw, example)
        if lang:
            by_language[lang] = value
        else:
            join = value
    raw_link = env.get("NEWSWIRE_EVENT_LINK", "").strip()
    cross = _cosine("NEWSWIRE_EVENT_LINK", raw_link, f"e.g. '{defaults.cross}'") if raw_link else defaults.cross
    return Thresholds(join, by_language, cross)


def _cosine(name: str, raw: str, example: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0.0 < value <= 1.0:  # also false for nan
        raise SettingsError(f"{name} takes cosines greater than 0 and at most 1 ({example}), got {raw.strip()!r}")
    return value


def _security(env: Mapping[str, str]) -> KafkaSecurity:
    protocol = _choice(env, "NEWSWIRE_SECURITY_PROTOCOL", SECURITY_PROTOCOLS)
    sasl = protocol.startswith("SASL_")
    mechanism = _choice(env, "NEWSWIRE_SASL_MECHANISM", SASL_MECHANISMS) if sasl else None
    username = env.get("NEWSWIRE_SASL_USERNAME", "").strip() or None
    password, source = _password(env)
    if sasl and (username is None or password is None):
        raise SettingsError(
            f"NEWSWIRE_SECURITY_PROTOCOL={protocol} needs NEWSWIRE_SASL_USERNAME and NEWSWIRE_SASL_PASSWORD "
            "(or NEWSWIRE_SASL_PASSWORD_FILE)"
        )
    if not sasl and (username or password):
        raise SettingsError(f"NEWSWIRE_SASL_* are set but NEWSWIRE_SECURITY_PROTOCOL={protocol} does not use SASL")
    files = {name: _file(env, f"NEWSWIRE_SSL_{name.upper()}") for name in ("cafile", "certfile", "keyfile")}
    if not protocol.endswith("SSL") and any(files.values()):
        raise SettingsError(f"NEWSWIRE_SSL_* are set but NEWSWIRE_SECURITY_PROTOCOL={protocol} does not use TLS")
    if (files["certfile"] is None) != (files["keyfile"] is None):
        raise SettingsError("NEWSWIRE_SSL_CERTFILE and NEWSWIRE_SSL_KEYFILE go together (a client certificate)")
    return KafkaSecurity(protocol, mechanism, username, password, source, files["cafile"], files["certfile"],
                         files["keyfile"])  # fmt: skip


def _password(env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The SASL password from NEWSWIRE_SASL_PASSWORD or the file NEWSWIRE_SASL_PASSWORD_FILE names (not both)."""
    direct = env.get("NEWSWIRE_SASL_PASSWORD") or None
    path = _file(env, "NEWSWIRE_SASL_PASSWORD_FILE")
    if direct is not None and path is not None:
        raise SettingsError("set NEWSWIRE_SASL_PASSWORD or NEWSWIRE_SASL_PASSWORD_FILE, not both")
    if path is None:
        return direct, "NEWSWIRE_SASL_PASSWORD" if direct is not None else None
    secret = path.read_text(encoding="utf-8").rstrip("\r\n")
    if not secret:
        raise SettingsError(f"NEWSWIRE_SASL_PASSWORD_FILE: {path} is empty")
    return secret, "NEWSWIRE_SASL_PASSWORD_FILE"


def _file(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser().absolute()
    if not path.is_file():
        raise SettingsError(f"{name} must name a readable file, got {raw!r} (no such file)")
    return path


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], *, lower: bool = False) -> str:
    raw = env.get(name, "").strip()
    value = (raw.lower() if lower else raw.upper()) if raw else choices[0]
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return value


def _text(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip()
    return value or default


def _int(env: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number between {low} and {high}, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def parse_duration(text: str) -> float | None:
    """Seconds from '604800', '3600s', '90m', '12h', '7d' or '1w'; None if it is not a positive duration."""
    match = _DURATION.match(text)
    if not match or float(match.group(1)) <= 0:
        return None
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2) or "s"]


def _duration(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    seconds = parse_duration(raw)
    if seconds is None:
        raise SettingsError(f"{name} must be a positive duration such as 3600, 90m, 12h or 7d, got {raw!r}")
    return seconds
