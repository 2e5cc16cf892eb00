"""Validation and id derivation of raw records: every bad record gets a stable reason code."""

from __future__ import annotations

import orjson
import pytest

from service.domain.ingest import REASONS, Rejection, derive_id, parse_raw
from service.domain.records import Article

LIMIT = 4096


def parse(obj: object) -> Article | Rejection:
    return parse_raw(orjson.dumps(obj), LIMIT)


def test_valid_article_keeps_fields_and_passes_unknown_ones_through() -> None:
    article = parse(
        {
            "id": "a1",
            "body": " نص الخبر ",
            "lang": "AR",
            "published_at": "2024-10-10T08:00:00Z",
            "url": "https://example.com/x",
            "source": "الحرة",
            "title": "عنوان",
            "section": "world",
        }
    )
    assert isinstance(article, Article)
    assert (article.id, article.lang, article.source, article.body) == ("a1", "ar", "الحرة", " نص الخبر ")
    assert article.extra == {"section": "world"}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"not json at all", "invalid_json"),
        (b'{"body": "unterminated', "invalid_json"),
        (b"[1, 2, 3]", "not_an_object"),
        (b'"just a string"', "not_an_object"),
        (b"{}", "missing_body"),
        (b'{"body": null}', "missing_body"),
        (b'{"body": "   \\n\\t "}', "empty_body"),
        (b'{"body": 42}', "invalid_field"),
        (b'{"body": "x", "published_at": 1728547200}', "invalid_field"),
        (b'{"body": "x", "published_at": "yesterday"}', "invalid_field"),
        (b'{"body": "x", "published_at": "2024-13-45T99:00:00Z"}', "invalid_field"),
        (b'{"body": "x", "lang": "arabic"}', "invalid_field"),
        (b'{"body": "x", "title": ["a"]}', "invalid_field"),
        (b'{"body": "x", "id": {"a": 1}}', "invalid_field"),
        (b'{"body": "x", "id": true}', "invalid_field"),
        (b'{"body": "\xff\xfe broken"}', "invalid_utf8"),
        (b"x" * (LIMIT + 1), "too_large"),
    ],
)
def test_bad_records_get_their_reason(value: bytes, reason: str) -> None:
    result = parse_raw(value, LIMIT)
    assert isinstance(result, Rejection), result
    assert result.reason == reason
    assert result.reason in REASONS
    assert result.detail  # a human-readable explanation, never empty


def test_tombstone_is_a_dead_letter_not_a_crash() -> None:
    assert isinstance(parse_raw(None, LIMIT), Rejection)


def test_size_limit_is_checked_on_bytes_before_decoding() -> None:
    body = "ب" * 2100  # 4,200 bytes of UTF-8 but only 2,100 characters
    result = parse({"body": body})
    assert isinstance(result, Rejection) and result.reason == "too_large"


def test_derived_id_is_stable_and_depends_on_content() -> None:
    first = parse({"body": "same story", "source": "a"})
    again = parse({"source": "a", "body": "same story"})
    other_source = parse({"body": "same story", "source": "b"})
    assert isinstance(first, Article) and isinstance(again, Article) and isinstance(other_source, Article)
    assert first.id == again.id == derive_id("same story", None, "a", None)
    assert first.id.startswith("nw-") and first.id != other_source.id


def test_numeric_id_is_accepted_as_text() -> None:
    article = parse({"id": 1234, "body": "x"})
    assert isinstance(article, Article) and article.id == "1234"
