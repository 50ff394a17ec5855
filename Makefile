# Two commands do all set-up on a fresh machine: `make demo` and `make test` (= lint, unit, e2e).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The end-to-end tests in two processes, a test file each at a time (a file's tests share its mock portal),
# handed out longest first (tests/conftest.py); PYTEST_PARALLEL= runs them in one process. The unit tests
# run in one process: they take seconds. Tests marked `drill` (long fault drills) run in `make drills`.
PYTEST_PARALLEL ?= -n 2 --dist loadfile
NOT_DRILLS := -m "not drill"

.PHONY: demo test unit e2e hostile drills lint format portal bench soak fuzz clean

$(STAMP): pyproject.toml scripts/setup.sh scripts/ensure-browser.sh
	bash scripts/setup.sh "$(PYTHON)"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/corobot demo

# Everything CI runs: the checks, the unit tests (fast, no browser), then the end-to-end tests and the
# hostile-workbook corpus side by side in the same test processes.
test: lint unit
	$(BIN)/pytest tests/e2e tests/hostile $(NOT_DRILLS) $(PYTEST_PARALLEL)

# tests/unit: no browser, no portal process, under a minute.
unit: $(STAMP)
	$(BIN)/pytest tests/unit

# tests/e2e: real Chromium against the mock portal as a process, on both of its front ends (where the
# front end plays a part), without the long drills.
e2e: $(STAMP)
	$(BIN)/pytest tests/e2e $(NOT_DRILLS) $(PYTEST_PARALLEL)

# The long fault drills moved out of `make test` (marker `drill`; README "Tests" says which and why).
drills: $(STAMP)
	$(BIN)/pytest tests/e2e -m drill $(PYTEST_PARALLEL)

# tests/hostile: 145 generated hostile or odd workbooks against `corobot validate` and the inbox.
hostile: $(STAMP)
	$(BIN)/pytest tests/hostile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Rewrites the tree in the house style ([tool.ruff.format] in pyproject.toml) and sorts imports.
format: $(STAMP)
	$(BIN)/ruff check --select I --fix .
	$(BIN)/ruff format .

portal: $(STAMP)
	$(BIN)/python -m mock_portal --test-api

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench

# The drills above, then the fault drill of issue 12 at full size (600 rows, chaos, three SIGKILLs); not
# in CI, takes a while.
soak: drills
	$(BIN)/python -m bench.soak
	COROBOT_HOSTS_ROWS=60 $(BIN)/pytest tests/e2e/test_hosts.py -k share -n 0 -q  # two hosts share 60 rows

# The main job and doctor on SEEDS random mock variants (SEED=1,2,3 pins them, FORCE=dialog=type1 sets
# dimensions): one line per seed, see bench/fuzz.py and docs/portal.md.
SEEDS ?= 3
SEED ?= $(COROBOT_TEST_SEEDS)
FORCE ?= $(MOCK_VARIANT_FORCE)
fuzz: $(STAMP)
	$(BIN)/python -m bench.fuzz --seeds $(SEEDS) --seed "$(SEED)" --force "$(FORCE)" -v

clean:
	rm -rf $(VENV) .pytest_cache
