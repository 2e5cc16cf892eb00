"""Stanza NER backend: one pipeline per language, loaded from `stanza.download`'s layout.

The layout is `DIR/resources.json` + `DIR/LANG/PROCESSOR/PACKAGE.pt`; resources.json says
which package each processor uses and what it depends on (the NER word-vector "pretrain",
charlms). The tiny test models under tests/models/stanza use the same layout, so tests run
this exact loading code. stanza/torch are imported inside functions only (slow imports).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from service.adapters.nlp.port import Analysis, NlpBackend, no_pipeline
from service.domain.claims.common import ParsedSentence, ParsedToken
from service.domain.entities.mentions import (
    ARABIC_CLITIC_PREFIXES,
    map_label,
    merge_mentions,
    normalise_surface,
    strip_span,
    trim_arabic_clitics,
)
from service.domain.records import Entity, Mention

logger = logging.getLogger(__name__)

BASE_PROCESSORS = ("tokenize", "mwt", "ner")
# Loaded too when the model directory has all three (`newswire models download` fetches them): the claims'
# speaker is then the parser's subject of the cue verb. Without them the rule path stands alone.
PARSE_PROCESSORS = ("pos", "lemma", "depparse")
BATCH_SIZE = 256  # mwt only where the language's package has one
_CLITIC_WORDS = frozenset(ARABIC_CLITIC_PREFIXES)
_SPLIT_ON_CONJUNCTION = frozenset({"PER", "LOC"})  # "نتانياهو وبايدن" is two people


def default_stanza_dir() -> str:
    from stanza.resources.common import DEFAULT_MODEL_DIR

    return str(DEFAULT_MODEL_DIR)


def _read_resources(model_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((model_dir / "resources.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def pipeline_packages(resources: dict[str, Any], lang: str) -> dict[str, str]:
    """processor → package name for `lang`'s default package (only the processors we run)."""
    default = _default_packages(resources, lang)
    return {p: default[p] for p in BASE_PROCESSORS if p in default}


def _default_packages(resources: dict[str, Any], lang: str) -> dict[str, str]:
    entry = resources.get(lang, {})
    return dict(entry.get("packages", {}).get("default") or entry.get("default_processors", {}))


def required_model_files(resources: dict[str, Any], lang: str, model_dir: Path) -> list[Path]:
    packages = pipeline_packages(resources, lang)
    if "tokenize" not in packages or "ner" not in packages:
        return [model_dir / lang / "tokenize" / "default.pt", model_dir / lang / "ner" / "default.pt"]
    return _model_files(resources, lang, model_dir, packages)


def parse_packages(resources: dict[str, Any], lang: str, model_dir: Path) -> dict[str, str]:
    """pos/lemma/depparse packages for `lang` if every one of their files is on disk, else {}."""
    default = _default_packages(resources, lang)
    packages = {p: default[p] for p in PARSE_PROCESSORS if p in default}
    if len(packages) != len(PARSE_PROCESSORS):
        return {}
    files = _model_files(resources, lang, model_dir, packages)
    return packages if all(f.is_file() for f in files) else {}


def _model_files(resources: dict[str, Any], lang: str, model_dir: Path, packages: dict[str, str]) -> list[Path]:
    files = []
    for processor, package in packages.items():
        files.append(model_dir / lang / processor / f"{package}.pt")
        for dependency in resources[lang].get(processor, {}).get(package, {}).get("dependencies", []):
            files.append(model_dir / lang / dependency["model"] / f"{dependency['package']}.pt")
    return files


def missing_model_files(langs: Sequence[str], stanza_dir: str | None) -> list[str]:
    """Paths (as strings) that a pipeline for every language in `langs` needs but lacks."""
    model_dir = Path(stanza_dir or default_stanza_dir())
    resources = _read_resources(model_dir)
    if resources is None:
        return [str(model_dir / "resources.json")]
    missing = []
    for lang in langs:
        missing += [str(f) for f in required_model_files(resources, lang, model_dir) if not f.is_file()]
    return missing


class StanzaNlp(NlpBackend):
    name = "stanza"

    def __init__(self, langs: Sequence[str], stanza_dir: str | None) -> None:
        import stanza
        from stanza.pipeline.core import DownloadMethod

        from service.adapters.nlp.gazetteer import load_gazetteer

        model_dir = Path(stanza_dir or default_stanza_dir())
        resources = _read_resources(model_dir) or {}
        self._known_arabic = load_gazetteer().ar.known_words
        self._pipelines: dict[str, Any] = {}
        self._describe: dict[str, dict[str, object]] = {}
        for lang in langs:
            packages = pipeline_packages(resources, lang) | parse_packages(resources, lang, model_dir)
            self._pipelines[lang] = stanza.Pipeline(
                lang,
                dir=str(model_dir),
                processors=",".join(packages),
                download_method=DownloadMethod.NONE,  # a worker never downloads
                logging_level="WARN",
                # Bigger batches than stanza's 32: a call usually carries many articles.
                tokenize_batch_size=BATCH_SIZE,
                ner_batch_size=BATCH_SIZE,
            )
            self._describe[lang] = {
                "backend": "stanza",
                "lang": lang,
                "stanza_version": stanza.__version__,
                "models": packages,
            }

    def describe(self, lang: str) -> dict[str, object]:
        return dict(self._describe.get(lang) or no_pipeline(lang))

    def entities(self, texts: Sequence[str], lang: str) -> list[list[Entity]]:
        return [analysis.entities for analysis in self.analyse(texts, lang)]

    def analyse(self, texts: Sequence[str], lang: str) -> list[Analysis]:
        pipeline = self._pipelines.get(lang)
        results: list[Analysis] = [Analysis([]) for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if pipeline is None or not todo:
            return results
        import stanza

        documents = pipeline([stanza.Document([], text=texts[i]) for i in todo])
        for index, document in zip(todo, documents, strict=True):
            mentions = document_mentions(document, texts[index], lang, self._known_arabic)
            results[index] = Analysis(merge_mentions(texts[index], mentions), document_parses(document))
        return results


def document_parses(document: Any) -> list[ParsedSentence]:
    """A stanza Document's dependency parse, offsets into its text; [] when it was not parsed.

    Words inside an Arabic multi-word token have no offsets of their own: they take their token's.
    """
    parses = []
    for sentence in document.sentences:
        tokens = []
        for word in sentence.words:
            if word.head is None or not word.deprel:
                return []
            start, end = word.start_char, word.end_char
            if start is None or end is None:
                start, end = word.parent.start_char, word.parent.end_char
            tokens.append(ParsedToken(word.text, start, end, word.head, word.deprel, word.upos or ""))
        parses.append(ParsedSentence(tuple(tokens)))
    return parses


def document_mentions(document: Any, text: str, lang: str, known_words: frozenset[str]) -> list[Mention]:
    """Entity spans of a tagged stanza Document as Mentions with offsets into `text`."""
    spans: list[tuple[list[Any], str]] = []
    for sentence in document.sentences:
        for entity in sentence.ents:
            pieces = _split_coordinated(entity.tokens, entity.type, lang, known_words)
            spans += [(piece, entity.type) for piece in pieces]
    entity_words = Counter(normalise_surface(t.text) for tokens, _ in spans for t in tokens)
    mentions = []
    for tokens, fine_label in spans:
        label = map_label(fine_label)
        if label is None:
            continue
        start, end = _start_after_clitic_words(tokens[0]), tokens[-1].end_char
        if lang == "ar" and len(tokens[0].words) == 1:
            start, end = trim_arabic_clitics(text, start, end, _known(tokens[0].text, entity_words, known_words))
        start, end = strip_span(text, start, end)
        if start < end:
            mentions.append(Mention(start=start, end=end, label=label, fine_label=fine_label))
    return mentions


def _known(whole: str, entity_words: Counter[str], known_words: frozenset[str]) -> Callable[[str], bool]:
    """A word is known if the gazetteer has it or another entity token of the text is it."""
    whole_key = normalise_surface(whole)

    def known(word: str) -> bool:
        key = normalise_surface(word)
        return key in known_words or entity_words[key] - (key == whole_key) > 0

    return known


def _start_after_clitic_words(token: Any) -> int:
    """With MWT, "وبايدن" is the words و + بايدن: start at the first word that is not a clitic."""
    start = int(token.start_char)
    words = list(token.words)
    if len(words) < 2:
        return start
    for word in words:
        if word.text not in _CLITIC_WORDS:
            return int(word.start_char) if word.start_char is not None else start
    return start


def _split_coordinated(
    tokens: Sequence[Any], fine_label: str, lang: str, known_words: frozenset[str]
) -> list[list[Any]]:
    """Split "X وY" (PER/LOC only) at a token that is conjunction + word: the MWT expanded it
    so, or (no expansion) the word after و is a known name and the whole token is not."""
    if lang != "ar" or map_label(fine_label) not in _SPLIT_ON_CONJUNCTION:
        return [list(tokens)]
    pieces: list[list[Any]] = [[tokens[0]]]
    for token in tokens[1:]:
        words = list(token.words)
        key = normalise_surface(token.text)
        expanded = len(words) > 1 and words[0].text in ("و", "ف")
        guessed = len(words) == 1 and key[:1] == "و" and key[1:] in known_words and key not in known_words
        if expanded or guessed:
            pieces.append([token])
        else:
            pieces[-1].append(token)
    return pieces
