# newsdesk: `make run` serves the chat on the sample articles, `make test` runs the tests.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test lint eval bench

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev,llm]"
	command -v chromium || (apt-get update && apt-get install -y chromium) \
		|| echo "warning: Debian chromium is missing; the browser test will be skipped"
	touch $(STAMP)

run: install
	$(VENV)/bin/newsdesk ingest data/articles
	$(VENV)/bin/newsdesk serve

test: install
	$(PY) -m pytest

# Both gold sets against fresh stores in build/eval; reports in build/eval/*-report.
eval: install
	rm -rf build/eval
	$(VENV)/bin/newsdesk --store build/eval/seed ingest data/articles --no-progress
	$(VENV)/bin/newsdesk --store build/eval/seed eval data/gold/seed.jsonl --out build/eval/seed-report
	$(PY) bench/lee_corpus.py --store build/eval/lee
	$(VENV)/bin/newsdesk --store build/eval/lee eval data/gold/lee.jsonl --out build/eval/lee-report

# Ingest speed (Lee corpus, against raw encode and the LangChain tutorial pipeline) and load.
bench: install
	$(PY) -m pip install --quiet -e ".[dev,llm,bench]"
	mkdir -p build/bench
	$(PY) bench/ingest.py --report build/bench/ingest-report.json
	$(PY) bench/load.py --report build/bench/load-report.json

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
