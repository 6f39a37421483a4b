# newsdesk: `make run` serves the chat on the sample articles, `make test` runs the tests.
# Each install step has its own stamp in .venv, so `make run` installs only what the default
# chat needs and `make test` after it adds only the test extras (and `make run` after `make test`
# installs nothing).
VENV   := .venv
PY     := $(VENV)/bin/python
# --no-compile: modules are byte-compiled when first imported, not all at install (saves about
# 40 s of a fresh `make run` here).
PIP    := $(PY) -m pip install --quiet --no-compile
BASE   := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
LLM    := $(VENV)/.installed-llm
BENCH  := $(VENV)/.installed-bench

.PHONY: install install-dev install-llm chromium run test lint eval train-scorer train-reader reader-curve bench bench-scale

install: $(BASE)
install-dev: $(DEV)
install-llm: $(LLM)

# What the default (extractive) chat needs: torch pinned to the CPU wheel on disk, the package.
$(BASE): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) torch==2.13.0 -e .
	touch $(BASE)

# pytest, playwright, gensim (the Lee corpus), ruff, mypy.
$(DEV): $(BASE)
	$(PIP) -e ".[dev]"
	touch $(DEV)

# The llama.cpp answerer: llama-cpp-python builds from source (about 3 minutes, once).
$(LLM): $(BASE)
	$(PIP) -e ".[llm]"
	touch $(LLM)

$(BENCH): $(BASE)
	$(PIP) -e ".[bench]"
	touch $(BENCH)

# Debian's chromium for the browser tests (never a browser download by playwright).
chromium:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium) \
		|| { echo "make test needs Debian chromium: apt-get install -y chromium"; exit 1; }

run: $(BASE)
	$(VENV)/bin/newsdesk ingest data/articles
	$(VENV)/bin/newsdesk serve

# The whole suite with every real component: a missing one fails instead of skipping.
test: $(DEV) $(LLM) chromium
	NEWSDESK_REQUIRE_ALL=1 $(PY) -m pytest

# Dev (tuned on) and test (held out) gold sets against fresh stores in build/eval; reports in
# build/eval/*-report. The test store is the Lee store copied, plus lee.cor's 50 articles and
# data/gold/test/articles.
eval: $(DEV)
	rm -rf build/eval
	$(VENV)/bin/newsdesk --store build/eval/seed ingest data/articles --no-progress
	$(VENV)/bin/newsdesk --store build/eval/seed eval data/gold/dev/seed.jsonl --out build/eval/dev-seed-report
	$(PY) bench/lee_corpus.py --store build/eval/lee
	$(VENV)/bin/newsdesk --store build/eval/lee eval data/gold/dev/lee.jsonl --out build/eval/dev-lee-report
	$(VENV)/bin/newsdesk --store build/eval/lee eval data/gold/dev/paraphrase.jsonl --out build/eval/dev-paraphrase-report
	cp -r build/eval/lee build/eval/test
	$(PY) bench/lee_corpus.py --store build/eval/test --corpus test
	$(VENV)/bin/newsdesk --store build/eval/test ingest data/gold/test/articles --no-progress
	$(VENV)/bin/newsdesk --store build/eval/test eval data/gold/test/lee.jsonl --out build/eval/test-lee-report
	$(VENV)/bin/newsdesk --store build/eval/test eval data/gold/test/styles.jsonl --out build/eval/test-styles-report
	$(VENV)/bin/newsdesk --store build/eval/test eval data/gold/test/fresh.jsonl --out build/eval/test-fresh-report
	$(VENV)/bin/newsdesk --store build/eval/test eval data/gold/test/blind.jsonl --out build/eval/test-blind-report
	cat data/gold/test/lee.jsonl data/gold/test/styles.jsonl > build/eval/test-pooled.jsonl
	$(VENV)/bin/newsdesk --store build/eval/test eval build/eval/test-pooled.jsonl --out build/eval/test-report
	$(VENV)/bin/newsdesk --store build/eval/test ingest ../shared/news --no-progress
	$(VENV)/bin/newsdesk --store build/eval/test eval data/gold/test/wikinews.jsonl --out build/eval/test-wikinews-report

