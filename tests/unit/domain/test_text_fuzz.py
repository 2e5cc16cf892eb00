"""Fuzzing the text stages: any text at all is cleaned, fingerprinted and mined for claims without a crash.

A crash here would turn a legitimate article into a `processing_error` dead letter (found: ", ,told";
an Arabic text cut right after "أعلن المتحدث باسم الوزارة"). Scraped pages are cut off anywhere, so
our own news-like texts (samples/, the claims set) are also cut at every kind of point.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from service.adapters.nlp.fallback import FallbackNlp
from service.domain.claims.extract import extract_claims
from service.domain.cleaning.cleaner import clean
from service.domain.dedup.fingerprint import fingerprint

WORDS = ["قال", "وقال", "إن", "أن", "وفق", "بحسب", "ماتني", "said", "told", "that", "according", "to", "The",
         "official", "who", "which", ",", ".", '"', "«", "»", "“", "”", ":", "-", "\n", "\n\n", "المصدر:",
         "إقرأ أيضاً:", "Read more:", "—", "(@axios)", "https://t.co/x", "١٢", "2024"]  # fmt: skip
news_like = st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=60).map(" ".join)
any_text = news_like | st.text(max_size=300)
backend = FallbackNlp(["ar", "en"])
ROOT = Path(__file__).resolve().parents[3]


def _own_texts() -> list[tuple[str, str]]:
    texts = [(json.loads(line)["text"], json.loads(line)["lang"])
             for line in (ROOT / "tests/data/claims/dev.jsonl").read_text(encoding="utf-8").splitlines() if line]
    for path in sorted((ROOT / "samples").glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        texts.append((article["body"], article.get("lang") or "ar"))
    return texts


OWN_TEXTS = _own_texts()


@settings(max_examples=1500, deadline=None)
@given(any_text, st.sampled_from(["ar", "en", "fr", ""]))
def test_text_stages_never_crash(text: str, lang: str) -> None:
    _run_text_stages(text, lang)


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(OWN_TEXTS), st.floats(0.0, 1.0))
def test_news_texts_cut_at_any_point_never_crash(text_and_lang: tuple[str, str], where: float) -> None:
    text, lang = text_and_lang
    _run_text_stages(text[: round(where * len(text))], lang)


def _run_text_stages(text: str, lang: str) -> None:
    cleaned = clean(text)
    fingerprint(cleaned.text)
    entities = backend.entities([cleaned.text], lang)[0]
    for entity in entities:
        assert cleaned.text[entity.start : entity.end] == entity.text
    for claim in extract_claims(cleaned.text, lang, entities):
        assert 0 <= claim.start < claim.end <= len(cleaned.text)

