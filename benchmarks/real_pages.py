"""The real-news development corpus: committed labels, a local cache of the page text.

    .venv/bin/python benchmarks/real_pages.py status            # what is cached, what is missing, hashes checked
    .venv/bin/python benchmarks/real_pages.py ingest FILE...    # store the pages of saved `pages` search responses
    .venv/bin/python benchmarks/real_pages.py store URL FILE    # store one page's text if it has the committed hash
    .venv/bin/python benchmarks/real_pages.py show URL          # print a cached page
    .venv/bin/python benchmarks/real_pages.py fill GROUP.json   # write each page's sha256 from the cache, check fields
    .venv/bin/python benchmarks/real_pages.py todo              # the queries to run to rebuild what is missing
    .venv/bin/python benchmarks/real_pages.py annotate WORK.json GROUP   # string annotations -> committed offsets
    .venv/bin/python benchmarks/real_pages.py compare URL URL   # sentence by sentence: how much text two pages share

The page text is third-party: it never enters git. `benchmarks/realdev/groups/*.json` hold what we
wrote (queries, URLs, labels, sha256 of each text, notes); the text lives in a cache outside the
repo (`NEWSWIRE_REALDEV_CACHE`, default `~/.cache/newswire/realdev`). The cache is rebuilt by
running each group's queries through the `pages` corpus of the workplace search tool, saving each
response as JSON (`{"query": ..., "results": [{"url": ..., "excerpt": ...}, ...]}`) and ingesting
it; `status` then checks every page against its committed hash. See benchmarks/realdev/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ROOT / "benchmarks" / "realdev" / "groups"
ANNOTATIONS = ROOT / "benchmarks" / "realdev" / "annotations"
# A second annotator's labels, made blind (realdev/README.md): the page field each file holds.
SECOND_LABELS = {"event": ROOT / "benchmarks" / "realdev" / "events_second.json",
                 "text_id": ROOT / "benchmarks" / "realdev" / "texts_second.json"}
LABELS = ("original", "copy", "rewrite", "other")
SPLITS = ("dev", "heldout")
LANGS = ("ar", "en")


def cache_dir() -> Path:
    configured = os.environ.get("NEWSWIRE_REALDEV_CACHE")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "newswire" / "realdev"


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_path(url: str) -> Path:
    return cache_dir() / "pages" / f"{url_key(url)}.txt"


def cached_text(url: str) -> str | None:
    path = page_path(url)
    return path.read_text(encoding="utf-8") if path.exists() else None


@dataclass(frozen=True)
class Page:
    group: str
    url: str
    lang: str
    label: str  # relative to the group's original: original / copy / rewrite / other
    text_id: str  # pages with the same text_id carry the same underlying text (syndicated copies)
    event: str  # pages with the same event report the same happening, in any language
    sha256: str
    query: str
    notes: str

    @property
    def topic(self) -> str:
        """The group's topic: a topic has a group per language, named `<topic>-<lang>`."""
        return self.group.rsplit("-", 1)[0]

    def text(self) -> str | None:
        text = cached_text(self.url)
        return text if text is not None and text_hash(text) == self.sha256 else None


def group_files(splits: Iterable[str] = SPLITS) -> list[Path]:
    """The group files of the given splits: `dev` (groups/*.json, what the rules and thresholds
    were written on) and `heldout` (groups/heldout/*.json, labelled later and only scored)."""
    return [path for split in splits for path in sorted((GROUPS if split == "dev" else GROUPS / split).glob("*.json"))]


def load_group(path: Path) -> dict[str, Any]:
    group: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return group


def iter_pages(splits: Iterable[str] = ("dev",)) -> Iterator[Page]:
    for path in group_files(splits):
        group = load_group(path)
        for page in group["pages"]:
            yield Page(
                group=group["group"],
                url=page["url"],
                lang=page["lang"],
                label=page["label"],
                text_id=page["text_id"],
                event=page["event"],
                sha256=page.get("sha256", ""),
                query=group["queries"][page["query"]],
                notes=page.get("notes", ""),
            )


def second_labels(field: str) -> dict[str, str]:
    """url → the second annotator's `event` or `text_id` (names unique across topics)."""
    pages = json.loads(SECOND_LABELS[field].read_text(encoding="utf-8"))["pages"]
    return {url: str(entry[field]) for url, entry in pages.items()}


