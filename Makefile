# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := hearing

.PHONY: run test test-postgres lint install translations migrate demo bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

translations: install
	$(BIN)/pybabel compile -d hearing/translations -f >/dev/null

migrate: install
	$(BIN)/flask db upgrade

demo: migrate translations
	$(BIN)/hearing demo --admin-email admin@example.no

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install translations lint
	$(BIN)/python -m pytest

# The same suite on PostgreSQL (CI runs both). Override TEST_DATABASE_URL for another server.
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
test-postgres: install translations
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python -m pytest -m "not browser"

# Every benchmark measures a baseline in the same run and prints a Markdown table (see README).
bench: install
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_letters.py
	$(BIN)/python bench/bench_synthesis.py --sizes 1000 10000 100000
	$(BIN)/python bench/bench_xlsx_export.py --respondents 100000
	$(BIN)/python bench/polis_validation.py
	$(BIN)/python bench/theme_quality.py
	$(BIN)/python bench/campaign_quality.py
	$(BIN)/python -m bench.load_harness --db sqlite --clients 50 --responses 10000

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts
