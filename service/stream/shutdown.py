"""A worker that stops within NEWSWIRE_SHUTDOWN_TIMEOUT, even when its broker is gone.

Faust's stop commits offsets, flushes the producer and leaves the group; with no broker to answer,
each of those retries forever, so a worker told to stop (SIGTERM, SIGINT, or a crash) stayed up
stuck in shutdown. From the moment a stop begins a timer runs; if the clean stop has not finished
when it fires, the process logs why and exits with code 1. What a clean stop would have committed
is then replayed on the next start (at-least-once), and the RocksDB table keeps its write-ahead log.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Any

from faust.worker import Worker

logger = logging.getLogger(__name__)
EXIT_SHUTDOWN_TIMED_OUT = 1


class BoundedShutdownWorker(Worker):  # type: ignore[misc]  # faust is untyped
    def __init__(self, *args: Any, shutdown_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shutdown_timeout = shutdown_timeout
        self._watchdog: threading.Timer | None = None

    def _schedule_shutdown(self, sig: signal.Signals) -> None:
        self._arm_watchdog(f"signal {sig.name}")
        super()._schedule_shutdown(sig)

    def stop_and_shutdown(self) -> None:
        self._arm_watchdog("worker stopping")
        super().stop_and_shutdown()

    def _arm_watchdog(self, why: str) -> None:
        if self._watchdog is not None:
            return
        self._watchdog = threading.Timer(self._shutdown_timeout, _give_up, args=(why, self._shutdown_timeout))
        self._watchdog.daemon = True
        self._watchdog.start()


def _give_up(why: str, timeout: float) -> None:
    logger.error(
        "shutdown did not finish in time (is the broker gone?); exiting without it",
        extra={"cause": why, "shutdown_timeout_seconds": timeout},
    )
    for handler in logging.getLogger().handlers:
        handler.flush()
    os._exit(EXIT_SHUTDOWN_TIMED_OUT)
