# The FIT-Store's commands (GNU make). Two are all a newcomer needs:
#   make run    the site with demo data on http://127.0.0.1:8000 (SQLite, embedded search)
#   make test   the whole test suite (DATABASE_URL from the environment, else SQLite)
# The virtualenv lives in .venv; requirements are installed again only when they change.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# `make run` serves the embedded setup unless these are given (e.g. make run RUN_DATABASE_URL=postgres://…).
RUN_DATABASE_URL ?=
RUN_SEARCH_URL ?=
RUN_ADDRESS ?= 127.0.0.1:8000
RUN_ENV := DEBUG=true DATABASE_URL='$(RUN_DATABASE_URL)' SEARCH_URL='$(RUN_SEARCH_URL)'

# Extra arguments for pytest, e.g. make test PYTEST_ARGS='-m "not e2e" -x'
PYTEST_ARGS ?=

.PHONY: run test bench schema messages check clean

run: $(VENV)/.installed-runtime
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) load_demo --reuse
	@# The webhook worker runs beside the server and stops with it (docs/federation.md).
	$(RUN_ENV) $(MANAGE) deliver_webhooks & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(MANAGE) runserver $(RUN_ADDRESS)

test: $(VENV)/.installed-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks (not part of `make test`): figures are printed and appended to docs/benchmarks.md.
bench: $(VENV)/.installed-dev
	$(PY) bench/bench_routes.py --database postgres
	$(PY) bench/bench_routes.py --database sqlite
	$(PY) bench/bench_catalogue.py --database postgres
	$(PY) bench/bench_catalogue.py --database sqlite
	@# The load stage: wrk against gunicorn with threads; a 5xx or a traceback in the server log fails it.
	$(PY) bench/load.py --database postgres
	$(PY) bench/load.py --database sqlite

schema: $(VENV)/.installed-runtime
	$(MANAGE) graphql_schema --schema api.schema.schema --out api/schema.graphql

messages: $(VENV)/.installed-runtime
	$(MANAGE) makemessages -l de --add-location=file --ignore=.venv --ignore=staticfiles
	$(MANAGE) compilemessages -l de --ignore=.venv

check: $(VENV)/.installed-runtime
	$(MANAGE) check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamp files: pip runs again only when a requirements or constraints file is newer.
$(VENV)/.installed-runtime: requirements.txt constraints.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt constraints.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime
