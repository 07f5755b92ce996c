# Two entry points for a fresh machine with Python 3.11: `make run` and `make test`.
# Both install exactly the versions in the lock files (`make lock` refreshes them from
# pyproject.toml's ranges); `make test-latest` runs the suite on the newest releases.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock

.PHONY: run test setup setup-test demo lint lock test-latest clean cluster
REPLICAS ?= 3
CLUSTER_PORT ?= 8080

UV_VERSION := 0.13.9
# uv installs the locked versions in seconds (pip took 1.5 minutes of every CI run)
INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)

setup: $(BIN)/uv
	$(INSTALL) -r $(LOCK)
	$(INSTALL) --no-deps -e .

setup-test: $(BIN)/uv
	$(INSTALL) -r $(TEST_LOCK)
	$(INSTALL) --no-deps -e .

run: setup
	$(BIN)/python -m webui.serve --server.port $(PORT)

# Three pytest processes side by side: the tests without a browser, and the browser tests in
# two even shares (tests/shares.py), each share one Chromium running its tests one after another.
# The other two logs follow the first share's output.
PYTEST = $(BIN)/python -m pytest -q -ra --durations=15 -p no:cacheprovider
test: setup-test
	@tmp=$${TMPDIR:-/tmp}/smart-region-tests; mkdir -p $$tmp; \
	$(PYTEST) -m "not browser" --basetemp=$$tmp/other >.pytest-other.log 2>&1 & other=$$!; \
	$(PYTEST) -m browser --share=2/2 --basetemp=$$tmp/browser2 >.pytest-browser2.log 2>&1 & second=$$!; \
	$(PYTEST) -m browser --share=1/2 --basetemp=$$tmp/browser1; first=$$?; \
	wait $$second; second=$$?; wait $$other; other=$$?; \
	echo "--- browser tests, second share:"; cat .pytest-browser2.log; \
	echo "--- tests without a browser:"; cat .pytest-other.log; \
	echo "browser tests: exit $$first and $$second; other tests: exit $$other"; \
	[ $$first = 0 ] && [ $$second = 0 ] && [ $$other = 0 ]

# PostGIS + $(REPLICAS) app replicas + nginx on 127.0.0.1:$(CLUSTER_PORT) (docs/OPERATIONS.md).
cluster: setup
	$(BIN)/python -m ops.cluster --replicas $(REPLICAS) --port $(CLUSTER_PORT)

demo: setup
	$(BIN)/python -m geo demo

lint: setup-test
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Pin the newest releases that pyproject.toml allows (app, then app + test tools).
lock: $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -q --no-header \
		--annotation-style line --upgrade -o $(LOCK)
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -q --no-header \
		--annotation-style line --upgrade -c $(LOCK) -o $(TEST_LOCK)

# The whole suite on whatever is newest today, in a separate environment.
test-latest:
	rm -rf .venv-latest && $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install --quiet --upgrade pip
	.venv-latest/bin/pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	.venv-latest/bin/pip freeze | grep -iE '^(streamlit|pandas|numpy|geopandas|shapely|pyogrio|folium|streamlit-folium)=='
	.venv-latest/bin/python -m pytest -q -ra

clean:
	rm -rf $(VENV) .venv-latest static/vendor .pytest_cache .cluster
