# fhb: the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STANDARD ?= hjoerring
# A shipped name or any standard file (make demo STANDARD=path/to/mine.toml): the demo's folder is named
# after the file (var/demo-mine).
DEMO_NAME = $(notdir $(basename $(STANDARD)))
# The municipality a standard file's synthetic population imitates: municipality.toml beside the file, or
# make demo STANDARD=mine.toml MUNICIPALITY=figures.toml (docs/synthetic-data.md).
MUNICIPALITY ?=
HOST ?= 127.0.0.1:8000
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install install-dev demo test test-core lint format bench lock clean guide-check

# Two locks (make lock): requirements.lock is what runs fhb (a server installs only this one);
# requirements-dev.lock adds the test and lint tools, with the same versions of every package the two share.
install: $(STAMP)
install-dev: $(DEV_STAMP)

# Re-install only when a lock or the project metadata changed (make install is idempotent). A runtime
# install re-made after the development one (a new requirements.lock) makes the next make test install
# the development lock again, as $(DEV_STAMP) depends on $(STAMP).
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("fhb needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(DEV_STAMP)

# Each municipality's demo has its own SQLite database under var/demo-NAME/. It runs as production does, with
# debug off (Danish error pages, not Django's debug page; WhiteNoise serves the static files), but over plain
# http on this machine (FHB_SECURE_COOKIES=0) and with a secret key of its own, kept beside its database.
DEMO_ENV := FHB_STANDARD=$(STANDARD) FHB_DATA_DIR=var/demo-$(DEMO_NAME) FHB_DEBUG=0 FHB_SECURE_COOKIES=0 SECRET_KEY=$$(cat var/demo-$(DEMO_NAME)/secret-key)

demo: install
	@mkdir -p var/demo-$(DEMO_NAME)/static
	@test -s var/demo-$(DEMO_NAME)/secret-key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/demo-$(DEMO_NAME)/secret-key
	$(DEMO_ENV) $(BIN)/fhb demo-setup --standard $(STANDARD) $(if $(MUNICIPALITY),--municipality $(MUNICIPALITY))
	@echo "fhb kører på http://$(HOST)/ med en arbejder til job og breve  (stop begge med Ctrl-C)"
	@# The worker (background jobs, the letter outbox) beside the web server; Ctrl-C reaches both (one
	@# process group), and the trap stops the worker too when the web server ends any other way.
	@$(DEMO_ENV) sh -c '$(BIN)/fhb worker & worker=$$!; \
	  trap "kill $$worker 2>/dev/null; wait $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/fhb runserver --noreload $(HOST)'

# The layers of src/fhb ([tool.importlinter] in pyproject.toml; docs/architecture.md says why).
lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: install-dev lint
	$(BIN)/python -m pytest -p no:cacheprovider -q

format: install-dev
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

# Follow docs/operations.md on this machine (PostgreSQL on 127.0.0.1:5432, database fhb_guide); CI runs it.
guide-check: install
	$(BIN)/python .ci/operations_guide.py

bench: install-dev
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Regenerate both locks from pyproject.toml (needs uv: pip install uv); each keeps the versions it pins
# unless pyproject.toml asks for others. The development lock is compiled with the runtime lock as a
# constraint, so the packages they share have the same versions.
LOCK_FLAGS := --python-version 3.11 --universal --generate-hashes
lock:
	uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.lock
	uv pip compile pyproject.toml --extra dev --constraint requirements.lock $(LOCK_FLAGS) -o requirements-dev.lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache build src/*.egg-info
