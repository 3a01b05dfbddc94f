# Two commands on a fresh machine: `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
STORE ?= var/store
HOST ?= 127.0.0.1
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: run test lint install init bench clean vendor-yasgui

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

# Lint first: it takes seconds, and a type error is cheaper to read than a failing test. The
# benchmarks run as scripts (bench/ first on their path), so they are type-checked from there.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	cd bench && MYPYPATH=.. $(abspath $(BIN))/mypy --strict --explicit-package-bases --no-error-summary *.py latency/*.py

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/load_rate.py

# The SPARQL page's editor, built from the pinned npm package and committed (so `make run` needs no
# npm). Re-run after changing the version; the test suite checks the files against SHA256SUMS.
YASGUI_VERSION := 4.6.2
YASGUI_DIR := api/web/static/vendor/yasgui
vendor-yasgui:
	rm -rf build/yasgui && mkdir -p build/yasgui
	cd build/yasgui && npm pack --silent @zazuko/yasgui@$(YASGUI_VERSION) >/dev/null && tar xzf zazuko-yasgui-$(YASGUI_VERSION).tgz
	test "$$(node -p "require('./build/yasgui/package/package.json').version")" = "$(YASGUI_VERSION)"
	mkdir -p $(YASGUI_DIR)
	cp build/yasgui/package/build/yasgui.min.js build/yasgui/package/build/yasgui.min.css $(YASGUI_DIR)/
	sed -i '/sourceMappingURL=/d' $(YASGUI_DIR)/yasgui.min.js $(YASGUI_DIR)/yasgui.min.css
	cd $(YASGUI_DIR) && sha256sum yasgui.min.js yasgui.min.css > SHA256SUMS && echo "$(YASGUI_VERSION)" > VERSION
	rm -rf build/yasgui

clean:
	rm -rf $(VENV) var *.egg-info .pytest_cache
