# Kakehashi: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-fonts.txt | sha1sum | cut -c1-12)

.PHONY: run setup install migrate demo test test-browser test-pg lint format bench messages clean

run: setup ## install, migrate, load codes and demo, then serve with gunicorn and the task worker
	@$(PY) manage.py demo_logins
	@PORT=$(PORT) bin/serve

install: $(STAMP)

$(STAMP): requirements.txt requirements-fonts.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-fonts.txt
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

setup: install
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_reference
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --no-input -v 0

test: install ## the whole suite (browser tests run when /usr/bin/chromium exists; CI requires it)
	$(PY) -m pytest $(PYTEST_ARGS)

test-browser: install
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

test-pg: install ## the whole suite on a throwaway local PostgreSQL (bin/pg-dev: var/pg/, 127.0.0.1:54329)
	url="$$(bin/pg-dev start)" && DATABASE_URL="$$url" $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## benchmarks print figures and ratios to a baseline measured in the same run
	$(PY) bench/run_all.py $(BENCH_ARGS)

messages: install ## refresh the English catalogue (needs gettext)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/staticfiles
