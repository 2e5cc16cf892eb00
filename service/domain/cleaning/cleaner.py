"""Strip aggregator boilerplate from a scraped article body, recording what was removed.

A paragraph is a non-empty line of the body. Kept paragraphs are copied byte-for-byte (only the
whitespace around them is trimmed) and joined with "\\n\\n"; entity and claim offsets index into
that text. The only edit inside a paragraph is cutting an agency dateline off the lead
("BEIRUT (Reuters) - …") or a tweet signature off a line; the rest of the paragraph is kept.

`Boilerplate.kind` values (stable strings, in order of appearance in `CleanedText.boilerplate`):

- `source_line`    "المصدر: الحرة", "مصدر الخبر: …", "Source: Reuters"
- `tags`           "كلمات دلالية: …", "Tags: …" (a bare header takes the tag lines under it)
- `read_also`      "إقرأ أيضاً:" / "Read more:" with what belongs to it: an inline headline and its
                   links; a standalone marker after the story has ended (a source or tags line was
                   seen) takes the whole unrelated article the aggregator appended, up to the next
                   boilerplate block; mid-story it takes only the headline/links under it
- `related_list`   "مقالات مشابهة", "Related articles", "More from …", "Related: …" + its items
- `teaser`         another story's headline printed twice on one line, or "headline .. headline"
                   glued to that story's lead
- `embedded_tweet` "— Name (@handle) October 10, 2024" with the tweet text (the line carrying the
                   t.co link) and bare t.co / pic.twitter.com lines
- `caption`        photo captions/credits and short lines repeated verbatim in the page
- `share`          share / follow us / subscribe / print lines
- `byline`         "By Jane Doe", "(Reporting by …; Editing by …)", "بقلم: …", "كتب: …"
- `dateline`       an agency dateline cut from the lead, or a line that is only a publication date
- `title_repeat`   the title repeated before the story starts
- `page_chrome`    the page's furniture: menus, section labels, headlines, counters and credits before
                   the story's first sentence, short fragments after its last one, and widgets
                   anywhere (ad markers, comment forms, "photos 0", newsletter boxes)
- `comments`       a comment section's heading and everything after it

Conservative by design: when unsure, a paragraph is kept.
"""

from __future__ import annotations

import logging
from collections import Counter

from service.domain.cleaning import rules
from service.domain.records import Boilerplate, CleanedText

logger = logging.getLogger(__name__)

REPEATED_LINE_MAX_CHARS = 200  # a caption repeated in the page is short; story paragraphs are not
LIST_MAX_ITEMS = 40
_TITLE_PUNCTUATION = " .:|-–—\"'«»“”"

KINDS = (
    rules.SOURCE_LINE,
    rules.TAGS,
    rules.READ_ALSO,
    rules.RELATED_LIST,
    rules.TEASER,
    rules.EMBEDDED_TWEET,
    rules.CAPTION,
    rules.SHARE,
    rules.BYLINE,
    rules.DATELINE,
    rules.TITLE_REPEAT,
    rules.PAGE_CHROME,
    rules.COMMENTS,
)


def clean(body: str, title: str | None = None) -> CleanedText:
    """The story text of `body` without boilerplate, and the boilerplate in order of appearance."""
    paragraphs: list[str] = []
    for line in body.splitlines():
        paragraphs.extend(_split_after_tweet_signature(line.strip()))
    return _Walk(paragraphs, title).run()


def _split_after_tweet_signature(line: str) -> list[str]:
    """Text scraped onto a tweet signature's line (often a subheading) is a paragraph of its own."""
    if not line:
        return []
    signature = rules.tweet_signature(line)
    if signature and signature[1] < len(line):
        return [line[: signature[1]], line[signature[1] :].strip()]
    return [line]


