# FactDesk — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)

.PHONY: run test lint install clean-var bench

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

## make run: set up, migrate, seed the demo newsroom, serve on 127.0.0.1:8000 with a worker and beat.
# DJANGO_DEBUG turns on the demo newsroom; FETCH_ALLOW_LOOPBACK lets the worker read the app's
# own demo feed on port 8000 (and nothing else on loopback).
run: $(STAMP)
	mkdir -p var
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} FETCH_ALLOW_LOOPBACK=$${FETCH_ALLOW_LOOPBACK:-8000} \
		$(BIN)/python -m workbench.devstack

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## make test: ruff, mypy (the packages listed in pyproject.toml), then the whole pytest suite
## (embedded PostgreSQL unless DATABASE_URL is set).
test: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean-var:
	rm -rf var
