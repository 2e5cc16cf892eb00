"""JSON Schemas (draft 2020-12) of every topic's value, shipped inside the package.

The files are the public contract (CONTRACT.md); `asyncapi.yaml` beside them describes the
topics, their keys and which schema each carries. Nothing is read until `load_schema` is called.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SCHEMA_NAMES = ("raw_article", "enriched_article", "duplicate_event", "claim_event", "story_event", "dead_letter")


def load_schema(name: str) -> dict[str, Any]:
    """The schema called `name` (e.g. "dead_letter" or "dead_letter.json") as a dict."""
    stem = name.removesuffix(".json")
    if stem not in SCHEMA_NAMES:
        raise ValueError(f"unknown schema {name!r}; choose one of {', '.join(SCHEMA_NAMES)}")
    text = resources.files(__name__).joinpath(f"{stem}.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
