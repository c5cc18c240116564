# fhb: the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STANDARD ?= hjoerring
HOST ?= 127.0.0.1:8000
STAMP := $(VENV)/.installed

.PHONY: install demo test test-core lint format bench lock clean guide-check

install: $(STAMP)

# Re-install only when the lock or the project metadata changed (make install is idempotent).
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("fhb needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Each municipality's demo has its own SQLite database under var/demo-NAME/.
DEMO_ENV := FHB_STANDARD=$(STANDARD) FHB_DATA_DIR=var/demo-$(STANDARD)

demo: install
	$(DEMO_ENV) $(BIN)/fhb demo-setup --standard $(STANDARD)
	@echo "fhb kører på http://$(HOST)/  (stop med Ctrl-C)"
	$(DEMO_ENV) $(BIN)/fhb runserver --noreload $(HOST)

# The layers of src/fhb ([tool.importlinter] in pyproject.toml; docs/architecture.md says why).
lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: install lint
	$(BIN)/python -m pytest -p no:cacheprovider -q

format: install
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

# Follow docs/operations.md on this machine (PostgreSQL on 127.0.0.1:5432, database fhb_guide); CI runs it.
guide-check: install
	$(BIN)/python .ci/operations_guide.py

bench: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Regenerate requirements.lock from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --universal --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache build src/*.egg-info
