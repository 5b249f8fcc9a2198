# Quick start: `make run` (chat on http://localhost:8000, demo data, offline) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint bench install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

# The login cookie secret lives in .env (git-ignored, owner-only), created on the first run;
# Chainlit loads .env from the working directory at start. Allocator settings: fewer glibc arenas and
# pyarrow on the system allocator keep RSS from creeping under load (benchmarks/load.py --rounds).
run: install
	@grep -qs '^CHAINLIT_AUTH_SECRET=' .env || (umask 077 && \
		echo "CHAINLIT_AUTH_SECRET=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(48))')" >> .env)
	MALLOC_ARENA_MAX=2 ARROW_DEFAULT_MEMORY_POOL=system \
		$(BIN)/chainlit run app.py --headless --host $(HOST) --port $(PORT)

test: dev
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .files
