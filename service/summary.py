"""Human-readable one-liners for output records (`newswire dev`), and the closing summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson

from service.config import Topics

PREVIEW_CHARS = 70


class Summary:
    def __init__(self, topics: Topics) -> None:
        self._kinds = {
            topics.enriched: "enriched",
            topics.duplicates: "duplicate",
            topics.claims: "claim",
            topics.dlq: "dead letter",
            topics.stories: "story",
        }
        self.counts: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.stories: dict[str, dict[str, Any]] = {}  # story id → its latest StoryEvent

    def add(self, topic: str, key: bytes | None, value: bytes | None) -> str:
        kind = self._kinds.get(topic, topic)
        self.counts[kind] += 1
        try:
            record: dict[str, Any] = orjson.loads(value or b"null") or {}
        except orjson.JSONDecodeError:
            return f"  {kind:<11} (undecodable value, {len(value or b'')} bytes)"
        if kind == "enriched":
            entities = ", ".join(f"{e['text']} {e['label']}×{e['count']}" for e in record["entities"][:5])
            return (
                f"  enriched    {record['id']} [{record['lang']}] {_preview(record.get('title') or record['text'])}\n"
                f"              {len(record['entities'])} entities ({entities or '-'}), {len(record['claims'])} claims,"
                f" {len(record['boilerplate'])} boilerplate blocks removed, nlp={record['nlp'].get('backend')}"
            )
        if kind == "duplicate":
            return (
                f"  duplicate   {record['id']} → copy of {record['duplicate_of']}"
                f" ({record['method']}, similarity {record['similarity']:.2f})"
            )
        if kind == "story":
            self.stories[record["story_id"]] = record
            linked = ""
            if record["event_id"] != record["story_id"]:  # linked to another language's story
                linked = f", in event {record['event_id']} ({'+'.join(record['languages'])})"
            return (
                f"  story       {record['story_id']} {record['relation']} by {record['article_id']}"
                f" (size {record['size']}, {record['lang']}, score {record['score']:.2f}{linked})"
            )
        if kind == "claim":
            return (
                f"  claim       {record['speaker']} ({record['kind']}, {record['cue']}): {_preview(record['content'])}"
            )
        self.reasons[record.get("reason", "?")] += 1
        return f"  dead letter {record.get('reason')}: {_preview(record.get('detail', ''))}"

    def render(self, fed: int, seconds: float) -> str:
        parts = [f"{self.counts[k]} {k}" for k in ("enriched", "duplicate", "claim", "story", "dead letter")]
        lines = [f"newswire dev: summary after {seconds:.1f}s — fed {fed} records → " + ", ".join(parts)]
        if self.reasons:
            lines.append("  dead letters by reason: " + ", ".join(f"{r}={n}" for r, n in sorted(self.reasons.items())))
        if self.stories:
            events = self._events()
            languages = {event: sorted({s["lang"] for s in stories}) for event, stories in events.items()}
            lines.append(f"  {len(self.stories)} stories (size, language, event and its languages, headline):")
            for story in sorted(self.stories.values(), key=lambda s: (-s["size"], s["story_id"])):
                event = story["event_id"]
                spoken = "+".join(languages[event])
                lines.append(f"    {story['story_id']}: {story['size']} article(s), {story['lang']},"
                             f" event {event} ({spoken}): {_preview(story['headline'])}")  # fmt: skip
            linked = {event: stories for event, stories in events.items() if len(languages[event]) > 1}
            if linked:
                lines.append(f"  {len(linked)} event(s) reported in several languages:")
                for event, stories in sorted(linked.items()):
                    lines.append(f"    {event}: " + " + ".join(f"{s['lang']} {s['story_id']}" for s in stories))
        lines.append("  see full records: newswire tail articles.enriched --from-beginning --limit 3")
        return "\n".join(lines)

    def _events(self) -> dict[str, list[dict[str, Any]]]:
        """Event id → its stories, by language (a story's latest record carries its event: only the story
        being placed moves to another event, and that placement is a record of its own)."""
        events: dict[str, list[dict[str, Any]]] = {}
        for story in sorted(self.stories.values(), key=lambda s: (s["lang"], s["story_id"])):
            events.setdefault(story["event_id"], []).append(story)
        return events


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"
