# Two commands do everything on a fresh machine with Python >= 3.11 and make:
#   make site   create .venv, install, build the site into site/ and the partner handbook into site-partners/
#   make test   everything CI runs: lint, types, content checks, the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ORIGINALITY := ../shared/tools/originality
# The browser tests drive Debian's chromium; `make test` installs it when it can (as root, or
# with password-less sudo) and otherwise stops before the suite, saying what to run.
CHROMIUM ?= $(or $(HANDBOOK_CHROMIUM),/usr/bin/chromium)
APT_GET ?= apt-get
# setuptools warns on every editable install about folders named like the package: noise.
PIP_INSTALL := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet

.PHONY: site serve serve-partners check fix test lint browser bench bench-search bench-site clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -e ".[dev]"
	touch $@ $(VENV)/.site

site: $(VENV)/.site
	$(BIN)/handbook build
	$(BIN)/handbook build --audience partners

serve: $(VENV)/.site
	$(BIN)/handbook serve

serve-partners: $(VENV)/.site
	$(BIN)/handbook serve --audience partners

# Everything the project enforces on content and derived files, as file:line:col problems,
# and the leak check on a build of the partner handbook.
check: $(VENV)/.site
	$(BIN)/handbook check --audience partners

# Update the derived files (URL manifest, CODEOWNERS, schemas) that `make check` reports.
fix: $(VENV)/.site
	$(BIN)/handbook fix

lint: $(VENV)/.dev
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

test: browser lint check
	@if [ -x $(ORIGINALITY) ]; then $(ORIGINALITY); \
	else echo "note: $(ORIGINALITY) not found; originality check skipped"; fi
	$(BIN)/pytest

browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif command -v $(APT_GET) >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  DEBIAN_FRONTEND=noninteractive $(APT_GET) update -q && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -q chromium; \
	elif command -v $(APT_GET) >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  sudo -n env DEBIAN_FRONTEND=noninteractive $(APT_GET) update -q && sudo -n env DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -q chromium; \
	else \
	  echo "make test: the browser tests need Debian's chromium at $(CHROMIUM): run 'sudo apt-get install chromium' (or set HANDBOOK_CHROMIUM to a Chromium binary), then 'make test' again" >&2; \
	  exit 1; \
	fi
	@[ -x "$(CHROMIUM)" ] || { echo "make test: chromium was installed but $(CHROMIUM) is still missing: set HANDBOOK_CHROMIUM to its path" >&2; exit 1; }

# Speed and memory at 500, 2,000 and 5,000 entries; writes bench/RESULTS.md and results.json.
bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

# Search quality in Chromium, both engines: hit@1, hit@3, MRR@10 per query type into bench/SEARCH.md.
bench-search: $(VENV)/.dev
	$(BIN)/python bench/search.py --baseline bench/search-baseline.json

# What outside site checkers see: first-view bytes of every kind of page in Chromium, and
# Lighthouse (mobile and desktop, from npm into .bench/) on five pages; into bench/SITE.md.
bench-site: $(VENV)/.dev
	$(BIN)/python bench/site_checks.py

clean:
	rm -rf build site site-partners
