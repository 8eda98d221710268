# Two commands do everything on a fresh machine:
#   make run    install into .venv, import the bundled sample, embed it, serve http://127.0.0.1:8000
#   make test   install (system packages too), start a throw-away PostgreSQL, run lint and all tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= khabar.db
SAMPLE := data/sample/ant-2018-05.jsonl.gz

.PHONY: setup run test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml setup.py src/khabar/storage/_fts5rank.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

run: setup $(DB).sample
	$(BIN)/khabar --db $(DB) embed
	$(BIN)/khabar --db $(DB) serve --host 127.0.0.1 --port 8000

# The sample is imported once (enriched and linked into stories); the stamp marks a finished import.
$(DB).sample: $(SAMPLE) | setup
	$(BIN)/khabar --db $(DB) import $(SAMPLE)
	touch $@

lint: setup
	$(BIN)/ruff check src tests bench

# System packages first: the search ranker (C) builds against SQLite's headers when they are there.
test:
	scripts/system-deps.sh
	$(MAKE) setup
	$(BIN)/ruff check src tests bench
	scripts/with-postgres.sh $(BIN)/pytest

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm $(DB).sample $(DB).vectors
