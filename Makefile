# Chumchon — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ARGS ?=

.PHONY: install install-dev run init demo serve test lint typecheck check-migrations unit lock messages clean

# Create .venv and install the locked runtime dependencies and the project (idempotent).
install: $(VENV)/.installed
$(VENV)/.installed: requirements.lock requirements-build.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-build.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $@

# Install, migrate, load the areas and the demo province, print the logins and serve.
run: install
	$(BIN)/chumchon init
	$(BIN)/chumchon demo --if-empty $(DEMO_ARGS)
	$(BIN)/chumchon serve --host $(HOST) --port $(PORT)

# The whole test suite from a fresh state: lint, types, layering, migrations, tests.
test: install-dev lint typecheck check-migrations unit

lint:
	$(BIN)/ruff check src tests conftest.py
	$(BIN)/ruff format --check src tests conftest.py
	$(BIN)/lint-imports --no-cache

typecheck:
	$(BIN)/mypy

check-migrations:
	CHUMCHON_VAR=$$(mktemp -d) $(BIN)/chumchon makemigrations --check --dry-run

# The tests run on every core (pytest-xdist); TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
unit:
	CHUMCHON_VAR=$$(mktemp -d) $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Re-resolve the pinned dependency set after editing pyproject.toml.
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements-dev.lock
	uv pip compile requirements-build.in --python-version 3.11 --generate-hashes -o requirements-build.lock

# Extract and compile the Thai translations (needs GNU gettext).
messages:
	cd src/chumchon && ../../$(BIN)/chumchon makemessages -l th --no-obsolete --add-location file
	cd src/chumchon && ../../$(BIN)/chumchon compilemessages -l th

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
