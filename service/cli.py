"""The `newswire` command (CONTRACT.md, "Command line"). Heavy imports happen inside each command."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

import orjson

from service.config import Settings, SettingsError


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"newswire: configuration error: {exc}", file=sys.stderr)
        return 2
    try:
        result: int = args.run(settings, args)
    except KeyboardInterrupt:
        return 130
    return result


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from service.adapters.nlp.runner import ModelsMissing
    from service.worker import run_worker

    try:
        run_worker(settings)
    except ModelsMissing as exc:
        print(f"newswire worker: {exc}", file=sys.stderr)
        return 2
    return 0


def _dev(settings: Settings, args: argparse.Namespace) -> int:
    from service.dev import run_dev

    return run_dev(settings, args.feed, args.exit_when_idle, args.broker_port)


def _feed(settings: Settings, args: argparse.Namespace) -> int:
    from service.adapters.kafka.connection import Connection
    from service.adapters.kafka.io import produce
    from service.feed_files import FeedError, records_from_paths

    try:
        records = records_from_paths(args.paths)
    except FeedError as exc:
        print(f"newswire feed: {exc}", file=sys.stderr)
        return 2
    sent = asyncio.run(produce(Connection.of(settings), settings.topics.raw, records))
    print(f"published {sent} records to {settings.topics.raw}")
    return 0


def _tail(settings: Settings, args: argparse.Namespace) -> int:
    from service.adapters.kafka.connection import Connection
    from service.adapters.kafka.io import consume

    topic = getattr(settings.topics, args.topic.removeprefix("articles."), None) or args.topic

    async def run() -> None:
        seen = 0
        async for record in consume(Connection.of(settings), [topic], from_beginning=args.from_beginning):
            key = record.key.decode("utf-8", "replace") if record.key is not None else None
            try:
                value = orjson.loads(record.value) if record.value is not None else None
            except orjson.JSONDecodeError:
                value = (record.value or b"").decode("utf-8", "replace")
            line = {"topic": record.topic, "partition": record.partition, "offset": record.offset, "key": key,
                    "value": value}  # fmt: skip
            sys.stdout.write(orjson.dumps(line).decode() + "\n")
            sys.stdout.flush()
            seen += 1
            if args.limit and seen >= args.limit:
                return

    asyncio.run(run())
    return 0


def _models_download(settings: Settings, args: argparse.Namespace) -> int:
    from service.adapters.nlp.runner import download_models

    download_models(args.langs or settings.langs, settings.stanza_dir)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newswire", description="Clean, deduplicate and enrich a news wire on Kafka.")
    commands = parser.add_subparsers(dest="command", required=True)

    worker = commands.add_parser("worker", help="run the stream processor against NEWSWIRE_BROKER")
    worker.set_defaults(run=_worker)

    dev = commands.add_parser("dev", help="embedded broker + worker + feed, for a laptop")
    dev.add_argument("--feed", nargs="*", default=[], metavar="PATH", help="files or folders to publish")
    dev.add_argument("--exit-when-idle", type=float, metavar="SECONDS", help="stop once no output came for this long")
    dev.add_argument("--broker-port", type=int, help="port of the embedded broker [NEWSWIRE_BROKER's, else free]")
    dev.set_defaults(run=_dev)

    feed = commands.add_parser("feed", help="publish .txt/.json/.jsonl files or folders to articles.raw")
    feed.add_argument("paths", nargs="+", metavar="PATH")
    feed.set_defaults(run=_feed)

    tail = commands.add_parser("tail", help="print decoded records of a topic, one JSON line each")
    tail.add_argument("topic", help="topic name, or raw/enriched/duplicates/claims/dlq")
    tail.add_argument("--limit", type=int, default=0, help="stop after N records")
    tail.add_argument("--from-beginning", action="store_true", help="start at the oldest record, not the newest")
    tail.set_defaults(run=_tail)

    models = commands.add_parser("models", help="manage the stanza models")
    models_commands = models.add_subparsers(dest="models_command", required=True)
    download = models_commands.add_parser("download", help="fetch stanza models (for production images)")
    download.add_argument("langs", nargs="*", metavar="LANG", help="languages [NEWSWIRE_LANGS]")
    download.set_defaults(run=_models_download)
    return parser


if __name__ == "__main__":
    sys.exit(main())
