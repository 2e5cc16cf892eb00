"""A pause after an empty fetch, for brokers that do not hold fetches (the embedded noida-db).

Kafka holds a fetch request until data arrives or fetch.max.wait.ms passes (faust_consumer.py).
noida-db answers at once, so aiokafka's fetcher loops on empty responses: an idle worker spent
~80% of a core in its consumer thread, and under load that thread competes for the GIL with the
event loop that does the work. Pausing a few milliseconds after an EMPTY response stops the spin;
a response with records is followed by the next fetch at once, as before. Against Kafka the
pause only ever follows a held fetch (faust_consumer.FETCH_MAX_WAIT_MS, 50 ms), so it adds little
there; NEWSWIRE_EMPTY_FETCH_PAUSE_MS=0 turns it off.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiokafka.consumer.fetcher import Fetcher

_ORIGINAL = Fetcher._proc_fetch_request


def install(pause_seconds: float) -> None:
    """Make every aiokafka consumer in this process pause `pause_seconds` after an empty fetch."""
    if pause_seconds <= 0:
        Fetcher._proc_fetch_request = _ORIGINAL  # type: ignore[method-assign]
        return

    async def fetch_then_pause_if_empty(self: Fetcher, assignment: Any, node_id: int, request: Any) -> bool:
        has_new_data: bool = await _ORIGINAL(self, assignment, node_id, request)
        if not has_new_data:
            with contextlib.suppress(asyncio.CancelledError):  # aiokafka's own contract: a fetch task
                await asyncio.sleep(pause_seconds)  # cancelled by close() or unassignment just ends
        return has_new_data

    Fetcher._proc_fetch_request = fetch_then_pause_if_empty  # type: ignore[method-assign]
