"""Structured logs: one JSON object per line on stderr (stdout stays free for CLI output).

Context goes in `extra`, e.g. `logger.warning("dedup failed", extra={"article_id": id})`, and comes
out as top-level fields beside ts, level, logger and msg.
"""

from __future__ import annotations

import json as jsonlib
import logging
import sys
import threading
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

# Attributes every LogRecord has; anything else on a record came from `extra`.
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}
_HANDLER_MARK = "_newswire_handler"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON; values JSON cannot hold are written with str()."""

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_") and key not in event:
                event[key] = value
        if record.exc_info:
            event["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            event["stack"] = self.formatStack(record.stack_info)
        return jsonlib.dumps(event, ensure_ascii=False, default=str)


def configure_logging(level: str, json: bool = True) -> None:
    """Send the root logger's records to stderr, as JSON lines (or plain text for a terminal).

    `level` is the root level, optionally followed by levels for single loggers:
    "INFO,service.stream.agents=DEBUG". Calling it again replaces the handler it installed before.
    """
    root_level, logger_levels = parse_levels(level)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json else logging.Formatter(TEXT_FORMAT))
    setattr(handler, _HANDLER_MARK, True)
    root.addHandler(handler)
    root.setLevel(root_level)
    for name, numeric in logger_levels.items():
        logging.getLogger(name).setLevel(numeric)


def log_what_python_prints() -> None:
    """Send what the interpreter itself writes to stderr through logging too, so that every line
    a worker writes stays JSON: warnings, uncaught exceptions (any thread), and the exceptions
    Python can only ignore (in a __del__, at exit: CPython 3.11's process pool printed one)."""
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_exception
    sys.unraisablehook = _log_unraisable


_python = logging.getLogger("python")
_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _exc_info(kind: type[BaseException], value: BaseException | None, tb: TracebackType | None) -> _ExcInfo | None:
    return None if value is None else (kind, value, tb)  # None: Python passed the type alone (rare)


def _log_uncaught(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    _python.critical("uncaught exception", exc_info=(kind, value, tb), extra={"exc_type": kind.__name__})


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:  # as the default hook: a thread's normal way out
        return
    _python.error("uncaught exception in thread %s", args.thread.name if args.thread is not None else "?",
                  exc_info=_exc_info(args.exc_type, args.exc_value, args.exc_traceback),
                  extra={"exc_type": args.exc_type.__name__})  # fmt: skip


def _log_unraisable(args: sys.UnraisableHookArgs) -> None:
    _python.error("%s: %r", args.err_msg or "Exception ignored in", args.object,
                  exc_info=_exc_info(args.exc_type, args.exc_value, args.exc_traceback),
                  extra={"exc_type": args.exc_type.__name__})  # fmt: skip


def parse_levels(spec: str) -> tuple[int, dict[str, int]]:
    """"WARNING,service.stream=DEBUG" → (WARNING, {"service.stream": DEBUG}); ValueError names a bad part."""
    root_part, *logger_parts = [part.strip() for part in spec.split(",")]
    logger_levels: dict[str, int] = {}
    for part in logger_parts:
        name, _, level = part.partition("=")
        if not name.strip() or not level:
            raise ValueError(f"bad logger level {part!r}; write logger=LEVEL, e.g. service.stream.agents=DEBUG")
        logger_levels[name.strip()] = _numeric_level(level)
    return _numeric_level(root_part), logger_levels


def _numeric_level(level: str) -> int:
    numeric = logging.getLevelName(level.strip().upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}; use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return numeric
