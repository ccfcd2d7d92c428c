# The few commands everyone runs. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INFLUENCE := $(BIN)/influence
DEMO_OUT ?= out/demo

.PHONY: venv demo demo-info demo-stop test test-unit real lint docs bench clean

$(BIN)/influence: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev,scrape,docs]"
	touch $(BIN)/influence

venv: $(BIN)/influence  ## create the virtualenv with the package and dev tools

# The demo runs a managed server of its own (home and ports below), so the sample never mixes
# with data you loaded into your own server; `make demo-stop` stops it.
DEMO_HOME ?= $(DEMO_OUT)/home
DEMO_BOLT_PORT ?= 7688
DEMO_HTTP_PORT ?= 7475
DEMO_ENV := INFLUENCE_HOME=$(abspath $(DEMO_HOME)) INFLUENCE_BOLT_PORT=$(DEMO_BOLT_PORT) INFLUENCE_HTTP_PORT=$(DEMO_HTTP_PORT)
DEMO_RUN := env -u NEO4J_URI -u NEO4J_USERNAME -u NEO4J_PASSWORD -u NEO4J_DATABASE $(DEMO_ENV)
DEMO := $(DEMO_RUN) $(INFLUENCE)

demo: venv  ## set everything up and run the pipeline end to end on a generated sample (its own server)
	$(DEMO) db install
	$(DEMO) db start
	$(DEMO) db init
	@test -f $(DEMO_OUT)/sample/ground_truth.json || $(INFLUENCE) sample $(DEMO_OUT)/sample --seed 7
	@$(DEMO_RUN) $(BIN)/python -m influence.demo check $(DEMO_OUT)/sample
	$(DEMO) load gallery-dl $(DEMO_OUT)/sample --rejects $(DEMO_OUT)/rejects.jsonl
	$(DEMO) analyze
	$(DEMO) train --out $(DEMO_OUT)/model
	$(DEMO) predict examples/drafts.csv --model $(DEMO_OUT)/model --format json > $(DEMO_OUT)/predictions.json
	$(DEMO) predict examples/drafts.csv --model $(DEMO_OUT)/model
	$(DEMO) report html -o report --model $(DEMO_OUT)/model --predictions $(DEMO_OUT)/predictions.json --drafts examples/drafts.csv
	@$(MAKE) --no-print-directory demo-info

demo-info:  ## where the demo's report, server and password are (never the password itself)
	@echo
	@echo "Report:        $(CURDIR)/report/index.html"
	@echo "The demo's own Neo4j (your data stays in your own server):"
	@$(DEMO) db status
	@echo
	@echo "Neo4j Browser: open the browser_url above, connect to the bolt_uri as user neo4j; print the password with"
	@echo "  $(DEMO_ENV) $(INFLUENCE) db password"
	@echo "Stop the demo's server: make demo-stop"

demo-stop:  ## stop the demo's server
	$(DEMO) db stop

test: venv  ## unit + integration tests (installs and starts a test-only Neo4j on ports 17687/17474)
	$(BIN)/pytest -q

test-unit: venv  ## the unit tier: no server, no Java
	$(BIN)/pytest -q tests/unit

real: venv  ## the real-data acceptance suite: the whole pipeline on ../shared/data (its own Neo4j, ports 17787/17574)
	INFLUENCE_REAL=1 $(BIN)/pytest -q --timeout 3600 tests/real

lint: venv  ## format, lint (complexity limit 15) and types: what CI checks
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

docs: venv  ## build the documentation site into site/ (strict: a broken link or a page missing from the nav fails)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site

bench: venv  ## benchmarks print their figures
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/analytics.py
	$(BIN)/python benchmarks/predict.py

clean:
	rm -rf $(VENV) dist build site .pytest_cache .mypy_cache .ruff_cache
