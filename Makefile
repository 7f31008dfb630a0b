# Zhidu: `make run` serves the app with demo data; `make test` runs the whole test suite.
PORT ?= 8000
HOST ?= 127.0.0.1
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test setup lint format check messages messages-check bench load

setup:
	./scripts/setup.sh

run: setup
	$(PY) manage.py load_demo --if-empty
	@# The search index is a separate file: bring it in line with the database (drift after an
	@# upgrade of the index layout, or a database restored without it).
	-$(PY) manage.py search_check --fix > /dev/null
	@echo "Zhidu: http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

test:
	ZHIDU_SKIP_MIGRATE=1 ./scripts/setup.sh
	$(PY) -m pytest $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check:
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	@# The production profile twice (docs/deployment.md): several app servers (Elasticsearch, S3,
	@# keys from the environment: throw-away ones here), then one server with its embedded
	@# index and keys under var/, where the warnings about per-server state (zhidu.W001,
	@# zhidu.W003) are silenced as that section of the guide says.
	DJANGO_SETTINGS_MODULE=zhidu.settings.production ALLOWED_HOSTS=zhidu.example.com \
		SEARCH_BACKEND=elasticsearch ELASTICSEARCH_URL=http://es1.invalid:9200,http://es2.invalid:9200 \
		ZHIDU_S3_BUCKET=zhidu ZHIDU_S3_ENDPOINT_URL=http://minio.invalid:9000 \
		SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ZHIDU_AUDIT_KEY=$$($(PY) -c 'import secrets; print(secrets.token_hex(32))') \
		$(PY) manage.py check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=zhidu.settings.production ALLOWED_HOSTS=zhidu.example.com \
		ZHIDU_SILENCED_CHECKS=zhidu.W001,zhidu.W003 \
		$(PY) manage.py check --deploy --fail-level WARNING

# Benchmarks: all areas, or one with BENCH=<area> (results in var/bench/<area>.json).
bench:
	ZHIDU_SKIP_MIGRATE=1 ./scripts/setup.sh
	$(PY) -m tests.bench $(BENCH)

# Load test: the app under gunicorn on a throw-away PostgreSQL database (ZHIDU_LOAD_POSTGRES_URL),
# 50 locust users for 60 s; prints a table and writes var/bench/load.json (~4 minutes).
load:
	ZHIDU_SKIP_MIGRATE=1 ./scripts/setup.sh
	$(PY) -m tests.load

messages:
	$(PY) manage.py makemessages -l zh_Hans -l en --no-location --ignore=$(VENV) --ignore=var

# Every user-facing string in the code has a Chinese translation (CI runs this).
messages-check: messages
	$(PY) scripts/check_translations.py locale/zh_Hans/LC_MESSAGES/django.po
