# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Two test processes, a test file each at a time (a file's tests share its mock portal); PYTEST_PARALLEL=
# runs the suite in one process.
PYTEST_PARALLEL ?= -n 2 --dist loadfile

.PHONY: demo test lint portal bench soak clean

$(STAMP): pyproject.toml scripts/setup.sh scripts/ensure-browser.sh
	bash scripts/setup.sh "$(PYTHON)"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/corobot demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_PARALLEL)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

portal: $(STAMP)
	$(BIN)/python -m mock_portal --test-api

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench

# The fault drill of issue 12 at full size (600 rows, chaos, three SIGKILLs); not in CI, takes a while.
soak: $(STAMP)
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) .pytest_cache
