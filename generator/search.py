"""Which search a build gets: Material's built-in lunr index, or Pagefind's chunked index.

Lunr puts every page into one `search_index.json` that each reader downloads whole before the
first result appears: fine for a few hundred entries, megabytes for thousands. Pagefind splits
the index into small chunks and fetches only those a query needs. The `handbook` plugin option
`search` picks one: `lunr`, `pagefind`, or `auto` (the default), which switches to Pagefind
above `pagefind_above` linkable entries.

In Pagefind mode Material's search plugin is switched off for the build (so no lunr index is
written or downloaded), the theme override puts Pagefind's search box in the header, and the
index is built over the finished site by the `pagefind` command from PyPI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

Mode = Literal["lunr", "pagefind"]
MATERIAL_SEARCH = ("material/search", "search")


def choose(option: str, entries: int, threshold: int) -> Mode:
    if option == "auto":
        return "pagefind" if entries > threshold else "lunr"
    return "pagefind" if option == "pagefind" else "lunr"


def switch_off_lunr(config: MkDocsConfig) -> None:
    """Remove Material's search plugin from this build: its events, and its entry that makes
    the theme render the lunr search box and load the index."""
    for name in MATERIAL_SEARCH:
        plugin = config.plugins.pop(name, None)
        if plugin is None:
            continue
        for event, methods in config.plugins.events.items():
            config.plugins.events[event] = [m for m in methods if getattr(m, "__self__", None) is not plugin]


def build_index(site_dir: Path) -> None:
    """Index the built site with Pagefind, into site/pagefind/."""
    command = [
        *(sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind"),
        *("--exclude-selectors", ".headerlink"),  # the ¶ permalinks are not content
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise PluginError(f"pagefind failed: {result.stderr.strip() or result.stdout.strip()}")
