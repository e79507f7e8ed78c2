# The portal's commands. README.md shows them; docs/development.md explains them.
#   make run    install what is missing, prepare the database, serve http://127.0.0.1:8000
#   make test   install what is missing, run the whole suite (unit, then browser) against PostgreSQL
#   make check  the linter (ruff), Django's system checks and a check that no migration is missing
#   make bench  generate the bench data set (BENCH_PROPOSALS, default 1,000,000) unless it is there, load it with
#               50 simulated people for two minutes (bench/load.py), then measure

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.package-lock.json
LOCKFILE := $(wildcard package-lock.json)
NPM_INSTALL := $(if $(LOCKFILE),npm ci,npm install)
CHROMIUM := /usr/bin/chromium
# The test settings come from pyproject.toml; a DJANGO_SETTINGS_MODULE left in the shell would win over them.
PYTEST := env -u DJANGO_SETTINGS_MODULE $(PY) -m pytest -p no:cacheprovider
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-k routing -x"
PYTEST_ARGS ?=
# Every command here runs on this machine: plain HTTP and, unless DJANGO_SECRET_KEY is set, a development key
# (portal/settings/base.py). Production starts gunicorn itself, without this (docs/deployment.md).
export DJANGO_LOCAL_RUN ?= true

.PHONY: run test check deps messages browser fonts bench

run: deps messages fonts
	./scripts/run.sh

# Unit and view tests run on two xdist workers; the browser tests run afterwards in a process of their
# own, because Playwright keeps an event loop running in the thread that Django would share with them.
# Exit status 5 means "no tests collected" and is not a failure.
test: deps messages browser fonts
	@status=0; \
	echo "==> tests (not e2e)"; \
	$(PYTEST) -n 2 -m "not e2e" $(PYTEST_ARGS) || [ $$? -eq 5 ] || status=1; \
	echo "==> browser tests (e2e)"; \
	$(PYTEST) -m e2e $(PYTEST_ARGS) || [ $$? -eq 5 ] || status=1; \
	exit $$status

check: deps
	$(PY) -m ruff check .
	$(PY) scripts/ensure_database.py
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# docs/performance.md. The data set goes to its own database (BENCH_DATABASE_URL, default portal_bench) and is
# reused while its size, the migrations and the generator are unchanged; BENCH_REGENERATE=1 makes a new one.
BENCH_PROPOSALS ?= 1000000
bench: deps messages
	BENCH_PROPOSALS=$(BENCH_PROPOSALS) $(PY) -m bench.generate
	$(PY) -m bench.load
	BENCH_PROPOSALS=$(BENCH_PROPOSALS) $(PY) -m bench.run

deps: $(PIP_STAMP) $(NPM_STAMP)

# Reinstalled only when pyproject.toml changes. setuptools leaves build/ and *.egg-info behind.
$(PIP_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --quiet ".[dev]"
	rm -rf build *.egg-info
	touch $@

# npm writes node_modules/.package-lock.json on every install; it is older than the lock file when stale.
$(NPM_STAMP): package.json $(LOCKFILE)
	$(NPM_INSTALL) --no-audit --no-fund
	touch $@

# Compiles every .po file of the project; compilemessages refuses to run when there is none yet.
messages: $(PIP_STAMP)
	@if [ -n "$$(find . \( -path ./$(VENV) -o -path ./node_modules -o -path ./.git \) -prune -o -name '*.po' -print -quit)" ]; then \
	  echo "$(PY) manage.py compilemessages"; \
	  $(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules --verbosity 0; \
	else \
	  echo "no translation catalogues (.po) yet: nothing to compile"; \
	fi

# Issued documents are set in Liberation Serif, metric-compatible with the Times New Roman of Decree 30/2020.
fonts:
	@if ! fc-list 2>/dev/null | grep -q "Liberation Serif"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-liberation2; \
	  else \
	    echo "Issued documents need the Liberation Serif font: sudo apt-get install fonts-liberation2" >&2; exit 1; \
	  fi; \
	fi

# Browser tests drive Debian's Chromium; Playwright's own browser download is impossible here.
browser: $(PIP_STAMP)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	  else \
	    echo "Browser tests need Debian's Chromium at $(CHROMIUM): sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi
	$(PY) -m playwright --version