# Refit the extractive answerer's scorer (assistant/answering/scorer.json) on the dev split and
# questions generated from the Lee corpus and data/articles (never on data/gold/test).
train-scorer: $(DEV)
	$(PY) bench/train_scorer.py --store build/train/store

# Rebuild the shipped reader (assistant/answering/reader/reader.safetensors, session 31): trained
# on phases 1-3 of data/train (12,189 questions, as of commit c938abe) and the side pairs as of
# ae862aa (sides.jsonl twice, implicit_sides.jsonl once, one article in five of each held back
# for bench/side_reading.py), over the Wikinews articles in ../shared/news (86 minutes on 2
# cores; needs a git checkout); then the side gate off and the threshold and margins chosen on
# fold 0 among the settings that keep CI's seed floors (18 settings, about 30 minutes) and
# written into the file. The learning curve: on 1 thread beside other work, about 1.5 h.
READER_GRID := 0.005,0.01,0.05 0.005,0.02,0.1 0.01,0.01,0.05 0.01,0.02,0.1 0.02,0.01,0.05 \
	0.02,0.02,0.1 0.03,0.01,0.05 0.03,0.02,0.1 0.05,0.01,0.05 0.05,0.02,0.1 0.1,0.01,0.05 \
	0.1,0.02,0.1 0.15,0.01,0.05 0.15,0.02,0.1 0.2,0.01,0.05 0.2,0.02,0.1 0.3,0.01,0.05 0.3,0.02,0.1
SEED_FLOORS := seed:key_fact_recall=0.93 seed:citation_precision=0.94 seed:refusal_accuracy=0.94
SHIPPED := assistant/answering/reader/reader.safetensors
train-reader: $(DEV)
	mkdir -p build/reader
	git show c938abe:data/train/questions.jsonl > build/reader/questions-p3.jsonl
	git show ae862aa:data/train/sides.jsonl > build/reader/sides.jsonl
	git show ae862aa:data/train/implicit_sides.jsonl > build/reader/implicit.jsonl
	$(PY) bench/side_training.py --sides build/reader/sides.jsonl --copies 2 \
		--hold-out build/reader/sides-held.jsonl --out build/reader/sides-all-x2.jsonl
	$(PY) bench/side_training.py --sides build/reader/implicit.jsonl --copies 1 \
		--hold-out build/reader/implicit-held.jsonl --out build/reader/implicit-x1.jsonl
	$(VENV)/bin/newsdesk train build/reader/questions-p3.jsonl build/reader/sides-all-x2.jsonl \
		build/reader/implicit-x1.jsonl --threads 2 --out $(SHIPPED)
	$(PY) -c "from pathlib import Path; from assistant.answering.reader.model import Reader, \
		set_decision; p = Path('$(SHIPPED)'); c = Reader.load(p).calibration; set_decision(p, \
		threshold=c.threshold, margin=c.margin, list_margin=c.list_margin, side_gate=False)"
	$(PY) bench/answerers.py --split dev+fold0 --sets seed 'wikinews fold 0' follow-ups \
		--grid $(READER_GRID) --write --choose-on 'wikinews fold 0' --floor $(SEED_FLOORS)

reader-curve: $(DEV)
	$(PY) bench/reader_curve.py --sizes 500 1000 3000 --threads 2

# Ingest speed (Lee corpus, against raw encode and the LangChain tutorial pipeline) and load.
bench: $(DEV) $(BENCH)
	mkdir -p build/bench
	$(PY) bench/ingest.py --report build/bench/ingest-report.json
	$(PY) bench/load.py --report build/bench/load-report.json

# Costs at 1k, 10k and 100k chunks, embedded and against `chroma run` (10k), and HNSW recall;
# vectors cached in build/bench/scale. Writes build/bench/scale.{json,md,png}, scale-hnsw.json.
bench-scale: $(DEV)
	$(PY) bench/scale.py --server
	$(PY) bench/scale_hnsw.py

lint: $(DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
