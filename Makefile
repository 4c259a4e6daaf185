# The two commands of a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The oldest MLflow the declared range (mlflow>=3.5,<4) admits, proven by its own test leg.
# MLflow 3.5.0 itself needs sqlalchemy<2.1 (2.1 changed an API its store uses).
OLDEST_MLFLOW := 3.5.0
OLD_VENV := .venv-mlflow-$(OLDEST_MLFLOW)
OLD_STAMP := $(OLD_VENV)/.installed
# The oldest leg: the port contract suite (every backend but the live servers), the property
# tests (fake vs MLflow), the CLI, the seed functions' store selection and the finder on MLflow.
OLDEST_TESTS := tests/contract tests/property tests/cli tests/integration

.PHONY: test test-oldest demo lint typecheck unit clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

$(OLD_STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(OLD_VENV)
	$(OLD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(OLD_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' \
		'mlflow==$(OLDEST_MLFLOW)' 'sqlalchemy<2.1'
	touch $(OLD_STAMP)

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
	$(MAKE) test-oldest

test-oldest: $(OLD_STAMP)
	$(OLD_VENV)/bin/python -c "import mlflow; print('MLflow', mlflow.__version__)"
	$(OLD_VENV)/bin/pytest -q -p no:cacheprovider -m "not server and not postgres" $(OLDEST_TESTS)

unit: $(STAMP)
	$(BIN)/pytest -q -m "not sqlite"

demo: $(STAMP)
	$(BIN)/trackwright demo

clean:
	rm -rf $(VENV) $(OLD_VENV) .pytest_cache .mypy_cache .ruff_cache build
