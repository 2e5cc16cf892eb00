"""glibc's mmap threshold is pinned in the worker (the soak benchmark measures the effect on RSS)."""

from __future__ import annotations

import platform

import pytest

from service.stream.malloc_tuning import keep_large_allocations_returnable


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt thresholds are glibc's")
def test_glibc_accepts_the_pinned_thresholds() -> None:
    assert keep_large_allocations_returnable() is True
