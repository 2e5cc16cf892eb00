"""`newswire dev`'s one-liners and summary: stories with their event, and events across languages."""

from __future__ import annotations

from typing import Any

import orjson

from service.config import Topics
from service.summary import Summary

TOPICS = Topics()


def story_event(story: str, event: str, lang: str, languages: list[str], headline: str) -> bytes:
    record: dict[str, Any] = {
        "schema_version": 1, "story_id": story, "event_id": event, "article_id": story, "lang": lang,
        "relation": "founded", "score": 1.0, "size": 1, "sources": ["wire.example"], "languages": languages,
        "first_seen": "2024-10-13T15:05:00.000Z", "last_seen": "2024-10-13T15:05:00.000Z", "headline": headline,
    }  # fmt: skip
    return orjson.dumps(record)


def test_a_story_linked_to_another_languages_event_says_so_and_the_summary_groups_the_event() -> None:
    summary = Summary(TOPICS)
    summary.add(TOPICS.stories, b"ar-1", story_event("ar-1", "ar-1", "ar", ["ar"], "ضربة جوية في الأنبار"))
    summary.add(TOPICS.stories, b"en-9", story_event("en-9", "en-9", "en", ["en"], "Storm in Kuwait"))
    line = summary.add(TOPICS.stories, b"en-1", story_event("en-1", "ar-1", "en", ["ar", "en"], "Air strike in Anbar"))

    assert line.endswith("(size 1, en, score 1.00, in event ar-1 (ar+en))")
    rendered = summary.render(fed=3, seconds=1.0)
    # The Arabic story's own record predates the link; the summary still shows its event's languages.
    assert "ar-1: 1 article(s), ar, event ar-1 (ar+en): ضربة جوية في الأنبار" in rendered
    assert "en-9: 1 article(s), en, event en-9 (en): Storm in Kuwait" in rendered
    assert "1 event(s) reported in several languages:\n    ar-1: ar ar-1 + en en-1" in rendered


def test_without_a_link_no_event_is_listed_as_several_languages() -> None:
    summary = Summary(TOPICS)
    line = summary.add(TOPICS.stories, b"ar-1", story_event("ar-1", "ar-1", "ar", ["ar"], "خبر"))

    assert line.endswith("(size 1, ar, score 1.00)")
    assert "several languages" not in summary.render(fed=1, seconds=1.0)
