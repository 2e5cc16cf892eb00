"""JSON log lines: one object per event, context from `extra` as top-level fields."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.logging_setup import configure_logging


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line]


def test_one_json_object_per_event_with_context(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    logging.getLogger("service.stream.agents").warning(
        "dedup failed for %s", "a-1", extra={"article_id": "a-1", "partition": 3, "path": Path("/x")}
    )
    [line] = lines(capsys)
    event = json.loads(line)
    assert event["level"] == "WARNING"
    assert event["logger"] == "service.stream.agents"
    assert event["msg"] == "dedup failed for a-1"
    assert event["article_id"] == "a-1"
    assert event["partition"] == 3
    assert event["path"] == "/x"  # not JSON-able values are written with str()
    assert event["ts"].endswith("Z") and "T" in event["ts"]
    assert "args" not in event and "levelno" not in event  # LogRecord internals stay out


def test_multiline_messages_and_tracebacks_stay_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        logging.getLogger("x").exception("failed:\nsee below", extra={"article_id": "عربي"})
    [line] = lines(capsys)
    event = json.loads(line)
    assert event["msg"] == "failed:\nsee below"
    assert "ValueError: bad" in event["exc"]
    assert event["article_id"] == "عربي"
    assert "عربي" in line  # kept readable, not \u-escaped


def test_level_filters_and_reconfiguring_does_not_duplicate_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("WARNING")
    configure_logging("warning")
    log = logging.getLogger("y")
    log.info("hidden")
    log.error("shown")
    assert [json.loads(line)["msg"] for line in lines(capsys)] == ["shown"]


def test_plain_text_mode_for_terminals(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("DEBUG", json=False)
    logging.getLogger("z").debug("hello")
    [line] = lines(capsys)
    assert line.endswith("DEBUG z: hello")


def test_unknown_level_is_rejected_with_the_choices() -> None:
    with pytest.raises(ValueError, match="DEBUG, INFO"):
        configure_logging("LOUD")


def test_per_logger_levels_after_the_root_level(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("WARNING,service.stream.agents=debug")
    try:
        logging.getLogger("service.stream.agents").debug("enrich batch", extra={"offsets": [(0, 1)]})
        logging.getLogger("service.stream.dedup_state").info("not shown")
    finally:
        logging.getLogger("service.stream.agents").setLevel(logging.NOTSET)
    (line,) = lines(capsys)
    assert json.loads(line)["offsets"] == [[0, 1]]


@pytest.mark.parametrize("spec", ["LOUD", "INFO,service.stream", "INFO,=DEBUG", "INFO,service.stream=LOUD"])
def test_a_bad_level_spec_names_the_bad_part(spec: str) -> None:
    with pytest.raises(ValueError, match="level"):
        configure_logging(spec)


# What the interpreter writes by itself: a warning, an exception in a thread, one it can only
# ignore (raised in __del__), and an uncaught one that ends the process.
PYTHON_PRINTS = """
import gc, threading, warnings
from service.logging_setup import configure_logging, log_what_python_prints
configure_logging("INFO")
log_what_python_prints()
warnings.warn("an old API")
thread = threading.Thread(target=lambda: 1 / 0, name="worker-thread")
thread.start()
thread.join()
class Leaky:
    def __del__(self):
        raise OSError("closed pipe")
Leaky()
gc.collect()
raise RuntimeError("the end")
"""


def test_what_python_itself_prints_comes_out_as_json_lines_too() -> None:
    done = subprocess.run([sys.executable, "-c", PYTHON_PRINTS], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    assert done.returncode == 1
    events = [json.loads(line) for line in done.stderr.splitlines() if line]  # every line is JSON
    by_level = [(e["logger"], e["level"]) for e in events]
    assert by_level == [("py.warnings", "WARNING"), ("python", "ERROR"), ("python", "ERROR"), ("python", "CRITICAL")]
    warning, thread, ignored, uncaught = events
    assert "an old API" in warning["msg"]
    assert "worker-thread" in thread["msg"] and "ZeroDivisionError" in thread["exc"]
    assert "Leaky.__del__" in ignored["msg"] and "OSError: closed pipe" in ignored["exc"]
    assert uncaught["msg"] == "uncaught exception" and "RuntimeError: the end" in uncaught["exc"]
    assert [e.get("exc_type") for e in events] == [None, "ZeroDivisionError", "OSError", "RuntimeError"]
