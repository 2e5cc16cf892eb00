# Two commands for a newcomer: `make run` (the service on the embedded broker over samples/) and
# `make test` (the whole suite). Both set up .venv first. `make test-kafka` runs the integration and
# fault tiers against Apache Kafka (fetched by Maven on first use: `make kafka`; needs Java 17+ and mvn).
VENV ?= .venv
PY := $(VENV)/bin/python
IDLE ?= 10

.PHONY: venv run test test-kafka kafka lint bench clean

venv: $(VENV)/.installed

# torch first, pinned to its CPU build (constraints.txt); stanza's own torch range then adds nothing.
$(VENV)/.installed: pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[dev,test]'
	touch $@

run: venv
	$(VENV)/bin/newswire dev --feed samples --exit-when-idle $(IDLE)

test: venv
	$(PY) -m pytest

kafka: venv
	$(PY) -m service.adapters.kafka.apache fetch

test-kafka: kafka
	$(PY) -m pytest tests/integration --broker kafka

lint: venv
	$(VENV)/bin/ruff check service tests benchmarks scripts
	$(VENV)/bin/mypy

bench: venv
	$(PY) benchmarks/run_all.py

clean:
	rm -rf .newswire .pytest_cache .mypy_cache