def agreement(pairs: Iterable[tuple[str, bool, bool]]) -> dict[str, Any]:
    """Two labellings compared pair by pair: (kind, ours together, theirs together) per pair →
    per kind the pairs each puts together, Cohen's kappa, and theirs as precision and recall
    against ours."""
    c = Counter(pairs)
    out: dict[str, Any] = {}
    for kind in dict.fromkeys(kind for kind, _, _ in c):
        both, ours, theirs, neither = (c[kind, x, y] for x, y in ((True, True), (True, False), (False, True),
                                                                   (False, False)))  # fmt: skip
        total = both + ours + theirs + neither
        observed, p_ours, p_theirs = (both + neither) / total, (both + ours) / total, (both + theirs) / total
        chance = p_ours * p_theirs + (1 - p_ours) * (1 - p_theirs)
        out[kind] = {"pairs": total, "together_both": both, "only_ours": ours, "only_second": theirs,
                     "kappa": round((observed - chance) / (1 - chance), 3) if chance < 1 else None,
                     "second_precision": round(both / (both + theirs), 3) if both + theirs else None,
                     "second_recall": round(both / (both + ours), 3) if both + ours else None}  # fmt: skip
    return out


def ingest(files: list[Path]) -> None:
    """Store every result of saved search responses, and remember which query found each URL.

    A page already cached with its committed hash is never overwritten, and when a response holds
    one URL twice with different texts (it happens), the text with the committed hash wins.
    """
    pages = cache_dir() / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    committed = {page.url: page.sha256 for page in iter_pages(SPLITS)}
    log = cache_dir() / "found_by.jsonl"
    seen: set[tuple[str, str]] = set()
    stored = 0
    with log.open("a", encoding="utf-8") as found_by:
        for file in files:
            response = json.loads(file.read_text(encoding="utf-8"))
            for result in response.get("results", []):
                url, excerpt = result["url"], result["excerpt"]
                path = page_path(url)
                old = path.read_text(encoding="utf-8") if path.exists() else None
                if old is not None and text_hash(old) == committed.get(url) and old != excerpt:
                    continue  # the committed text is already here
                if old is not None and old != excerpt:
                    print(f"changed since cached, kept the new text: {url}", file=sys.stderr)
                path.write_text(excerpt, encoding="utf-8")
                stored += 1
                query = response.get("query", "")
                if (url, query) not in seen:
                    seen.add((url, query))
                    found_by.write(json.dumps({"url": url, "query": query}, ensure_ascii=False) + "\n")
    print(f"stored {stored} pages in {pages}")


def store(url: str, text_file: Path) -> int:
    """Store one page's text, copied by hand from a `pages` search response, only if it has the
    committed sha256 (a copy that lost a quote or a line break is refused, to be copied again).
    The file may end with one newline that the page does not have (editors add it)."""
    page = next((page for page in iter_pages(SPLITS) if page.url == url), None)
    if page is None:
        print(f"not a page of any group: {url}", file=sys.stderr)
        return 1
    text = text_file.read_text(encoding="utf-8")
    candidates = [text, text.removesuffix("\n")]
    matching = [candidate for candidate in candidates if text_hash(candidate) == page.sha256]
    if not matching:
        print(f"hash mismatch ({len(text)} characters): not the page as the response holds it: {url}",
              file=sys.stderr)
        return 1
    path = page_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(matching[0], encoding="utf-8")
    with (cache_dir() / "found_by.jsonl").open("a", encoding="utf-8") as found_by:
        found_by.write(json.dumps({"url": url, "query": page.query}, ensure_ascii=False) + "\n")
    print(f"stored {url}")
    return 0


