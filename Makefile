# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Stop the embedded PostgreSQL when the command ends (a no-op when DATABASE_URL is set).
STOP_DB := $(if $(DATABASE_URL),true,$(PY) -m civility.embedded_db stop)

.PHONY: run test setup lint messages browsers clean-db

run: setup
	@trap '$(STOP_DB)' EXIT INT TERM; \
	export DEBUG=$${DEBUG:-true}; \
	$(MANAGE) migrate --no-input && \
	$(MANAGE) import_admin_units --province 01 && \
	$(MANAGE) load_demo_data && \
	$(MANAGE) runserver $${PORT:-127.0.0.1:8000}

test: setup browsers
	@trap '$(STOP_DB)' EXIT INT TERM; \
	$(VENV)/bin/ruff check . && \
	$(MANAGE) makemigrations --check --dry-run > /dev/null && \
	DEBUG=false SECRET_KEY=test-only $(VENV)/bin/pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed node_modules/.installed civility/locale/.compiled

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -c constraints.txt --group app --group dev
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

civility/locale/.compiled: $(wildcard civility/locale/*/LC_MESSAGES/django.po) $(VENV)/.installed
	cd civility && ../$(PY) ../manage.py compilemessages --ignore '.venv/*' > /dev/null
	touch $@

# Page tests drive Debian's Chromium; install it when we may (CI and these machines run as root).
browsers:
	@command -v chromium > /dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	  else echo "Install Chromium (apt-get install chromium) to run the browser tests."; fi; }

messages: setup
	cd civility && ../$(PY) ../manage.py makemessages -l vi -l en --ignore '*/migrations/*' && \
	../$(PY) ../manage.py compilemessages > /dev/null

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean-db:
	$(STOP_DB); rm -rf .data
