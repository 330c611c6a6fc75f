# FA-portalen. `make run` starts everything for a developer; `make test` runs the whole suite.
# Everything a fresh machine lacks is installed from here (uv, npm packages, Chromium, gettext).

SHELL := /bin/bash
.DEFAULT_GOAL := help

TOOLS := build/tools
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
PY := $(UV) run --frozen
VAR := var
PORT ?= 8000
PYTEST_WORKERS ?= auto

.PHONY: help install python-deps node-deps assets messages system-deps test-deps run demo-data migrate test test-fast \
        test-e2e test-postgres test-suites lint format clean bench bench-postgres

help:
	@echo "make run    install everything, migrate, load demo data and start the portal + BankID simulator"
	@echo "make test   install what the tests need and run the whole suite"
	@echo "make lint   ruff, mypy, import-linter, makemigrations --check, translations"
	@echo "make bench  build the benchmark world (10x national volume) and time every page (bench/); SCALE=0.1 for a tenth"

# --- installation -----------------------------------------------------------------------------------------------

$(TOOLS)/bin/uv:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

python-deps: $(if $(shell command -v uv 2>/dev/null),,$(TOOLS)/bin/uv)
	$(UV) sync --frozen --quiet

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-deps: node_modules/.package-lock.json

# Our theme is generated from designsystemet.config.json; the design system, htmx and the font come from npm.
assets: node-deps
	@mkdir -p build/assets/vendor/fonts
	@if [ ! -f build/theme/faportal.css ] || [ designsystemet.config.json -nt build/theme/faportal.css ]; then \
		npm run --silent theme >/dev/null; fi
	@cp node_modules/@digdir/designsystemet-css/dist/src/index.css build/assets/vendor/designsystemet.css
	@cp build/theme/faportal.css build/assets/vendor/theme.css
	@cp node_modules/htmx.org/dist/htmx.min.js build/assets/vendor/htmx.min.js
	@cp node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2 \
	    node_modules/@fontsource-variable/inter/files/inter-latin-ext-wght-normal.woff2 build/assets/vendor/fonts/

# gettext's msgfmt compiles the translations; WeasyPrint lays out the documents' PDF copies with Pango and embeds the
# DejaVu fonts in them. Install them where they are missing.
PDF_LIBS := libpangoft2-1.0-0 fonts-dejavu-core
system-deps:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	@(/sbin/ldconfig -p | grep -q libpangoft2-1.0.so.0 && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf) \
		|| (apt-get update -qq && apt-get install -y -qq $(PDF_LIBS) >/dev/null)

messages: system-deps python-deps
	@$(PY) python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

install: python-deps assets messages

# Chromium for the browser journeys (Playwright drives Debian's Chromium; its own download does not work here).
test-deps: install
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# --- running ----------------------------------------------------------------------------------------------------

migrate: install
	@$(PY) python manage.py migrate --no-input -v 0

demo-data: migrate
	@$(PY) python manage.py load_demo_data

run: demo-data
	@$(PY) python manage.py rundemo --port $(PORT)

# --- checking ---------------------------------------------------------------------------------------------------

# Browser journeys run in a process of their own: the live server needs a flushed (transactional) database.
test: test-deps
	@$(MAKE) --no-print-directory test-suites

test-fast: install
	$(PY) pytest -n $(PYTEST_WORKERS) -m "not e2e"

test-e2e: test-deps
	$(PY) pytest -n $(PYTEST_WORKERS) -m e2e

# The whole suite again on a throwaway PostgreSQL cluster (used by .ci/run).
test-postgres: test-deps
	bash scripts/with-postgres.sh $(MAKE) --no-print-directory test-suites

# Speed at ten times the national volume (bench/): times are printed, not asserted, and not part of `make test`.
# The SQLite world is built once into var/bench/ and reused; PostgreSQL's is built in a throwaway cluster each time.
SCALE ?= 1
BENCH_ARGS ?=
bench: install
	$(PY) python -m bench --scale $(SCALE) $(BENCH_ARGS)
	$(PY) pytest bench -q  # the PEPPOL library's speed and the monthly billing run at 500 000 placements

bench-postgres: install
	bash scripts/with-postgres.sh $(PY) python -m bench --scale $(SCALE) $(BENCH_ARGS)

test-suites:
	$(PY) pytest -n $(PYTEST_WORKERS) -m "not e2e"
	$(PY) pytest -n $(PYTEST_WORKERS) -m e2e

lint: install
	$(PY) ruff check .
	$(PY) ruff format --check .
	$(PY) mypy
	$(PY) lint-imports
	$(PY) python manage.py makemigrations --check --dry-run
	$(PY) python manage.py check --fail-level WARNING

format: python-deps
	$(PY) ruff check --fix .
	$(PY) ruff format .

clean:
	rm -rf build var node_modules .venv
