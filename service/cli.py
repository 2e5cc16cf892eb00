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
        if args.needs_kafka and (refused := _login_refused(settings)):
            print(f"newswire {args.command}: cannot log in to the broker: {refused}", file=sys.stderr)
            return 2
        result: int = args.run(settings, args)
    except KeyboardInterrupt:
        return 130
    return result


def _login_refused(settings: Settings) -> str | None:
    """Why the broker refuses this login (password, certificate), naming the setting to fix; None if it did not."""
    from service.adapters.kafka.connection import Connection, LoginError, check_login

    try:
        asyncio.run(check_login(Connection.of(settings)))
    except LoginError as exc:
        return str(exc)
    return None


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from service.adapters.nlp.port import ModelsMissing
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


def _replay(settings: Settings, args: argparse.Namespace) -> int:
    import time

    from service.replay import ReplayError, parse_since, run_replay

    try:
        since = parse_since(args.since, time.time()) if args.since else None
    except ReplayError as exc:
        print(f"newswire replay: {exc}", file=sys.stderr)
        return 2
    for line in asyncio.run(run_replay(settings, args.reason, since, args.dry_run)):
        print(line)
    return 0


def _models_download(settings: Settings, args: argparse.Namespace) -> int:
    from service.adapters.nlp.runner import download_models

    download_models(args.langs or settings.langs, settings.stanza_dir)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newswire", description="Clean, deduplicate and enrich a news wire on Kafka.")
    commands = parser.add_subparsers(dest="command", required=True)
    parser.set_defaults(needs_kafka=False)  # commands that talk to NEWSWIRE_BROKER set it

    worker = commands.add_parser("worker", help="run the stream processor against NEWSWIRE_BROKER")
    worker.set_defaults(run=_worker, needs_kafka=True)

    dev = commands.add_parser("dev", help="embedded broker + worker + feed, for a laptop")
    dev.add_argument("--feed", nargs="*", default=[], metavar="PATH", help="files or folders to publish")
    dev.add_argument("--exit-when-idle", type=float, metavar="SECONDS", help="stop once no output came for this long")
    dev.add_argument("--broker-port", type=int, help="port of the embedded broker [NEWSWIRE_BROKER's, else free]")
    dev.set_defaults(run=_dev)

    feed = commands.add_parser("feed", help="publish .txt/.json/.jsonl files or folders to articles.raw")
    feed.add_argument("paths", nargs="+", metavar="PATH")
    feed.set_defaults(run=_feed, needs_kafka=True)

    tail = commands.add_parser("tail", help="print decoded records of a topic, one JSON line each")
    tail.add_argument("topic", help="topic name, or raw/enriched/duplicates/claims/dlq")
    tail.add_argument("--limit", type=int, default=0, help="stop after N records")
    tail.add_argument("--from-beginning", action="store_true", help="start at the oldest record, not the newest")
    tail.set_defaults(run=_tail, needs_kafka=True)

    replay = commands.add_parser("replay", help="re-publish dead letters' original records, once per dead letter")
    replay.add_argument("--reason", action="extend", nargs="+", default=[], metavar="R",
                        help="only dead letters with these reasons [all]")  # fmt: skip
    replay.add_argument("--since", metavar="T", help="only dead letters since T: RFC 3339 time, or a duration (2h)")
    replay.add_argument("--dry-run", action="store_true", help="say what would be replayed, publish nothing")
    replay.set_defaults(run=_replay, needs_kafka=True)

    models = commands.add_parser("models", help="manage the stanza models")
    models_commands = models.add_subparsers(dest="models_command", required=True)
    download = models_commands.add_parser("download", help="fetch stanza models (for production images)")
    download.add_argument("langs", nargs="*", metavar="LANG", help="languages [NEWSWIRE_LANGS]")
    download.set_defaults(run=_models_download)
    return parser


if __name__ == "__main__":
    sys.exit(main())
