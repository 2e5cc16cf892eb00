"""Apache Kafka (KRaft, one combined broker+controller) as a child process, for the Kafka test tier and benchmarks.

The broker comes from Maven Central: `apache_kafka.pom.xml` beside this file names it, and
`fetch_classpath()` (`python -m service.adapters.kafka.apache fetch`, run by `make kafka`) copies its
jars into a cache dir outside the repo. It runs on the machine's Java (17 or newer), listens on
127.0.0.1 only (a PLAINTEXT listener, a controller listener, and any extra listener a test asks
for, e.g. SASL_SSL), keeps its data in its own dir and is stopped by PID like the embedded broker.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from service.adapters.child_process import free_port, port_open
from service.adapters.kafka.broker_process import BrokerError, BrokerProcess

KAFKA_VERSION = "4.1.1"  # also in apache_kafka.pom.xml
POM = Path(__file__).with_name("apache_kafka.pom.xml")
READY_LINE = "Kafka Server started"
LOG4J2 = """\
rootLogger.level=WARN
rootLogger.appenderRef.out.ref=OUT
appender.out.type=Console
appender.out.name=OUT
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
logger.server.name=kafka.server
logger.server.level=INFO
"""
# One node on loopback: internal topics with one replica, few partitions (they are created on first
# use and each costs start time), no delay before the first group rebalance, few threads on 2 cores.
BASE_PROPERTIES = {
    "process.roles": "broker,controller",
    "node.id": "1",
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "offsets.topic.replication.factor": "1",
    "offsets.topic.num.partitions": "4",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    "transaction.state.log.num.partitions": "4",
    "share.coordinator.state.topic.replication.factor": "1",
    "share.coordinator.state.topic.min.isr": "1",
    "group.initial.rebalance.delay.ms": "0",
    "num.partitions": "1",
    "num.network.threads": "2",
    "num.io.threads": "4",
}
JVM_OPTIONS = ["-Xms128m", "-Xmx768m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+ExitOnOutOfMemoryError",
               "-Djava.awt.headless=true"]  # fmt: skip


@dataclass(frozen=True)
class Listener:
    """An extra listener: `name` (e.g. SECURE) on 127.0.0.1:`port` speaking `protocol` (e.g. SASL_SSL)."""

    name: str
    protocol: str
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"kafka://127.0.0.1:{self.port}"


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "newswire" / f"apache-kafka-{KAFKA_VERSION}"


def fetch_classpath(quiet: bool = True) -> Path:
    """The dir of the broker's jars, fetched with Maven (into ~/.m2, then copied here) when missing."""
    target = cache_dir() / "lib"
    if (target / ".complete").exists():
        return target
    if shutil.which("mvn") is None:
        raise BrokerError("Apache Kafka is fetched with Maven: install it (apt-get install maven) and Java 17+")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="lib-", dir=target.parent))
    command = ["mvn", "-B", *(["-q"] if quiet else []), "-f", str(POM), "dependency:copy-dependencies",
               f"-DoutputDirectory={staging}", "-DincludeScope=runtime"]  # fmt: skip
    if subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise BrokerError(f"Maven could not fetch Apache Kafka {KAFKA_VERSION}: {' '.join(command)}")
    (staging / ".complete").touch()
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def java_binary() -> str:
    java = shutil.which("java")
    if java is None:
        raise BrokerError("Apache Kafka needs Java 17 or newer on PATH")
    return java


def cluster_id() -> str:
    """A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (not starting with '-')."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


class ApacheKafka(BrokerProcess):
    """`with ApacheKafka.on_free_port(workdir) as kafka:` → kafka.url is its PLAINTEXT listener on loopback."""

    kind = "apache-kafka"
    stop_timeout = 30.0  # a controlled shutdown takes a few seconds

    def __init__(
        self,
        data_dir: Path,
        port: int,
        log_path: Path | None = None,
        *,
        listeners: Sequence[Listener] = (),
        properties: Mapping[str, str] | None = None,
        scram_users: Sequence[str] = (),
    ) -> None:
        super().__init__(data_dir, port, log_path)
        self.controller_port = free_port()
        self.listeners = tuple(listeners)
        self.extra_properties = dict(properties or {})
        self.scram_users = tuple(scram_users)  # StorageTool --add-scram: 'SCRAM-SHA-256=[name=a,password=b]'
        self.config_dir = self.data_dir.parent / f"{self.data_dir.name}-config"

    def properties(self) -> dict[str, str]:
        named = [("PLAINTEXT", "PLAINTEXT", self.port), *((x.name, x.protocol, x.port) for x in self.listeners)]
        listeners = ",".join(f"{name}://127.0.0.1:{port}" for name, _, port in named)
        protocols = ",".join(f"{name}:{protocol}" for name, protocol, _ in named)
        return {
            **BASE_PROPERTIES,
            "controller.quorum.voters": f"1@127.0.0.1:{self.controller_port}",
            "listeners": f"{listeners},CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": listeners,
            "listener.security.protocol.map": f"{protocols},CONTROLLER:PLAINTEXT",
            "log.dirs": str(self.data_dir),
            **self.extra_properties,
        }

    def prepare(self) -> None:
        if port_open(self.controller_port):  # taken since __init__ picked it
            self.controller_port = free_port()
        self.config_dir.mkdir(parents=True, exist_ok=True)
        lines = [f"{key}={value}" for key, value in self.properties().items()]
        (self.config_dir / "server.properties").write_text("\n".join(lines) + "\n")
        (self.config_dir / "log4j2.properties").write_text(LOG4J2)
        if not (self.data_dir / "meta.properties").exists():  # a restart keeps the formatted storage
            scram = [arg for user in self.scram_users for arg in ("--add-scram", user)]
            self._java("kafka.tools.StorageTool", "format", "-t", cluster_id(), "-c",
                       str(self.config_dir / "server.properties"), *scram)  # fmt: skip

    def _java(self, main: str, *args: str) -> None:
        result = subprocess.run(self._java_command(main, *args), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BrokerError(f"{main} {args[0]} failed: {result.stdout}{result.stderr}")

    def _java_command(self, main: str, *args: str) -> list[str]:
        classpath = f"{fetch_classpath()}/*"
        log_config = f"-Dlog4j2.configurationFile={self.config_dir / 'log4j2.properties'}"
        return [java_binary(), *JVM_OPTIONS, log_config, "-cp", classpath, main, *args]

    def command(self) -> list[str]:
        return self._java_command("kafka.Kafka", str(self.config_dir / "server.properties"))

    def is_ready(self) -> bool:
        return port_open(self.port) and READY_LINE in self.log_since_start()


def main(argv: Sequence[str]) -> int:
    """`python -m service.adapters.kafka.apache fetch`: fetch the classpath (CI, `make kafka`); prints its dir."""
    if list(argv) != ["fetch"]:
        print("usage: python -m service.adapters.kafka.apache fetch", file=sys.stderr)
        return 2
    print(fetch_classpath(quiet=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
