# The two commands of the quick start: `make demo` and `make test`.
# Each sets up what it needs (virtual environment, packages) by itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench setup system clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

system:
	@bash scripts/system-packages.sh

demo: $(STAMP)
	@bash scripts/system-packages.sh demo
	$(BIN)/hall demo

test: $(STAMP) system
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 3

bench: $(STAMP)
	$(BIN)/hall bench

clean:
	rm -rf $(VENV)
