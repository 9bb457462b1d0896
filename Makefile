# Two commands do everything on a fresh machine with Python >= 3.11 and make:
#   make site   create .venv, install, build the site into site/
#   make test   everything CI runs: lint, types, content checks, the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ORIGINALITY := ../shared/tools/originality

.PHONY: site serve check test lint bench bench-search clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.site

site: $(VENV)/.site
	$(BIN)/handbook build

serve: $(VENV)/.site
	$(BIN)/handbook serve

check: $(VENV)/.site
	$(BIN)/handbook check
	$(BIN)/handbook urls --check
	$(BIN)/handbook codeowners --check

lint: $(VENV)/.dev
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

test: lint check
	@if [ -x $(ORIGINALITY) ]; then $(ORIGINALITY); \
	else echo "note: $(ORIGINALITY) not found; originality check skipped"; fi
	$(BIN)/pytest

# Speed and memory at 500, 2,000 and 5,000 entries; writes bench/RESULTS.md and results.json.
bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

# Search quality in Chromium, both engines: hit@1, hit@3, MRR@10 per query type into bench/SEARCH.md.
bench-search: $(VENV)/.dev
	$(BIN)/python bench/search.py --baseline bench/search-baseline.json

clean:
	rm -rf build site
