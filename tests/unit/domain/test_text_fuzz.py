"""Fuzzing the text stages: any text at all is cleaned, fingerprinted and mined for claims without a crash.

A crash here would turn a legitimate article into a `processing_error` dead letter (found: ", ,told").
"""

from __future__ import annotations

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


@settings(max_examples=1500, deadline=None)
@given(any_text, st.sampled_from(["ar", "en", "fr", ""]))
def test_text_stages_never_crash(text: str, lang: str) -> None:
    cleaned = clean(text)
    fingerprint(cleaned.text)
    entities = backend.entities([cleaned.text], lang)[0]
    for entity in entities:
        assert cleaned.text[entity.start : entity.end] == entity.text
    for claim in extract_claims(cleaned.text, lang, entities):
        assert 0 <= claim.start < claim.end <= len(cleaned.text)
