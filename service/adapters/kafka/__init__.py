"""Kafka from the outside: topic admin, plain produce/consume, the embedded broker for laptops and tests."""
