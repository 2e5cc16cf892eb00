"""The brokers tests and benchmarks can run on, by name (`--broker noida|kafka`)."""

from __future__ import annotations

from service.adapters.kafka.apache import ApacheKafka
from service.adapters.kafka.broker_process import BrokerProcess
from service.adapters.kafka.embedded import EmbeddedBroker

BROKERS: dict[str, type[BrokerProcess]] = {"noida": EmbeddedBroker, "kafka": ApacheKafka}
