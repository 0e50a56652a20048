# Driehoek: `make run` for a demo on SQLite, `make test` for the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml package.json 2>/dev/null | sha1sum | cut -c1-12)

.PHONY: run test install browser-deps av-deps worker lint bench load messages db-roles vendor

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml package.json
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 $(BIN)/python manage.py loaddemo
	@echo "Driehoek draait op http://127.0.0.1:8000  (stoppen: Ctrl+C)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The worker runs queued tasks; the scheduler beside it enqueues the periodic ones (reminders, escalations).
worker: install
	DEBUG=1 $(BIN)/python manage.py run_scheduler & trap 'kill $$!' EXIT; DEBUG=1 $(BIN)/python manage.py db_worker

# PostgreSQL least privilege (SEC-36): run as the owner role after every migrate; the app then logs in as APP_ROLE,
# which may read and append to the access log but never change, delete or truncate it. See docs/audit-log.md.
APP_ROLE ?= driehoek_app
db-roles: install
	$(BIN)/python manage.py db_roles --app-role $(APP_ROLE) $(if $(APP_PASSWORD_ENV),--password-env $(APP_PASSWORD_ENV)) $(if $(BACKUP_ROLE),--backup-role $(BACKUP_ROLE))

# Browser tests need Debian's Chromium and axe-core from the npm registry; never a browser download.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@test -f node_modules/axe-core/axe.min.js || npm install --no-audit --no-fund --silent

# Malware-scan tests start their own clamd (Debian's clamav-daemon) with a local EICAR signature; no freshclam.
# The package's own services are not needed: where the install may start them, its clamd exits 0 without
# signatures and freshclam only retries in the background (with policy-rc.d, as here, neither starts).
av-deps:
	@command -v clamd >/dev/null 2>&1 || test -x /usr/sbin/clamd || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon)

# The NL Design System CSS and the Lucide icons we serve, copied from node_modules (docs/web-app.md).
vendor:
	npm install --no-audit --no-fund --silent
	$(PY) scripts/vendor_assets.py

test: install browser-deps av-deps
	$(BIN)/ruff check .
	DRIEHOEK_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DRIEHOEK_TESTING=1 $(BIN)/pytest -n 2 -q

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install
	DRIEHOEK_TESTING=1 $(BIN)/python bench/run.py

# REL-12: gunicorn on loopback with the demo school, locust headless for 30 s; not part of `make test`.
load: install
	$(BIN)/python bench/load.py

messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l nl -l en --ignore=.venv --ignore=node_modules
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv
