"""Fuzzing the ingest path: any bytes at all give an Article or a Rejection with a known reason."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.ingest import REASONS, Rejection, parse_raw
from service.domain.records import Article

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
raw_articles = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values, "body": st.text(max_size=200) | json_values, "lang": st.text(max_size=4) | json_values,
        "published_at": st.text(max_size=30) | json_values, "title": json_values, "url": json_values,
    },
).map(orjson.dumps)  # fmt: skip


def check(value: bytes) -> None:
    result = parse_raw(value, 2048)
    if isinstance(result, Rejection):
        assert result.reason in REASONS and result.detail
    else:
        assert isinstance(result, Article) and result.body.strip() and result.id


@settings(max_examples=3000, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes(value: bytes) -> None:
    check(value)


@settings(max_examples=3000, deadline=None)
@given(raw_articles)
def test_article_shaped_objects(value: bytes) -> None:
    check(value)
