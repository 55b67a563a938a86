# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install fonts migrate seed serve lint bench bench-export load backup restore worker beat clean mutate

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Translations are compiled with Babel (pure Python, no GNU gettext needed); the .mo is not committed.
$(VENV)/.installed: pyproject.toml package.json package-lock.json locale/en/LC_MESSAGES/django.po | $(VENV)/bin/python
	$(PY) -m pip install -q --upgrade pip uv
	UV_PYTHON_DOWNLOADS=never $(VENV)/bin/uv pip install -q --python $(PY) -e '.[dev]'
	npm ci --no-audit --no-fund --loglevel=error
	$(VENV)/bin/pybabel compile -d locale -D django
	touch $@

install: $(VENV)/.installed

# PDF reports need Liberation Serif 2 (fonts-liberation2), found by file and version, not family name.
fonts:
	scripts/services.sh fonts

migrate: install
	$(PY) manage.py migrate --noinput

# Demo data only into an empty database.
seed: migrate
	$(PY) manage.py seed_demo --size small --if-empty

run: fonts seed
	$(PY) manage.py demo_accounts
	@echo "Cổng “Dân vận khéo”: http://$(HOST):$(PORT)/  (đăng nhập: http://$(HOST):$(PORT)/accounts/login/)"
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	scripts/test.sh

lint: install
	$(VENV)/bin/ruff check .

worker: install
	$(VENV)/bin/celery -A portal worker -l info

beat: install
	$(VENV)/bin/celery -A portal beat -l info

bench: install
	scripts/bench.sh

# The streaming Excel export at 10,000 and 100,000 models: seconds and peak memory (its own database).
bench-export: install
	scripts/bench.sh export

load: install
	scripts/load.sh

# Mutation testing of the permission layer and the workflows (≤ 30 min; not part of `make test`).
mutate: install
	scripts/mutate.sh

backup: install
	scripts/backup.sh backup

restore: install
	scripts/backup.sh restore "$(FILE)"

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .make mutants
