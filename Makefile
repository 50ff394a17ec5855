# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint portal bench clean

$(STAMP): pyproject.toml scripts/setup.sh scripts/ensure-browser.sh
	bash scripts/setup.sh "$(PYTHON)"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/corobot demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

portal: $(STAMP)
	$(BIN)/python -m mock_portal --test-api

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache
