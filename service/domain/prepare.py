"""Ingest's pure part: a validated Article → Staged (cleaned text, language, fingerprint)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from service.domain.cleaning.cleaner import clean
from service.domain.dedup.fingerprint import fingerprint
from service.domain.messages import Origin, Staged
from service.domain.records import Article, CleanedText

DetectLanguage = Callable[[str], str]


def prepare(article: Article, origin: Origin, received_at: float, detect_language: DetectLanguage) -> Staged:
    cleaned = clean(article.body, article.title)
    # A body that is all boilerplate keeps its raw text: better an odd article than a silent drop.
    text = cleaned.text or article.body.strip()
    lang = article.lang or detect_language(text)
    return Staged(
        # Without its body: the raw bytes already travel in `origin` (for dead letters) and later stages use
        # the cleaned text, so a third copy would only grow the internal topics and the worker's buffers.
        article=replace(article, body=""),
        cleaned=CleanedText(text, cleaned.boilerplate),
        lang=lang,
        received_at=received_at,
        origin=origin,
        fingerprint=fingerprint(text).to_bytes(),
    )
