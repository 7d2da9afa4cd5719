# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The suite runs on every core (pytest-xdist; at most 4 workers): TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
STAMP := $(VENV)/.installed

.PHONY: run test setup lint format check messages benchmark demo-code clean cluster release loadtest

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP)

## Set up and run the portal (web, Celery worker and beat; embedded PostgreSQL
## and Redis unless DATABASE_URL / REDIS_URL are set). Ctrl-C stops it all.
run: $(STAMP)
	$(PY) -m portal.launcher run

## Set up and run the whole test suite (browser tests included).
test: $(STAMP)
	sh .ci/browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m portal.launcher exec -- sh -c '$(PY) manage.py makemigrations --check --dry-run && $(PY) -m pytest --create-db -n $(TEST_WORKERS) --maxprocesses 4 --dist load $(PYTEST_ARGS)'


## The release step of a deployment: migrate, collectstatic (docs/deploy.md).
release: $(STAMP)
	$(PY) -m portal.launcher release

## A cluster on this machine: proxy on PORT (8000), two web nodes, two Celery
## workers, one beat, an S3 server; demo data. Ctrl-C stops it all.
cluster: $(STAMP)
	$(PY) -m portal.launcher cluster

## Locust against the cluster: 17 wards + city hall, ~20 officials each, citizens.
## LOADTEST_DURATION=10m (default); report in var/loadtest/report.md.
loadtest: $(STAMP)
	$(PY) -m portal.launcher exec -- $(PY) -m loadtest.run

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

## Recompile the translation catalogue after editing locale/*/LC_MESSAGES/*.po
messages: $(STAMP)
	$(PY) -m portal.launcher exec -- $(PY) manage.py makemessages -l vi -l en --no-location --ignore=.venv --ignore=node_modules --ignore=var
	$(PY) -m portal.launcher exec -- $(PY) manage.py compilemessages --ignore=.venv

check: $(STAMP)
	$(PY) -m portal.launcher exec -- $(PY) manage.py check --deploy

benchmark: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || echo "wrk missing: throughput not measured"
	$(PY) -m portal.launcher exec -- $(PY) manage.py benchmark_onestop $(BENCH_ARGS)
	$(PY) -m portal.launcher exec -- $(PY) manage.py benchmark_personnel $(PERSONNEL_BENCH_ARGS)
	$(PY) -m portal.launcher exec -- $(PY) manage.py benchmark_feedback $(FEEDBACK_BENCH_ARGS)
	$(PY) -m portal.launcher exec -- $(PY) manage.py benchmark_documents $(DOCUMENTS_BENCH_ARGS)
	$(PY) -m portal.launcher exec -- $(PY) manage.py benchmark_website $(WEBSITE_BENCH_ARGS)

## The two-step code the demo log-ins accept now (the published demo key).
demo-code: $(STAMP)
	@$(PY) -m portal.demo_otp

clean:
	rm -rf $(VENV) var staticfiles
