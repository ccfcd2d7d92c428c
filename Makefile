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
	$(BIN)/pip install -q -e ".[dev,scrape]"
	touch $(BIN)/influence

venv: $(BIN)/influence  ## create the virtualenv with the package and dev tools

demo: venv  ## set everything up and run the pipeline end to end on a generated sample
	$(INFLUENCE) db install
	$(INFLUENCE) db start
	$(INFLUENCE) db init
	@test -f $(DEMO_OUT)/sample/ground_truth.json || $(INFLUENCE) sample $(DEMO_OUT)/sample --seed 7
	$(INFLUENCE) load gallery-dl $(DEMO_OUT)/sample --rejects $(DEMO_OUT)/rejects.jsonl
	$(INFLUENCE) analyze
	$(INFLUENCE) train --out $(DEMO_OUT)/model
	$(INFLUENCE) predict examples/drafts.csv --model $(DEMO_OUT)/model --format json > $(DEMO_OUT)/predictions.json
	$(INFLUENCE) predict examples/drafts.csv --model $(DEMO_OUT)/model
	$(INFLUENCE) report html -o report --model $(DEMO_OUT)/model --predictions $(DEMO_OUT)/predictions.json
	@echo
	@echo "Report:        $(CURDIR)/report/index.html"
	@$(INFLUENCE) db status --format json | $(BIN)/python -c 'import json,sys; s=json.load(sys.stdin); pw=open(s["password_file"]).read().strip(); print("Neo4j Browser:", s["browser_url"], " (connect to", s["bolt_uri"], "as", s["user"], "/", pw + ")")'

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
