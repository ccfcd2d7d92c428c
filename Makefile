# The few commands everyone runs. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INFLUENCE := $(BIN)/influence
DEMO_OUT ?= out/demo

.PHONY: venv demo test test-unit lint bench clean

$(BIN)/influence: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(BIN)/influence

venv: $(BIN)/influence  ## create the virtualenv with the package and dev tools

demo: venv  ## set everything up and run the pipeline end to end on a generated sample
	$(INFLUENCE) db install
	$(INFLUENCE) db start
	$(INFLUENCE) db init
	$(INFLUENCE) db status

test: venv  ## unit + integration tests (installs and starts a test-only Neo4j on ports 17687/17474)
	$(BIN)/pytest -q

test-unit: venv
	$(BIN)/pytest -q -m "not integration"

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: venv  ## benchmarks print their figures
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/analytics.py
	$(BIN)/python benchmarks/predict.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
