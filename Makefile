# Two commands do everything on a fresh machine with Python >= 3.11 and make:
#   make site   create .venv, install, build the site into site/ and the partner handbook into site-partners/
#   make test   everything CI runs: lint, types, the shipped handbook checked and built, originality,
#               the engine's whole test suite (on fixture handbooks, Chromium included), and the
#               fast part of it again on the newest releases pyproject.toml's ranges allow
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

.PHONY: site serve serve-partners check fix test test-newest shipped lint browser bench bench-search bench-site bench-leaks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The exact versions of constraints.txt: what CI has tested.
$(VENV)/.site: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -c constraints.txt -e .
	touch $@

$(VENV)/.dev: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -c constraints.txt -e ".[dev]"
	touch $@ $(VENV)/.site

# The newest releases the ranges in pyproject.toml allow, in a virtual environment of their own.
NEWEST := .venv-newest
$(NEWEST)/.dev: pyproject.toml
	rm -rf $(NEWEST)
	$(PYTHON) -m venv $(NEWEST)
	PYTHONWARNINGS="ignore:Editable installation" $(NEWEST)/bin/python -m pip install --quiet --upgrade pip -e ".[dev]"
	touch $@

site: $(VENV)/.site
	$(BIN)/handbook build --audience all

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

# The handbook this repository ships, checked and built as any handbook is.
shipped: check
	$(BIN)/handbook build --audience all

# Prose that must be our own words: the shipped handbook, the starter and the tests' handbooks.
ORIGINAL_TEXT := playbooks content README.md generator/starter_handbook tests/handbooks

test: browser lint shipped
	@if [ -x $(ORIGINALITY) ]; then $(ORIGINALITY) $(ORIGINAL_TEXT); \
	else echo "note: $(ORIGINALITY) not found; originality check skipped"; fi
	$(BIN)/pytest
	$(MAKE) --no-print-directory test-newest

# The engine's tests without the browser, on the newest releases in range (not the constraints).
test-newest: $(NEWEST)/.dev
	@$(NEWEST)/bin/pip freeze | grep -i -E "^(mkdocs|mkdocs-material|mkdocs-redirects|jinja2|pyyaml|markdown-it-py|pydantic|pagefind)==" | tr '\n' ' '; echo
	$(NEWEST)/bin/pytest -m "not browser" -q

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

# The partner handbook's checks (every rule of check, the leak check) at 300 and 1,500 pages,
# this tree against HEAD in one run: a Markdown table on the terminal.
bench-leaks: $(VENV)/.dev
	$(BIN)/python bench/leak_check.py

clean:
	rm -rf build site site-partners .wheel-build
