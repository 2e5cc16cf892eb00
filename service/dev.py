"""`newswire dev`: embedded broker + topics + worker + feed + a readable view of what comes out.

On exit, Ctrl-C, SIGTERM or an error the worker is stopped first (SIGTERM, then SIGKILL once its
own shutdown timeout has passed), then the broker: a worker never outlives its broker, and nothing
is left 15 s after the signal. Both children also get SIGTERM from the kernel if this process dies.

The embedded broker speaks plaintext on loopback: NEWSWIRE_SECURITY_PROTOCOL and the SASL/SSL
settings are for an existing cluster and do not apply here.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from service.adapters.child_process import die_with_parent, free_port, port_open, stop_process
from service.adapters.kafka.admin import ensure_topics
from service.adapters.kafka.connection import Connection
from service.adapters.kafka.embedded import EmbeddedBroker
from service.adapters.kafka.io import consume, end_offsets, produce
from service.config import KafkaSecurity, Settings
from service.feed_files import records_from_paths
from service.stream.app import topic_specs
from service.summary import Summary

DEV_ROOT = Path(".newswire")
WORKER_STOP_MARGIN = 2.0  # seconds past the worker's own shutdown timeout before SIGKILL


def run_dev(settings: Settings, feed: Sequence[str], exit_when_idle: float | None, broker_port: int | None) -> int:
    root = DEV_ROOT.absolute()
    port = broker_port or _preferred_port(settings.broker)
    web_port = settings.web_port if not port_open(settings.web_port) else free_port()
    broker = EmbeddedBroker(root / "broker", port, log_path=root / "broker.log")
    worker: subprocess.Popen[bytes] | None = None
    if settings.security.protocol != "PLAINTEXT":
        print("newswire dev: the embedded broker speaks PLAINTEXT; NEWSWIRE_SECURITY_PROTOCOL is ignored here")
    settings = replace(settings, broker=broker.url, security=KafkaSecurity())
    print(f"newswire dev: starting the embedded broker on {broker.url} (data in {root / 'broker'})", flush=True)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # SIGTERM stops like Ctrl-C: through the finally below
    try:
        broker.start()
        asyncio.run(ensure_topics(Connection.of(settings), topic_specs(settings)))
        worker = _start_worker(settings, root, web_port)
        print(f"newswire dev: broker pid {broker.pid}, worker pid {worker.pid}, http://127.0.0.1:{web_port}/metrics,"
              f" log {root / 'worker.log'}", flush=True)  # fmt: skip
        if not _wait_ready(worker, web_port):
            print(f"newswire dev: the worker did not become ready; see {root / 'worker.log'}", flush=True)
            return 1
        return asyncio.run(_feed_and_watch(settings, feed, exit_when_idle, worker))
    except KeyboardInterrupt:
        print("\nnewswire dev: interrupted, stopping", flush=True)
        return 130
    finally:
        _stop_children(worker, broker, settings.shutdown_timeout_seconds)
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: Any) -> None:
    """SIGTERM as Ctrl-C. Inside asyncio.run, SIGINT's handler cancels the main task, which then ends
    in KeyboardInterrupt; raising it here instead could land in a __del__ and be lost ("Exception
    ignored in ..."): dev then ran on until killed, and its worker outlived the broker."""
    on_interrupt = signal.getsignal(signal.SIGINT)
    if callable(on_interrupt):
        on_interrupt(signal.SIGINT, frame)
        return
    raise KeyboardInterrupt


def _stop_children(worker: subprocess.Popen[bytes] | None, broker: EmbeddedBroker, worker_timeout: float) -> None:
    """The worker first (it still has a broker to commit to), then the broker; a second signal cannot cut this short."""
    handlers = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        stop_process(worker, worker_timeout + WORKER_STOP_MARGIN)
        broker.stop()
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


async def _feed_and_watch(
    settings: Settings, feed: Sequence[str], exit_when_idle: float | None, worker: subprocess.Popen[bytes]
) -> int:
    outputs = settings.topics.outputs()
    connection = Connection.of(settings)
    start = await end_offsets(connection, outputs)  # show only what this run produces
    records = records_from_paths(feed)
    if records:
        sent = await produce(connection, settings.topics.raw, records)
        print(f"newswire dev: fed {sent} records from {', '.join(feed)} to {settings.topics.raw}", flush=True)
    summary = Summary(settings.topics)
    started = time.monotonic()
    async for record in consume(connection, outputs, start=start, idle_seconds=exit_when_idle):
        print(summary.add(record.topic, record.key, record.value), flush=True)
        if worker.poll() is not None:
            print(f"newswire dev: the worker exited with code {worker.returncode}", flush=True)
            return 1
    print(summary.render(fed=len(records), seconds=time.monotonic() - started), flush=True)
    return 0 if summary.counts or not records else 1


def _start_worker(settings: Settings, root: Path, web_port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSWIRE_SASL_", "NEWSWIRE_SSL_"))}
    env.update(
        NEWSWIRE_SECURITY_PROTOCOL="PLAINTEXT",
        NEWSWIRE_BROKER=settings.broker,
        NEWSWIRE_WEB_PORT=str(web_port),
        NEWSWIRE_WEB_BIND="127.0.0.1",
        NEWSWIRE_DATA_DIR=os.environ.get("NEWSWIRE_DATA_DIR") or str(root / "worker"),
    )
    log = (root / "worker.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=die_with_parent,
    )


def _wait_ready(worker: subprocess.Popen[bytes], web_port: int, timeout: float = 180.0) -> bool:
    """Feed only once the worker consumes, so a slow start never counts as idle output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and worker.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/readyz", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:  # not listening yet, or 503 while models load
            pass
        time.sleep(0.25)
    return False


def _preferred_port(broker_url: str) -> int:
    """The port of NEWSWIRE_BROKER when it is free on loopback, else any free port."""
    port = urlsplit(broker_url.split(";")[0]).port or 9092
    return port if not port_open(port) else free_port()
