# Claimlens: `make run` to try it, `make test` to check it. Both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: install migrate demo run test test-fast lint format bench serve production-env browser loadtest postgresql redis clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-deps -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install chromium" >&2; exit 1; fi; }

# The shared-cache tests also run against a Redis they start themselves (redis-server).
redis:
	@command -v redis-server >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else echo "Redis is missing: sudo apt-get install redis-server" >&2; exit 1; fi; }

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# A background worker (import jobs, feed polls) runs beside the server and stops with it.
run: demo
	@echo "\nClaimlens is at http://$(HOST):$(PORT)  (sign in with one of the accounts above)\n"
	$(PY) manage.py feeds poll
	$(PY) manage.py db_worker --no-reload -v0 & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# Production: gunicorn behind a TLS proxy, static files from WhiteNoise.
serve: production-env migrate
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DJANGO_DEBUG=0 $(PY) manage.py check --deploy
	DJANGO_DEBUG=0 $(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile -

production-env:
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve: set DJANGO_SECRET_KEY (50+ random characters), e.g." >&2; \
	  echo '  export DJANGO_SECRET_KEY="$$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")"' >&2; exit 1; }
	@test -n "$$DJANGO_ALLOWED_HOSTS" || { echo "make serve: set DJANGO_ALLOWED_HOSTS, e.g. claimlens.example.org" >&2; exit 1; }

# One worker per core (pytest-xdist): the suite is independent test by test.
TEST_WORKERS ?= 2

test: install browser redis
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The bench makes and drops its own databases: the configured one is not even migrated.
bench: install
	$(PY) manage.py bench $(BENCH_ARGS)

# Load and fault test (README): a throwaway PostgreSQL cluster and gunicorn on loopback, locust
# for LOADTEST_SECONDS with LOADTEST_USERS, then again with the database restarted halfway.
LOADTEST_USERS ?= 50
LOADTEST_SECONDS ?= 60
loadtest: install postgresql
	$(PY) -m config.loadtest --users $(LOADTEST_USERS) --seconds $(LOADTEST_SECONDS) $(LOADTEST_ARGS)

postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL is missing: sudo apt-get install postgresql" >&2; exit 1; fi; }

clean:
	rm -rf $(VENV) var .pytest_cache
