# E-Commerce Academy. Two commands: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export DEBIAN_FRONTEND := noninteractive
CHROMIUM ?= /usr/bin/chromium

.PHONY: help run test lint test-sqlite test-postgres setup messages browser-deps pdf-deps bench clean lrs

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# The LRS the xAPI tests send to (Ralph), in a virtualenv of its own: its pins are not ours (requirements-lrs.txt).
LRS_VENV := var/lrs-venv
$(LRS_VENV)/.installed: requirements-lrs.txt
	mkdir -p var && $(PYTHON) -m venv $(LRS_VENV)
	$(LRS_VENV)/bin/pip install -q --upgrade pip
	$(LRS_VENV)/bin/pip install -q -r requirements-lrs.txt
	touch $@

lrs: $(LRS_VENV)/.installed ## Install the Learning Record Store the xAPI tests run (Ralph, var/lrs-venv)

# var/ holds the development database (SQLite) and what the server writes; the settings create nothing.
# The German and Polish interface: .po catalogues are kept in git, .mo files compiled here (Debian's gettext).
messages: $(VENV)/.runtime ## Compile the interface's German and Polish catalogues (installs gettext as root when missing)
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -q && apt-get install -y -q --no-install-recommends gettext; } \
	  || { echo "gettext is missing: apt-get install gettext"; exit 1; }
	DEBUG=1 $(BIN)/python manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules

# The certificate's PDF (WeasyPrint) draws text with Pango and needs a font: the Debian 12 packages of
# WeasyPrint's install notes, installed as root when `import weasyprint` fails or DejaVu is missing.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core
pdf-deps: $(VENV)/.runtime ## Pango and a font for the certificate PDF (installs them with apt-get as root when missing)
	@if ! $(BIN)/python -c "import weasyprint" 2>/dev/null || [ ! -d /usr/share/fonts/truetype/dejavu ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q --no-install-recommends $(PDF_LIBS); \
	  else echo "WeasyPrint needs Pango and a font: apt-get install $(PDF_LIBS)"; exit 1; fi; \
	fi

setup: $(VENV)/.runtime messages pdf-deps ## Create .venv, migrate, load the curriculum and the demo accounts (idempotent)
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py load_curriculum
	DEBUG=1 $(BIN)/python manage.py load_demo

run: setup ## Set up and serve on http://127.0.0.1:$PORT (default 8000)
	@echo "Serving the academy on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	DEBUG=1 BASE_URL=$${BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

browser-deps: ## Debian's Chromium and Java (apt-get, as root), axe-core and the Nu HTML Checker (npm)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; \
	  else echo "Chromium is missing at $(CHROMIUM): install Debian's chromium (as root: apt-get install chromium)"; exit 1; fi; \
	fi
	@if ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q --no-install-recommends openjdk-17-jre-headless; \
	  else echo "Java is missing (the HTML checker needs it): apt-get install openjdk-17-jre-headless"; exit 1; fi; \
	fi
	@[ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/vnu-jar/build/dist/vnu.jar ] || npm ci --ignore-scripts --no-audit --no-fund

test: $(VENV)/.dev $(LRS_VENV)/.installed browser-deps messages pdf-deps ## Lint, then run the whole suite on SQLite, then on PostgreSQL 15
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

lint: $(VENV)/.dev ## ruff (lint and format) and the import-linter contracts in pyproject.toml
	@echo "=== ruff and import-linter ==="
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=site:. $(BIN)/lint-imports

test-sqlite: $(VENV)/.dev
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest -m "not load" --durations=15 $(PYTEST_ARGS)

# PostgreSQL and Redis: installed and started here when missing (needs root, as in CI). Where that
# cannot happen outside CI, say so and keep what can run; in CI it is a failure. Tests that never
# touch the database (marked nodb by tests/conftest.py) ran on SQLite already, and so did the browser
# tests (the pages they drive are the views whose every query the server-side tests run here); the
# multi-host load test (two gunicorns, one PostgreSQL, one Redis) runs here, with REDIS_URL exported.
PG_SKIP := --ignore=tests/browser
test-postgres: $(VENV)/.dev
	@echo "=== test suite on PostgreSQL (and Redis) ==="
	@if url=$$(sh .ci/postgres-up.sh | tail -n 1); then \
	  if redis=$$(sh .ci/redis-up.sh | tail -n 1); then \
	    env "$$url" "$$redis" $(BIN)/pytest -m "not nodb" $(PG_SKIP) --durations=15 $(PYTEST_ARGS); \
	  elif [ -n "$${CI:-}" ]; then echo "Redis could not be started in CI"; exit 1; \
	  else echo "Redis could not be installed or started here (root and apt-get are needed): no multi-host test."; \
	    env "$$url" $(BIN)/pytest -m "not nodb" $(PG_SKIP) --deselect tests/operations/test_multihost.py --durations=15 $(PYTEST_ARGS); fi; \
	elif [ -n "$${CI:-}" ]; then echo "PostgreSQL could not be started in CI"; exit 1; \
	else echo "PostgreSQL could not be installed or started here (root and apt-get are needed): ran SQLite only."; fi

bench: $(VENV)/.dev ## Benchmarks (about 20 minutes; the first builds the peer, wagtail-lms, in var/bench-peer): the figures in bench/RESULTS.md
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -q && apt-get install -y -q --no-install-recommends wrk; } \
	  || { echo "wrk is missing: apt-get install wrk"; exit 1; }
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/query_counts.py
	$(BIN)/python bench/team_report.py
	$(BIN)/python bench/import_curriculum.py
	$(BIN)/python bench/sqlite_concurrency.py

# DEBUG=1 unless set: development needs no SECRET_KEY; production exports DEBUG=0 and its settings.
.PHONY: backup restore
backup: $(VENV)/.runtime ## Back up the database (online) and media to var/backups/academy-<UTC time>.*
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py backup_db

restore: $(VENV)/.runtime ## Replace ALL data with a backup: make restore FILE=var/backups/academy-....sqlite3
	@if [ -z "$(FILE)" ]; then echo "usage: make restore FILE=var/backups/academy-<UTC time>.sqlite3 (or .pgdump)"; exit 2; fi
	DEBUG=$${DEBUG-1} $(BIN)/python manage.py restore_db "$(FILE)" --yes

clean: ## Remove the virtualenv, the database and collected files
	rm -rf $(VENV) var node_modules