def check_group(path: Path, fill: bool) -> list[str]:
    """Problems of one group file; with fill, write the sha256 of each cached page first."""
    group = load_group(path)
    problems = []
    originals = [p for p in group["pages"] if p["label"] == "original"]
    if len(originals) != 1:
        problems.append(f"{path.name}: {len(originals)} pages labelled original (want 1)")
    seen = set()
    for page in group["pages"]:
        url = page["url"]
        if url in seen:
            problems.append(f"{path.name}: {url} listed twice")
        seen.add(url)
        if page.get("label") not in LABELS or page.get("lang") not in LANGS:
            problems.append(f"{path.name}: {url}: label must be one of {LABELS}, lang one of {LANGS}")
        if not isinstance(page.get("query"), int) or not 0 <= page["query"] < len(group["queries"]):
            problems.append(f"{path.name}: {url}: query must index the group's queries")
        for field in ("text_id", "event"):
            if not page.get(field):
                problems.append(f"{path.name}: {url}: {field} missing")
        text = cached_text(url)
        if fill and text is not None:
            page["sha256"] = text_hash(text)
        if text is None:
            problems.append(f"{path.name}: not cached: {url}")
        elif page.get("sha256") != text_hash(text):
            problems.append(f"{path.name}: hash differs from the cached text: {url}")
    if fill:
        path.write_text(json.dumps(group, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return problems


def status() -> int:
    pages = list(iter_pages(SPLITS))
    ok = [p for p in pages if p.text() is not None]
    by_lang = {lang: sum(p.lang == lang for p in pages) for lang in LANGS}
    by_label = {label: sum(p.label == label for p in pages) for label in LABELS}
    print(f"{len(group_files())} groups, {len(pages)} pages {by_lang}, labels {by_label}")
    print(f"cache {cache_dir()}: {len(ok)} of {len(pages)} pages present with the committed hash")
    problems = [problem for path in group_files() for problem in check_group(path, fill=False)]
    for problem in problems:
        print("  " + problem)
    return 0 if not problems else 1


def todo() -> None:
    """The distinct queries whose responses would restore the missing or changed pages, with those pages."""
    queries: dict[str, list[str]] = {}
    for page in iter_pages(SPLITS):
        if page.text() is None:
            queries.setdefault(page.query, []).append(page.url)
    for query, urls in queries.items():
        print(json.dumps({"query": query, "restores": urls}, ensure_ascii=False))
    print(f"{len(queries)} queries to run through the `pages` corpus", file=sys.stderr)


def _span(text: str, needle: str, after: int = 0) -> list[int]:
    """Offsets of needle in text (the first occurrence at or after `after`, else the first at all)."""
    start = text.find(needle, after)
    if start < 0:
        start = text.find(needle)
    if not needle or start < 0:
        raise ValueError(f"not in the page text: {needle[:60]!r}")
    return [start, start + len(needle)]


def annotate(work: Path, group: str, split: str = "dev") -> int:
    """Turn string annotations (kept in the cache, never committed) into offsets into the cached text.

    WORK.json: a list of {url, claims: [{speaker, cue, content (str or list of parts), kind, via?}],
    entities: [[surface, label], ...]}; each string must occur in the page text as cached.
    """
    out_dir = ANNOTATIONS if split == "dev" else ANNOTATIONS / split
    out_path = out_dir / f"{group}.json"
    done: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8")) if out_path.exists() else {}
    problems = 0
    for item in json.loads(work.read_text(encoding="utf-8")):
        text = cached_text(item["url"])
        if text is None:
            print(f"not cached: {item['url']}")
            problems += 1
            continue
        try:
            claims = []
            for claim in item.get("claims", []):
                parts = claim["content"] if isinstance(claim["content"], list) else [claim["content"]]
                content = [_span(text, part) for part in parts]
                claims.append({
                    "speaker": _span(text, claim["speaker"]),
                    "cue": _span(text, claim["cue"], max(0, content[0][0] - 400)),
                    "content": content,
                    "kind": claim["kind"],
                    "via": _span(text, claim["via"]) if claim.get("via") else None,
                })
            entities = [{"span": _span(text, surface), "label": label} for surface, label in item.get("entities", [])]
        except ValueError as error:
            print(f"{item['url']}: {error}")
            problems += 1
            continue
        done[item["url"]] = {"sha256": text_hash(text), "claims": claims, "entities": entities}
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(done, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(done)} pages annotated in {out_path}; {problems} problems")
    return 1 if problems else 0


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?؟])\s+|\n+")
_MARKS = re.compile("[\u064b-\u0652\u0640\u0670]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
SAME_SENTENCE_MAX_EDITS = 2  # a sentence is shared with up to max(2, 30% of its words) edited
SAME_SENTENCE_EDIT_SHARE = 0.3
COMPARED_SENTENCES = 12
PIECE_WORDS = 30
COPY_SHARE = 0.5  # a copy shares at least half of the shorter page's sentences


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", _MARKS.sub("", text)).translate(_FOLD).lower()
    return re.findall(r"\w+", text)


def _best_substring(sentence: list[str], text: list[str]) -> tuple[int, int]:
    """(word edits, end) of the run of `text` that `sentence` matches best (semi-global alignment)."""
    previous = [0] * (len(text) + 1)  # a match may start anywhere in text
    for i, word in enumerate(sentence, 1):
        current = [i] + [0] * len(text)
        for j, other in enumerate(text, 1):
            current[j] = min(previous[j - 1] + (word != other), previous[j] + 1, current[j - 1] + 1)
        previous = current
    edits = min(previous)  # and may end anywhere
    return edits, previous.index(edits)


def story_sentences(url: str) -> list[str]:
    """The opening sentences of a page's cleaned text (what dedup compares), 3 words or more."""
    sys.path.insert(0, str(ROOT))
    from service.domain.cleaning.cleaner import clean

    raw = cached_text(url)
    if raw is None:
        raise SystemExit(f"not cached: {url}")
    text = clean(raw).text or raw
    pieces: list[str] = []
    for sentence in _SENTENCE_SPLIT.split(text):
        # Run-on sentences are compared in pieces of up to PIECE_WORDS, cut after commas where they have them.
        piece: list[str] = []
        for word in sentence.split():
            piece.append(word)
            if len(piece) >= PIECE_WORDS or (len(piece) >= PIECE_WORDS // 2 and word[-1] in "،,"):
                pieces.append(" ".join(piece))
                piece = []
        pieces.append(" ".join(piece))
    return [s for s in pieces if len(_words(s)) >= 3][:COMPARED_SENTENCES]


def shared_sentences(own: list[str], other: list[str]) -> list[tuple[str, int, str]]:
    """Each sentence of `own` with its word edits to, and the text of, its best match in `other`."""
    other_words = _words(" ".join(other))
    found = []
    for sentence in own:
        words = _words(sentence)
        edits, end = _best_substring(words, other_words)
        found.append((sentence, edits, " ".join(other_words[max(0, end - len(words)) : end])))
    return found


def is_shared(sentence: str, edits: int) -> bool:
    return edits <= max(SAME_SENTENCE_MAX_EDITS, SAME_SENTENCE_EDIT_SHARE * len(_words(sentence)))


def shared_share(url_a: str, url_b: str) -> float:
    """The copy rule's measure: the larger share of one page's sentences that the other carries."""
    a, b = story_sentences(url_a), story_sentences(url_b)
    shares = [sum(is_shared(s, e) for s, e, _ in shared_sentences(own, other)) / len(own)
              for own, other in ((a, b), (b, a)) if own]
    return max(shares, default=0.0)


def compare(url_a: str, url_b: str) -> None:
    """Each sentence of each page, its word edits to its best match in the other, and that match."""
    pages = {"A": story_sentences(url_a), "B": story_sentences(url_b)}
    for name, other in (("A", "B"), ("B", "A")):
        rows = shared_sentences(pages[name], pages[other])
        print(f"== {name}: {len(rows)} sentences (edits/words, sentence || best match in {other})")
        for sentence, edits, match in rows:
            mark = "=" if is_shared(sentence, edits) else " "
            print(f" {mark}{edits:3d}/{len(_words(sentence)):3d}  {sentence[:110]}\n              || {match[:110]}")
        shared = sum(is_shared(s, e) for s, e, _ in rows)
        print(f"== {name}: {shared} of {len(rows)} sentences shared")


def audit() -> None:
    """Pairs of one group where the labels and the copy rule's measure disagree, to be looked at."""
    by_group: dict[str, list[Page]] = {}
    for page in iter_pages(SPLITS):
        if page.text() is not None:
            by_group.setdefault(page.group, []).append(page)
    for group, pages in by_group.items():
        for i, a in enumerate(pages):
            for b in pages[i + 1 :]:
                share = shared_share(a.url, b.url)
                same = a.text_id == b.text_id
                if same != (share >= COPY_SHARE):
                    verdict = "labelled same text, measure says apart" if same else "labelled apart, measure says copy"
                    print(f"{group}\t{share:.2f}\t{verdict}\t{a.label}:{a.url}\t{b.label}:{b.url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status")
    sub.add_parser("todo")
    ingest_cmd = sub.add_parser("ingest")
    ingest_cmd.add_argument("files", nargs="+", type=Path)
    store_cmd = sub.add_parser("store")
    store_cmd.add_argument("url")
    store_cmd.add_argument("text_file", type=Path)
    show_cmd = sub.add_parser("show")
    show_cmd.add_argument("url")
    fill_cmd = sub.add_parser("fill")
    fill_cmd.add_argument("groups", nargs="+", type=Path)
    annotate_cmd = sub.add_parser("annotate")
    annotate_cmd.add_argument("work", type=Path)
    annotate_cmd.add_argument("group")
    annotate_cmd.add_argument("--split", choices=("dev", "heldout"), default="dev",
                              help="heldout: pages kept out of rule writing, to report figures on")
    compare_cmd = sub.add_parser("compare")
    compare_cmd.add_argument("urls", nargs=2)
    sub.add_parser("audit")
    args = parser.parse_args()
    if args.command == "status":
        return status()
    if args.command == "todo":
        todo()
    elif args.command == "ingest":
        ingest(args.files)
    elif args.command == "store":
        return store(args.url, args.text_file)
    elif args.command == "show":
        text = cached_text(args.url)
        if text is None:
            print(f"not cached: {args.url}", file=sys.stderr)
            return 1
        print(text)
    elif args.command == "audit":
        audit()
    elif args.command == "compare":
        compare(*args.urls)
    elif args.command == "annotate":
        return annotate(args.work, args.group, args.split)
    elif args.command == "fill":
        problems = [problem for path in args.groups for problem in check_group(path, fill=True)]
        print("\n".join(problems) if problems else "ok")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
