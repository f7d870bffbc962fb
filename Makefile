# Two commands matter: `make run` and `make test` (README, Quick start). Everything else supports them.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PORT ?= 8000
PYTHON_BIN ?= $(shell command -v python3.12 2>/dev/null || ls $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -n1)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP_BASE := $(VENV)/.stamp-base
STAMP_DEV := $(VENV)/.stamp-dev
STAMP_NPM := node_modules/.stamp-npm
STAMP_VENDOR := assets/.stamp-vendor
STAMP_STATIC := staticfiles/.stamp-static
PIP_QUIET := 2>&1 | { grep -v "^WARNING: Location" || true; }

.PHONY: run test serve lint migrate seed static venv deps dev-deps npm chromium slapd bench freeze clean

$(PY):
	@test -n "$(PYTHON_BIN)" || { echo "需要 Python 3.12（pyenv 或 python3.12）"; exit 1; }
	$(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP_BASE): requirements/base.txt | $(PY)
	$(PIP) install -q -r requirements/base.txt $(PIP_QUIET)
	@touch $@

$(STAMP_DEV): requirements/dev.txt requirements/base.txt | $(PY)
	$(PIP) install -q -r requirements/dev.txt $(PIP_QUIET)
	@touch $(STAMP_BASE) $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# Only the files pages load are copied out of node_modules (echarts' dist alone is 50 MB).
$(STAMP_VENDOR): $(STAMP_NPM)
	rm -rf assets assets-test && mkdir -p assets-test assets/vendor/bootstrap/css assets/vendor/bootstrap/js assets/vendor/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map assets/vendor/bootstrap/css/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map assets/vendor/bootstrap/js/
	cp node_modules/echarts/dist/echarts.min.js assets/vendor/echarts/
	# axe-core is for the accessibility test only (tests/e2e): kept out of assets/, so it is never collected or served.
	cp node_modules/axe-core/axe.min.js assets-test/
	mkdir -p assets/vendor/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui.css.map assets/vendor/swagger-ui/
	# tom-select: the searchable member picker (static/js/member-picker.js starts it; pages that pick people only).
	mkdir -p assets/vendor/tom-select
	cp node_modules/tom-select/dist/js/tom-select.complete.min.js* node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css* assets/vendor/tom-select/
	@touch $@

# Icons: not the 130 KB icon font but one small stylesheet holding only the bootstrap-icons SVGs the sources use
# (core/iconset.py scans templates and NavItem/InboxEntry registrations). Rewritten only when its content changes.
ICONS_CSS := assets/vendor/icons/icons.css
ICON_SOURCES := $(shell find . \( -name .venv -o -name node_modules -o -name staticfiles -o -name assets -o -name .git \
	-o -name var \) -prune -o \( -name '*.html' -o -name '*.py' \) -print 2>/dev/null)
$(ICONS_CSS): $(STAMP_VENDOR) $(ICON_SOURCES) | $(PY)
	@$(PY) -m core.iconset node_modules/bootstrap-icons/icons $@

$(STAMP_STATIC): $(STAMP_BASE) $(STAMP_VENDOR) $(ICONS_CSS) $(shell find static -type f 2>/dev/null)
	$(PY) manage.py collectstatic --noinput -v 0
	@touch $@

deps: $(STAMP_BASE) $(STAMP_VENDOR) $(ICONS_CSS)
dev-deps: $(STAMP_DEV) $(STAMP_VENDOR) $(ICONS_CSS)

# Debian's chromium and a CJK font for browser tests and screenshots; quiet and idempotent.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "安装 chromium 与中文字体（apt）…"; \
		apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# Debian's OpenLDAP server and client tools for the LDAP sign-in tests (tests/sso: a throw-away slapd per test run);
# quiet and idempotent. The preseed skips the package's own directory setup (no prompt, no system-wide database).
slapd:
	@if ! test -x /usr/sbin/slapd || ! command -v ldapadd >/dev/null 2>&1; then \
		echo "安装 slapd 与 ldap-utils（apt，仅供 LDAP 登录测试）…"; \
		echo "slapd slapd/no_configuration boolean true" | debconf-set-selections && \
		apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slapd ldap-utils >/dev/null; \
	fi

migrate: $(STAMP_BASE)
	$(PY) manage.py migrate --noinput -v 0

seed: migrate
	$(PY) manage.py seed_demo

static: $(STAMP_STATIC)

# Fresh clone → venv, pinned deps, npm assets, static files, migrations, demo data, server on 127.0.0.1:$(PORT).
# The django-tasks-db worker (emails) runs beside the server and stops with it. Both run as in production (DEBUG off:
# the Chinese 404/403/500 pages show, WhiteNoise serves the collected static files) but send e-mail to the console:
# the demo's messages land in var/worker.log instead of failing against an SMTP server on localhost:25.
# DEBUG=1 / EMAIL_BACKEND=… on the command line override this.
RUN_ENV = DEBUG=$${DEBUG:-0} EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}
run: deps static migrate
	@$(PY) manage.py seed_demo
	@echo "服务地址：http://127.0.0.1:$(PORT)/   演示邮件：var/worker.log"
	@trap 'kill 0' EXIT; \
	$(RUN_ENV) $(PY) manage.py db_worker >var/worker.log 2>&1 & \
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# ruff, then the whole suite (browser tests included). DATABASE_URL picks the database (SQLite by default).
test: dev-deps static chromium slapd
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

lint: $(STAMP_DEV)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Seeds throw-away databases (var/bench/, PostgreSQL ms_bench_* when reachable), measures, writes bench/RESULTS.md.
bench: dev-deps static
	@command -v wrk >/dev/null 2>&1 || { echo "安装 wrk（apt）…"; apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/run.py

freeze: $(PY)
	@echo "Edit top-level pins in requirements/*.txt, then reinstall into a fresh venv and copy 'pip freeze' back."

clean:
	rm -rf $(VENV) node_modules assets assets-test staticfiles
