"""`newswire feed` turns files into raw records without losing or fixing anything."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from service.feed_files import FeedError, records_from_paths


def test_each_file_type_becomes_records(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("نص الخبر\n\nفقرة ثانية", encoding="utf-8")
    (tmp_path / "b.json").write_text('[{"id": "b1", "body": "x"}, {"body": "y"}]')
    (tmp_path / "c.jsonl").write_bytes(b'{"id": 7, "body": "z"}\n\n{broken\n')
    (tmp_path / "ignored.md").write_text("not an article")
    records = records_from_paths([tmp_path])
    assert [key for key, _ in records] == [b"a.txt", b"b1", b"b.json", b"7", None]
    assert orjson.loads(records[0][1]) == {"body": "نص الخبر\n\nفقرة ثانية"}
    assert records[-1][1] == b"{broken"  # sent byte for byte: the worker dead-letters it


def test_invalid_json_file_is_sent_as_is(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_bytes(b"{oops")
    assert records_from_paths([tmp_path / "bad.json"]) == [(b"bad.json", b"{oops")]


def test_missing_and_unsupported_paths_are_errors(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="no such file"):
        records_from_paths([tmp_path / "nope.json"])
    (tmp_path / "x.csv").write_text("a,b")
    with pytest.raises(FeedError, match="unsupported file type"):
        records_from_paths([tmp_path / "x.csv"])
