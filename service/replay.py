"""`newswire replay`: put dead letters' original records back where they came from, once each.

A dead letter carries its original record's exact key and value bytes and where it was read
(`original.topic/partition/offset`). Replay publishes those bytes again to that topic: the raw
topic for bad input, or the internal stage topic for a record that failed in dedup or enrichment
(which holds the article as that stage received it). Records from any other topic are skipped.

Once per dead letter, however often replay runs: each replayed original is remembered in the
compacted ledger topic `<NEWSWIRE_APP_ID>-replayed`, keyed by `topic/partition/offset` of the
original, and written in the same Kafka transaction as the replayed record, so a crash or a second
run can neither lose nor repeat one. Two dead letters of the same original (a worker's
at-least-once repeat) are one replay.
"""

from __future__ import annotations

import base64
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from service.adapters.kafka.admin import ensure_topics
from service.adapters.kafka.connection import Connection
from service.adapters.kafka.io import read_to_end
from service.config import Settings, parse_duration
from service.stream.app import TopicSpec, internal_partitions, internal_topic_name

TRANSACTION_SIZE = 500


class ReplayError(ValueError):
    pass


@dataclass(frozen=True)
class Candidate:
    ledger_key: bytes  # original topic/partition/offset
    topic: str
    key: bytes | None
    value: bytes
    reason: str
    where: str  # the dead letter's own place, for the report


def ledger_topic(settings: Settings) -> str:
    return f"{settings.app_id}-replayed"


def parse_since(text: str, now: float) -> float:
    """RFC 3339 time ('2026-12-01T08:00:00Z') or a duration back from now ('2h', '7d')."""
    seconds = parse_duration(text)
    if seconds is not None:
        return now - seconds
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ReplayError(f"--since takes an RFC 3339 time or a duration such as 2h or 7d, got {text!r}") from None
    if moment.tzinfo is None:
        raise ReplayError(f"--since needs a time zone (e.g. {text}Z), got {text!r}")
    return moment.timestamp()


def candidate(record: Any, settings: Settings, reasons: Sequence[str], since: float | None) -> Candidate | None:
    """The dead letter at `record` as a replay, or None if the filters leave it out."""
    letter = orjson.loads(record.value)
    reason, original = letter["reason"], letter["original"]
    if reasons and reason not in reasons:
        return None
    if since is not None and datetime.fromisoformat(letter["failed_at"]).timestamp() < since:
        return None
    key = None if original.get("key_b64") is None else base64.b64decode(original["key_b64"])
    return Candidate(
        ledger_key=f"{original['topic']}/{original['partition']}/{original['offset']}".encode(),
        topic=original["topic"],
        key=key,
        value=base64.b64decode(original["value_b64"]),
        reason=reason,
        where=f"{record.topic}[{record.partition}]@{record.offset}",
    )


async def run_replay(settings: Settings, reasons: Sequence[str], since: float | None, dry_run: bool) -> list[str]:
    """Replay what the filters select; returns the report's lines."""
    connection = Connection.of(settings)
    ledger = ledger_topic(settings)
    await ensure_topics(connection, [TopicSpec(ledger, 1, compacted=True)])
    done = {record.key async for record in read_to_end(connection, [ledger])}
    targets = {settings.topics.raw, *(internal_topic_name(settings, stage) for stage in internal_partitions(settings))}
    todo: dict[bytes, Candidate] = {}
    skipped: Counter[str] = Counter()
    async for record in read_to_end(connection, [settings.topics.dlq]):
        found = candidate(record, settings, reasons, since)
        if found is None:
            skipped["left out by --reason/--since"] += 1
        elif found.ledger_key in done:
            skipped["already replayed"] += 1
        elif found.topic not in targets:
            skipped[f"from {found.topic}, not a topic of this deployment"] += 1
        elif found.ledger_key in todo:
            skipped["another dead letter of the same original"] += 1
        else:
            todo[found.ledger_key] = found
    verb = "would replay" if dry_run else "replayed"
    lines = [f"  {verb} {c.where} ({c.reason}) → {c.topic} (original {c.ledger_key.decode()})" for c in todo.values()]
    if todo and not dry_run:
        await publish(connection, settings, ledger, list(todo.values()))
    by_reason = ", ".join(f"{r}={n}" for r, n in sorted(Counter(c.reason for c in todo.values()).items()))
    lines.append(f"newswire replay: {verb} {len(todo)} dead letters" + (f" ({by_reason})" if todo else ""))
    lines += [f"  skipped {n}: {why}" for why, n in sorted(skipped.items())]
    return lines


async def publish(connection: Connection, settings: Settings, ledger: str, todo: list[Candidate]) -> None:
    """The originals and their ledger entries, in transactions: both or neither."""
    producer = AIOKafkaProducer(**connection.client_options(), transactional_id=f"{settings.app_id}-replay")
    await producer.start()
    try:
        for start in range(0, len(todo), TRANSACTION_SIZE):
            async with producer.transaction():
                for item in todo[start : start + TRANSACTION_SIZE]:
                    await producer.send(item.topic, key=item.key, value=item.value)
                    entry = {"dead_letter": item.where, "reason": item.reason, "replayed_at": time.time()}
                    await producer.send(ledger, key=item.ledger_key, value=orjson.dumps(entry))
    finally:
        await producer.stop()