class _Walk:
    """One left-to-right pass; some constructs (read-also, lists, tweets) span several lines."""

    def __init__(self, paragraphs: list[str], title: str | None) -> None:
        self.paragraphs = paragraphs
        self.title_key = _title_key(title) if title else ""
        self.repeated = _repeated_short_lines(paragraphs)
        self.kept: list[str] = []
        self.kept_at: list[int] = []  # paragraph index of each kept paragraph
        self.removed: list[tuple[int, Boilerplate]] = []  # with the paragraph index it starts at
        self.story_ended = False  # a source/tags line closes the story; what follows is the page's
        self.story_started = False  # a kept paragraph reads as prose

    def run(self) -> CleanedText:
        index = 0
        while index < len(self.paragraphs):
            index = self._step(index)
        self._drop_page_chrome()
        if self.kept:
            self.kept[0] = self._cut_dateline(self.kept[0], self.kept_at[0])
        self.removed.sort(key=lambda entry: entry[0])  # stable: order of appearance
        return CleanedText("\n\n".join(self.kept), tuple(boilerplate for _, boilerplate in self.removed))

    def _step(self, index: int) -> int:
        """Classify paragraph `index`; return the index of the next one to look at."""
        line = self.paragraphs[index]
        if not self.story_started and self.title_key and _title_key(line) == self.title_key:
            return self._remove(index, rules.TITLE_REPEAT)
        is_marker, inline = rules.read_also_marker(line)
        if is_marker:
            return self._read_also(index, inline)
        if rules.list_header(line)[0]:
            return self._list(index, rules.RELATED_LIST, rules.LIST_ITEM_MAX_WORDS)
        is_tags, bare_header = rules.tags_line(line)
        if is_tags:
            self.story_ended = True
            if bare_header:
                return self._list(index, rules.TAGS, rules.TAG_ITEM_MAX_WORDS)
            return self._remove(index, rules.TAGS)
        if rules.source_line(line):
            self.story_ended = True
            return self._remove(index, rules.SOURCE_LINE)
        if self.story_started and rules.comments_header(line):
            self.removed.append((index, Boilerplate(rules.COMMENTS, "\n".join(self.paragraphs[index:]))))
            return len(self.paragraphs)
        signature = rules.tweet_signature(line)
        if signature:
            return self._tweet(index, signature)
        kind = self._single_line_kind(line)
        if kind:
            return self._remove(index, kind)
        self.story_started = self.story_started or rules.prose(line)
        self.kept.append(line)
        self.kept_at.append(index)
        return index + 1

    def _single_line_kind(self, line: str) -> str | None:
        if rules.share_line(line):
            return rules.SHARE
        if rules.byline(line):
            return rules.BYLINE
        if rules.dateline_line(line):
            return rules.DATELINE
        if rules.tweet_link_only(line):
            return rules.EMBEDDED_TWEET
        # A lead is never a teaser: the glued-headline rule only applies once the story has begun.
        if rules.repeated_phrase(line) or (self.story_started and rules.glued_teaser(line)):
            return rules.TEASER
        if rules.caption_line(line) or (self.repeated and _repeat_key(line) in self.repeated):
            return rules.CAPTION
        if rules.page_widget(line):
            return rules.PAGE_CHROME
        return None

    def _remove(self, index: int, kind: str) -> int:
        self.removed.append((index, Boilerplate(kind, self.paragraphs[index])))
        return index + 1

    def _drop_page_chrome(self) -> None:
        """Kept lines before the story's first sentence, and short ones after its last.

        Decided on the kept paragraphs only, so cleaning a cleaned text changes nothing.
        """
        first = next((at for at, line in enumerate(self.kept) if rules.prose(line)), None)
        if first is None:
            return  # nothing reads as a story: when unsure, keep
        last = next(at for at in range(len(self.kept) - 1, first - 1, -1) if rules.prose(self.kept[at]))
        end = len(self.kept)
        while end - 1 > last and rules.words(self.kept[end - 1]) <= rules.CHROME_TAIL_MAX_WORDS:
            end -= 1
        for at in [*range(first), *range(end, len(self.kept))]:
            self.removed.append((self.kept_at[at], Boilerplate(rules.PAGE_CHROME, self.kept[at])))
        self.kept, self.kept_at = self.kept[first:end], self.kept_at[first:end]

    def _read_also(self, index: int, inline: str) -> int:
        end = index + 1
        if inline:
            while end < len(self.paragraphs) and rules.bullet_or_link(self.paragraphs[end]):
                end += 1
        elif self.story_ended:
            # The aggregator appended a whole unrelated article: it runs to the next block.
            while end < len(self.paragraphs) and not _block_boundary(self.paragraphs[end]):
                end += 1
        else:
            # Mid-story marker: only the linked headline(s) under it, never the story's own prose.
            headline_taken = False
            while end < len(self.paragraphs) and end - index <= LIST_MAX_ITEMS:
                following = self.paragraphs[end]
                if rules.bullet_or_link(following):
                    end += 1
                elif not headline_taken and rules.list_item(following) and not _block_boundary(following):
                    headline_taken = True
                    end += 1
                else:
                    break
        self.removed.append((index, Boilerplate(rules.READ_ALSO, "\n".join(self.paragraphs[index:end]))))
        return end

    def _list(self, index: int, kind: str, max_words: int) -> int:
        end = index + 1
        bulleted: bool | None = None  # a list keeps one style: bullets, or plain headline lines
        while end < len(self.paragraphs) and end - index <= LIST_MAX_ITEMS:
            item = self.paragraphs[end]
            is_bullet = rules.bullet_or_link(item)
            if bulleted is None:
                bulleted = is_bullet
            if _block_boundary(item) or is_bullet != bulleted or not rules.list_item(item, max_words):
                break
            end += 1
        self.removed.append((index, Boilerplate(kind, "\n".join(self.paragraphs[index:end]))))
        return end

    def _tweet(self, index: int, signature: tuple[int, int]) -> int:
        line = self.paragraphs[index]
        start, end = signature  # end == len(line): see _split_after_tweet_signature
        parts = []
        starts_at = index
        same_line_text = line[:start].strip()
        if same_line_text:
            parts.append(same_line_text)
        elif self.kept and self.kept_at[-1] == index - 1 and rules.tweet_text(self.kept[-1]):
            # Twitter's embed puts the tweet text in its own paragraph just above the signature.
            parts.append(self.kept.pop())
            starts_at = self.kept_at.pop()
        parts.append(line[start:end].strip())
        self.removed.append((starts_at, Boilerplate(rules.EMBEDDED_TWEET, "\n".join(parts))))
        return index + 1

    def _cut_dateline(self, lead: str, index: int) -> str:
        cut = rules.dateline_prefix_end(lead)
        if not cut:
            return lead
        self.removed.append((index, Boilerplate(rules.DATELINE, lead[:cut].strip())))
        return lead[cut:]


def _block_boundary(line: str) -> bool:
    """A line that starts a new boilerplate block (ends an appended article or a list)."""
    return (
        rules.read_also_marker(line)[0]
        or rules.list_header(line)[0]
        or rules.tags_line(line)[0]
        or rules.source_line(line)
        or rules.share_line(line)
    )


def _title_key(text: str) -> str:
    return rules.normalized(text).strip(_TITLE_PUNCTUATION)


def _repeat_key(line: str) -> str:
    # Keyed without a dateline prefix, so a lead that loses its prefix stays unique on a re-clean.
    return rules.normalized(line[rules.dateline_prefix_end(line) :])


def _repeated_short_lines(paragraphs: list[str]) -> frozenset[str]:
    counts = Counter(
        _repeat_key(line)
        for line in paragraphs
        if len(line) <= REPEATED_LINE_MAX_CHARS and not rules.bullet_or_link(line)
    )
    return frozenset(key for key, count in counts.items() if count > 1)
