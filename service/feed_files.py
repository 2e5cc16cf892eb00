"""Turn files and folders into raw records for `articles.raw` (`newswire feed`, `newswire dev --feed`).

- `.txt`: one article per file; the file's text is the body (key: the file name).
- `.json`: one object, or a list of objects; a file that is not valid JSON is sent as it is
  (the worker turns it into an `invalid_json` dead letter: nothing is dropped on the way in).
- `.jsonl`: one record per line, sent byte for byte (blank lines skipped).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import orjson

SUFFIXES = (".txt", ".json", ".jsonl")


class FeedError(ValueError):
    pass


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files in the order given; folders contribute their supported files, sorted by name."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES))
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                raise FeedError(f"{path}: unsupported file type (use {', '.join(SUFFIXES)})")
            found.append(path)
        else:
            raise FeedError(f"{path}: no such file or folder")
    return found


def records_from_file(path: Path) -> Iterator[tuple[bytes | None, bytes]]:
    data = path.read_bytes()
    if path.suffix == ".txt":
        yield path.name.encode(), orjson.dumps({"body": data.decode("utf-8", errors="replace")})
    elif path.suffix == ".jsonl":
        for line in data.splitlines():
            if line.strip():
                yield _key_of(line), line
    else:
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError:
            yield path.name.encode(), data
            return
        for item in parsed if isinstance(parsed, list) else [parsed]:
            value = orjson.dumps(item)
            yield _key_of(value) or path.name.encode(), value


def records_from_paths(paths: Sequence[str | Path]) -> list[tuple[bytes | None, bytes]]:
    return [record for path in expand_paths(paths) for record in records_from_file(path)]


def _key_of(value: bytes) -> bytes | None:
    """The article id as key when there is one (CONTRACT: key is anything, article id recommended)."""
    try:
        obj = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    article_id = obj.get("id") if isinstance(obj, dict) else None
    return str(article_id).encode() if isinstance(article_id, (str, int)) and article_id != "" else None
