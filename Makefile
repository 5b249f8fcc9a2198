# Quick start: `make run` (chat on http://localhost:8000, demo data, offline) and `make test` (every test).
# Both install from the committed lock (uv.lock) with uv, never by resolving afresh; `make lock` refreshes it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.9
PORT ?= 8000
HOST ?= 127.0.0.1

# uv installs into $(VENV), compiles bytecode at install (the first `custfin` call does not recompile every
# import) and never downloads a Python of its own.
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_COMPILE_BYTECODE := 1
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

.PHONY: run test test-unit lint bench install dev lock lock-check provision clean

# The installer itself comes from the package registry, pinned, into the project's venv.
$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-cache-dir uv==$(UV_VERSION)

# --frozen: install exactly what uv.lock says (no resolution); --inexact: keep uv and pip in the venv.
install: $(UV)
	$(UV) sync --frozen --inexact --python $(BIN)/python

dev: $(UV)
	$(UV) sync --frozen --inexact --extra dev --python $(BIN)/python

# Refresh the lock deliberately after editing dependencies in pyproject.toml, then commit uv.lock.
lock: $(UV)
	$(UV) lock

lock-check: $(UV)
	@$(UV) lock --check --python $(BIN)/python >/dev/null 2>&1 || { \
		echo "uv.lock does not match pyproject.toml: run 'make lock' and commit uv.lock" >&2; exit 1; }

provision:
	@scripts/provision-test-deps.sh

# The login cookie secret lives in .env (git-ignored, owner-only), created on the first run;
# Chainlit loads .env from the working directory at start. Allocator settings: fewer glibc arenas and
# pyarrow on the system allocator keep RSS from creeping under load (benchmarks/load.py --rounds).
run: install
	@grep -qs '^CHAINLIT_AUTH_SECRET=' .env || (umask 077 && \
		echo "CHAINLIT_AUTH_SECRET=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))')" >> .env)
	MALLOC_ARENA_MAX=2 ARROW_DEFAULT_MEMORY_POOL=system \
		$(BIN)/chainlit run app.py --headless --host $(HOST) --port $(PORT)

test: lock-check provision dev
	$(BIN)/ruff check .
	$(BIN)/pytest -q

# Unit and contract tests only (CI also runs these on the newest supported Python).
test-unit: dev
	$(BIN)/pytest -q tests/unit tests/contract

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .files
