# The two commands of the README: `make report` and `make test`.
# Both create .venv when needed and install the locked dependencies into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/actionplan.db

.PHONY: setup report test lint format lock clean-db workbook hub hub-proxy

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(BIN)/python -q --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python -q --no-deps -e .
	@# Compiled now, as an install compiles a package, so that every command and
	@# report kernel starts from bytecode even where PYTHONDONTWRITEBYTECODE is set.
	@$(BIN)/python -m compileall -q actionplan > /dev/null
	@touch $(STAMP)

$(DB): | $(STAMP)
	$(BIN)/actionplan --db $(DB) init --demo

# Render the latest quarter that has data; the last line printed is the report's path.
report: $(STAMP) $(DB)
	@$(BIN)/actionplan --db $(DB) summary --quarter latest
	@$(BIN)/actionplan --db $(DB) report --quarter latest --out reports

# The officers' workbook at http://127.0.0.1:8866/ until Ctrl-C (PORT=... to change it).
PORT ?= 8866
workbook: $(STAMP) $(DB)
	@$(BIN)/actionplan --db $(DB) workbook --port $(PORT)

# The team service (docs/team.md) at http://127.0.0.1:8000/ until Ctrl-C, for the
# plan in ACTIONPLAN_DB (PostgreSQL for a team), else $(DB). Register people first.
HUB_PORT ?= 8000
hub: $(STAMP) hub-proxy
	@$(BIN)/actionplan $(if $(ACTIONPLAN_DB),,--db $(DB)) hub --port $(HUB_PORT)

# JupyterHub's proxy, from npm, into the project (.hub/), not globally.
PROXY := .hub/node_modules/.bin/configurable-http-proxy
hub-proxy: $(PROXY)

$(PROXY):
	npm install --prefix .hub --no-audit --no-fund --loglevel=error configurable-http-proxy@5

test: $(STAMP) hub-proxy
	$(BIN)/python -m pytest -v

lint: $(STAMP)
	$(BIN)/ruff check actionplan tests bench
	$(BIN)/ruff format --check actionplan tests bench

format: $(STAMP)
	$(BIN)/ruff format actionplan tests bench
	$(BIN)/ruff check --fix actionplan tests bench

# Re-resolve the pinned versions after changing dependencies in pyproject.toml.
lock:
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -q -o requirements.lock

clean-db:
	rm -f $(DB) $(DB)-wal $(DB)-shm

# Benchmarks (issue 7): S, M and L plans; the table is printed and saved to
# bench/results.json. Generated plans are cached in bench/.work/.
.PHONY: bench bench-quick
bench: $(STAMP)
	$(BIN)/python -m bench

bench-quick: $(STAMP)
	$(BIN)/python -m bench --quick
