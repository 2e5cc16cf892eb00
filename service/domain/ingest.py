"""Ingest: raw bytes from `articles.raw` → a validated Article, or a Rejection with a stable reason.

Bad input is data, not an exception: `parse_raw` never raises for any byte string.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from service.domain.records import Article

REASONS = (
    "invalid_json",
    "not_an_object",
    "missing_body",
    "empty_body",
    "invalid_field",
    "too_large",
    "invalid_utf8",
    "processing_error",
)
_OPTIONAL_TEXT_FIELDS = ("url", "source", "title")
_KNOWN_FIELDS = frozenset(("id", "body", "lang", "published_at", *_OPTIONAL_TEXT_FIELDS))
_LANG = re.compile(r"^[A-Za-z]{2}$")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
MAX_ID_CHARS = 256


@dataclass(frozen=True)
class Rejection:
    """Why a raw record cannot become an article (becomes a DeadLetter)."""

    reason: str
    detail: str


def parse_raw(value: bytes | None, max_bytes: int) -> Article | Rejection:
    """Decode, validate and normalise one raw record."""
    if value is None:
        return Rejection("missing_body", "the record has no value (a tombstone)")
    if len(value) > max_bytes:
        return Rejection(
            "too_large", f"value is {len(value)} bytes, the limit is {max_bytes} (NEWSWIRE_MAX_ARTICLE_BYTES)"
        )
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Rejection("invalid_utf8", f"value is not UTF-8: {exc.reason} at byte {exc.start}")
    try:
        obj = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return Rejection("invalid_json", f"value is not JSON: {exc}")
    if not isinstance(obj, dict):
        return Rejection("not_an_object", f"value is JSON {type(obj).__name__}, expected an object with a 'body'")
    return validate(obj)


def validate(obj: dict[str, Any]) -> Article | Rejection:
    """Check the fields of a decoded RawArticle (CONTRACT.md) and derive its id if absent."""
    if "body" not in obj or obj["body"] is None:
        return Rejection("missing_body", "the object has no 'body' field")
    body = obj["body"]
    if not isinstance(body, str):
        return Rejection("invalid_field", f"'body' must be a string, got {_json_type(body)}")
    if not body.strip():
        return Rejection("empty_body", "'body' is empty after trimming whitespace")
    fields: dict[str, str | None] = {}
    for name in _OPTIONAL_TEXT_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            return Rejection("invalid_field", f"'{name}' must be a string or null, got {_json_type(value)}")
        fields[name] = value or None
    lang = obj.get("lang")
    if lang is not None and (not isinstance(lang, str) or not _LANG.match(lang)):
        return Rejection("invalid_field", f"'lang' must be an ISO 639-1 code such as 'ar' or 'en', got {lang!r}")
    published_at = obj.get("published_at")
    if published_at is not None and not _is_rfc3339(published_at):
        return Rejection("invalid_field", f"'published_at' must be an RFC 3339 string, got {published_at!r}")
    article_id = obj.get("id")
    if article_id is not None:
        if isinstance(article_id, bool) or not isinstance(article_id, (str, int)):
            return Rejection("invalid_field", f"'id' must be a string, got {_json_type(article_id)}")
        article_id = str(article_id).strip()
        if not article_id or len(article_id) > MAX_ID_CHARS:
            return Rejection("invalid_field", f"'id' must be 1 to {MAX_ID_CHARS} characters")
    extra = {key: value for key, value in obj.items() if key not in _KNOWN_FIELDS}
    return Article(
        id=article_id or derive_id(body, fields["url"], fields["source"], fields["title"]),
        body=body,
        url=fields["url"],
        source=fields["source"],
        title=fields["title"],
        lang=lang.lower() if isinstance(lang, str) else None,
        published_at=published_at,
        extra=extra,
    )


def derive_id(body: str, url: str | None, source: str | None, title: str | None) -> str:
    """A stable id for an article sent without one: same input → same id on every replay."""
    canonical = orjson.dumps([url, source, title, body])
    return "nw-" + hashlib.sha256(canonical).hexdigest()[:24]


def _is_rfc3339(value: object) -> bool:
    if not isinstance(value, str) or not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return False
    return True


def _json_type(value: object) -> str:
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)
