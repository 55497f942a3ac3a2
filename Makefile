# PlanPal developer commands. `make run` and `make test` bootstrap everything on a fresh machine.
PORT ?= 8000
UV_VERSION := 0.13.9
UV := .tools/bin/uv
# mysqlclient needs the MariaDB client headers, so it is only installed when MariaDB is used.
# --inexact: a sync never removes what it was not asked for (the driver an earlier MariaDB run
# installed must survive an embedded `make run`/`make test`).
EXTRAS := $(if $(findstring mysql,$(DATABASE_URL)),--extra mysql,)

# The web client's tooling (ESLint, Prettier, axe-core for the browser tests) from package-lock.json;
# nothing of it is needed to run PlanPal.
NODE_MODULES := node_modules/.package-lock.json

.PHONY: install run test test-js soak lint lint-js vendor-js

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --inexact --quiet $(EXTRAS)

$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

run: install
	.venv/bin/planpal run --port $(PORT)

# Tests may run production-like (REDIS_URL set), which requires an explicit SECRET_KEY.
test: export SECRET_KEY ?= planpal-tests-only-secret-key-not-for-production
# A fresh Redis namespace per run: state left by an earlier run (presence flags) cannot leak in.
test: export REDIS_KEY_PREFIX ?= pp-test-$(shell date +%s%N):
test: install $(NODE_MODULES)
	node --test tests/js/
	.venv/bin/pytest

# Unit tests of the web client (realtime.js, the state reducers, time zones) under Node's runner.
test-js: $(NODE_MODULES)
	node --test tests/js/

# Minutes of load with faults (docs/reliability.md); needs DATABASE_URL (MariaDB/PostgreSQL) and REDIS_URL.
soak: export SECRET_KEY ?= planpal-tests-only-secret-key-not-for-production
soak: export REDIS_KEY_PREFIX ?= pp-soak-$(shell date +%s%N):
soak: install
	.venv/bin/pytest -m soak -s tests/reliability

# lint-imports: the layer contract in pyproject.toml ([tool.importlinter]); mypy: [tool.mypy].
lint: install lint-js
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy

lint-js: $(NODE_MODULES)
	node_modules/.bin/eslint .
	node_modules/.bin/prettier --check --log-level warn .

# Leaflet (pinned in package.json) is served from this origin: copy it into the client after an
# upgrade and commit the result (the app needs no node_modules at run time).
LEAFLET_VENDOR := planpal/web/static/web/vendor/leaflet
vendor-js: $(NODE_MODULES)
	mkdir -p $(LEAFLET_VENDOR)/images
	cp node_modules/leaflet/dist/leaflet-src.esm.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE $(LEAFLET_VENDOR)/
	cp node_modules/leaflet/dist/images/*.png $(LEAFLET_VENDOR)/images/
