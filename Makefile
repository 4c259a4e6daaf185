# The two commands of a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test demo lint typecheck unit clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy sees the installed names (trackwright.<layer>) through a tree of links to the folders.
typecheck: $(STAMP)
	rm -rf build/typecheck && mkdir -p build/typecheck/trackwright
	for layer in domain adapters application; do ln -sfn ../../../$$layer build/typecheck/trackwright/$$layer; done
	for file in application/front_door/*.py; do ln -sfn ../../../$$file build/typecheck/trackwright/; done
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -q

unit: $(STAMP)
	$(BIN)/pytest -q -m "not sqlite"

demo: $(STAMP)
	$(BIN)/trackwright demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
