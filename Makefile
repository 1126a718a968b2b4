# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Stop the embedded PostgreSQL when the command ends (a no-op when DATABASE_URL is set).
STOP_DB := $(if $(DATABASE_URL),true,$(PY) -m civility.embedded_db stop)
# mypy's Django plugin loads the settings but never connects: a placeholder DATABASE_URL keeps
# it from starting the embedded PostgreSQL.
TYPECHECK := DEBUG=true DATABASE_URL=postgres://localhost/typecheck-only $(VENV)/bin/mypy

.PHONY: run test test-system bench setup lint typecheck messages browsers clean-db

run: setup
	@trap 'kill $$(jobs -p) 2> /dev/null; $(STOP_DB)' EXIT INT TERM; \
	export DEBUG=$${DEBUG:-true}; \
	$(MANAGE) migrate --no-input && \
	$(MANAGE) load_demo --address $${PORT:-127.0.0.1:8000} && \
	{ $(MANAGE) procrastinate worker & } && \
	$(MANAGE) runserver $${PORT:-127.0.0.1:8000}

test: setup browsers
	@trap '$(STOP_DB)' EXIT INT TERM; \
	export DEBUG=false SECRET_KEY=test-only-secret-key; \
	$(VENV)/bin/ruff check . && \
	$(TYPECHECK) && \
	$(MANAGE) makemigrations --check --dry-run > /dev/null && \
	$(VENV)/bin/pytest -m "not system" $(PYTEST_ARGS)

# Real processes: two gunicorn, uvicorn, two workers, a throwaway PostgreSQL restarted under
# load (tests/system/, about 2.5 minutes), and every demo login's pages walked in Chromium at
# phone size (tests/browser/test_crawl.py, about 5 minutes). CI runs it after `make test`.
test-system: setup
	@trap '$(STOP_DB)' EXIT INT TERM; \
	export DEBUG=false SECRET_KEY=test-only-secret-key; \
	$(VENV)/bin/pytest -m system $(PYTEST_ARGS)

# Load test (bench/load.py: asyncio clients on loopback, kiosk ingest at full speed and then
# at a fixed 100 ratings/s while staff pages run at full speed, exact count check, bounded in
# time), schemathesis with 100 examples per operation, and the system tests;
# figures go to bench/README.md.
bench: setup
	@trap '$(STOP_DB)' EXIT INT TERM; \
	export DEBUG=false SECRET_KEY=bench-only-secret-key; \
	$(PY) bench/load.py --seconds $${BENCH_SECONDS:-20} && \
	SCHEMATHESIS_EXAMPLES=$${SCHEMATHESIS_EXAMPLES:-100} $(VENV)/bin/pytest -q \
	  tests/system/test_api_schema.py $(PYTEST_ARGS) && \
	$(VENV)/bin/pytest -q -m system $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed civility/locale/.compiled

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -c constraints.txt --group app --group dev
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# msgfmt directly: compiling needs neither Django's settings nor the database.
civility/locale/.compiled: $(wildcard civility/locale/*/LC_MESSAGES/django.po)
	for po in $^; do msgfmt --check -o "$${po%.po}.mo" "$$po" || exit 1; done
	touch $@

# Page tests drive Debian's Chromium; install it when we may (CI and these machines run as root).
browsers:
	@command -v chromium > /dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	  else echo "Install Chromium (apt-get install chromium) to run the browser tests."; fi; }

messages: setup
	cd civility && DEBUG=true ../$(PY) ../manage.py makemessages -l vi -l en \
	  --ignore '*/migrations/*' --no-obsolete && cd .. && \
	msgattrib --clear-fuzzy --empty --no-obsolete civility/locale/en/LC_MESSAGES/django.po \
	  | msgen -o civility/locale/en/LC_MESSAGES/django.po - && \
	$(MAKE) civility/locale/.compiled

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

# mypy with django-stubs over civility/, every module with the strict flags ([tool.mypy] in pyproject.toml).
typecheck: setup
	$(TYPECHECK)

clean-db:
	$(STOP_DB); rm -rf .data
