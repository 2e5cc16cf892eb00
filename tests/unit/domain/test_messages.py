"""The records the global dedup stage sees: small, and they round-trip."""

from __future__ import annotations

import pytest

from service.domain.dedup.fingerprint import fingerprint
from service.domain.verdicts import DedupRequest, DedupVerdict

LONG_ARTICLE = " ".join(f"word{n} and more words of a long wire story" for n in range(2000))


def test_a_dedup_request_round_trips_and_stays_well_under_a_kilobyte_for_any_article() -> None:
    request = DedupRequest("reuters-2026-12-01-" + "x" * 40, fingerprint(LONG_ARTICLE).to_bytes(), 1_790_000_000.5)
    data = request.to_bytes()
    assert DedupRequest.from_bytes(data) == request
    assert len(data) < 800


def test_a_truncated_request_is_rejected_with_its_size() -> None:
    with pytest.raises(ValueError, match="at least 10 bytes"):
        DedupRequest.from_bytes(b"\x00\x01")


def test_verdicts_round_trip_and_a_failure_names_its_own_cluster() -> None:
    copy = DedupVerdict("b", "a", duplicate_of="a", similarity=0.8, method="near")
    assert DedupVerdict.from_dict(copy.to_dict()) == copy
    failed = DedupVerdict.failed("c", "dedup: boom")
    assert (failed.cluster_id, failed.duplicate_of, failed.failure) == ("c", None, "dedup: boom")
