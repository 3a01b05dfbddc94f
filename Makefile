# Two commands on a fresh machine: `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
STORE ?= var/store
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: run test lint install init bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

# First run loads the ontology and the demo data into ./var/store; later runs reuse the store.
init: install
	$(BIN)/actorgraph init --demo --store $(STORE)

run: init
	$(BIN)/actorgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

# Lint first: it takes seconds, and a type error is cheaper to read than a failing test.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/load_rate.py

clean:
	rm -rf $(VENV) var *.egg-info .pytest_cache
