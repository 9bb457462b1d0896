"""The handbook's search: one search box, two engines, both fed the same entry documents.

Every linkable entry is a search document (`search_docs`). The header search box
(`generator/assets/search/`) shows entries, each with the page it lives on, and ranks them by how
much of the query they answer. It asks one of two engines for the documents that match each
word of the query:

- **lunr** (`search/index.json`): the documents, indexed in the reader's browser by lunr.js (the
  copy MkDocs ships) in a web worker. One download of the whole index, on the first search.
- **Pagefind** (`pagefind/`): an index split into small chunks that are fetched only when a
  query needs them, built here from the same documents by the `pagefind` command (in several
  indexes, merged by the box, when there are more than `RECORDS_PER_INDEX` documents). The
  handbook's words, for telling a misspelt word from an unknown one and correcting it, come in
  small files by first letter (`search/words/`), fetched as query words need them.

The `handbook` plugin option `search` picks the engine: `lunr`, `pagefind`, or `auto` (the
default), which switches to Pagefind above `pagefind_above` linkable entries. Material's own
search plugin is switched off in both cases: the handbook's box replaces its box.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import mkdocs.contrib.search
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from .search_docs import SearchDoc, synonym_table
from .search_settings import SearchSettings
from .search_text import STOP_WORDS, searchable

Mode = Literal["lunr", "pagefind"]
MATERIAL_SEARCH = ("material/search", "search")
INDEX_FILE = "search/index.json"
CONFIG_FILE = "search/config.json"  # stop words and synonyms, for the box when Pagefind holds the index
WORDS_DIR = "search/words"
PAGEFIND_DIR = "pagefind"
LUNR_JS = Path(mkdocs.contrib.search.__file__).parent / "templates" / "search" / "lunr.js"
LUNR_JS_URI = "assets/search/lunr.js"
TEXT_CHARS = 600  # of an entry's text kept for its result's snippet (Pagefind)
RECORDS_PER_INDEX = 6000  # documents in one Pagefind index (5,431 of them: Pagefind peaked at 496 MB)

# How much a match in each field of a search document counts, relative to the entry's text:
# title, keywords (with synonyms and joined forms of the title), context (kind, page, section),
# text, alt (synonyms and joined forms of the text), tags. lunr multiplies a field's scores by
# its weight; Pagefind counts a word by its weight (up to 10; the search box sets its ranking to
# use raw weighted counts) but caps the count, which is one reason the search box ranks its best
# candidates again by their titles (query.js, `rerank`).
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n")  # where a sentence of a search document ends
FIELD_WEIGHTS = {"t": 10.0, "k": 6.0, "c": 1.5, "x": 1.0, "a": 0.6, "g": 0.4}


def choose(option: str, entries: int, threshold: int) -> Mode:
    if option == "auto":
        return "pagefind" if entries > threshold else "lunr"
    return "pagefind" if option == "pagefind" else "lunr"


def switch_off_material_search(config: MkDocsConfig) -> None:
    """Remove Material's search plugin from this build: its events, and its entry that makes
    the theme render Material's search box and load its index."""
    for name in MATERIAL_SEARCH:
        plugin = config.plugins.pop(name, None)
        if plugin is None:
            continue
        for event, methods in config.plugins.events.items():
            config.plugins.events[event] = [m for m in methods if getattr(m, "__self__", None) is not plugin]


def ask_url(repo_url: str | None, template: str | None) -> str:
    """Where "ask the handbook's owners" leads: a new issue in the repository's tracker, its
    title and body filled in by the search box (`{title}` and `{body}`, URL-encoded).

    GitLab takes `issue[title]`; GitHub, Gitea and Forgejo take `title` and `body`. An explicit
    `ask_url` option wins; without either, the box offers no such link."""
    if template is not None:
        return template
    if not repo_url:
        return ""
    base = repo_url.rstrip("/")
    if "gitlab" in (urlsplit(base).hostname or ""):
        return base + "/-/issues/new?issue%5Btitle%5D={title}&issue%5Bdescription%5D={body}"
    return base + "/issues/new?title={title}&body={body}"


# --- lunr -------------------------------------------------------------------------------


def query_settings(settings: SearchSettings) -> dict[str, object]:
    """What the search box needs to read a query as the build read the handbook."""
    return {"stopWords": sorted(STOP_WORDS), "synonyms": synonym_table(settings)}


def lunr_index(docs: list[SearchDoc], settings: SearchSettings) -> str:
    """The documents, the field weights and the query settings, as JSON."""
    data = {
        "version": 1,
        "fields": FIELD_WEIGHTS,
        **query_settings(settings),
        "docs": [doc.as_json() for doc in docs],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_lunr_index(site_dir: Path, docs: list[SearchDoc], settings: SearchSettings) -> None:
    target = site_dir / INDEX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(lunr_index(docs, settings), encoding="utf-8")


# --- Pagefind ---------------------------------------------------------------------------


def pagefind_record(doc: SearchDoc) -> str:
    """A small HTML page for one entry: each field in an element with its weight, as the words
    search looks at (stop words left out, as the lunr index leaves them out, so that "it" is
    found only where a text says "IT"). What a result shows (title, page, text) and where it
    links are metadata, kept apart."""
    weight = {name: min(w, 10.0) for name, w in FIELD_WEIGHTS.items()}
    fields = {"t": [doc.title], "k": doc.keywords, "c": [doc.context], "x": [doc.text], "a": doc.alt,
              "g": [doc.tags]}  # fmt: skip
    # Each term and sentence keeps its end: to search, a full stop is nothing; to the leak check,
    # words either side of it do not follow each other.
    pieces = {
        name: (piece for part in parts for piece in _SENTENCE.split(part)) for name, parts in fields.items()
    }
    searched = {
        name: ". ".join(" ".join(found) for piece in each if (found := searchable(piece)))
        for name, each in pieces.items()
    }
    body = "".join(
        f'<p data-pagefind-weight="{weight[name]}">{html.escape(text)}</p>'
        for name, text in searched.items()
        if text
    )
    meta = (
        ("url", doc.url),
        ("title", doc.title),
        ("keywords", " ".join(doc.keywords)),
        ("where", doc.where),
        ("text", doc.text[:TEXT_CHARS]),
    )
    spans = "".join(f'<span data-pagefind-meta="{name}:{html.escape(value)}"></span>' for name, value in meta)
    title = html.escape(doc.title)
    return f'<html lang="en"><head><title>{title}</title></head><body>{spans}{body}</body></html>'


def build_pagefind_index(
    site_dir: Path, docs: list[SearchDoc], settings: SearchSettings, per_index: int = RECORDS_PER_INDEX
) -> None:
    """Index the documents with Pagefind into site/pagefind/, and write the word lists.

    Each document becomes a small page in a temporary folder that the `pagefind` command
    indexes in one run (its Python API answers one file per 100 ms, too slow for thousands).
    Pagefind holds a whole index in memory (about 90 KB a document), so more than `per_index`
    documents are dealt out in turn to several indexes, built one after the other: the first in
    `pagefind/`, the others in `pagefind/index-N/`, which the search box merges into the first
    (Pagefind's `mergeIndex`) as `search/config.json` lists them."""
    shards = pagefind_shards(len(docs), per_index)
    more = []
    for number, numbers in enumerate(shards, start=1):
        folder = "" if number == 1 else f"index-{number}/"
        _run_pagefind(site_dir / PAGEFIND_DIR / folder, [(n, docs[n]) for n in numbers])
        if folder:
            more.append(folder)
    write_word_lists(site_dir, docs, settings)
    config = {**query_settings(settings), "pagefindIndexes": more}
    (site_dir / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")


def pagefind_shards(count: int, per_index: int) -> list[range]:
    """Document numbers for each index: as few indexes as hold `per_index` each, the documents
    dealt out in turn so that every index has the same mix of kinds (and comparable scores)."""
    indexes = max(1, -(-count // max(1, per_index)))
    return [range(start, count, indexes) for start in range(indexes)]


def _run_pagefind(output: Path, docs: list[tuple[int, SearchDoc]]) -> None:
    with tempfile.TemporaryDirectory(prefix="handbook-search-") as tmp:
        for number, doc in docs:
            (Path(tmp) / f"{number}.html").write_text(pagefind_record(doc), encoding="utf-8")
        command = [
            *(sys.executable, "-m", "pagefind", "--site", tmp, "--output-path", str(output)),
            *("--force-language", "en", "--quiet"),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        raise PluginError(f"pagefind failed: {result.stderr.strip() or result.stdout.strip()}")


def word_lists(docs: list[SearchDoc], settings: SearchSettings) -> dict[str, dict[str, int]]:
    """Every word of the documents with its count, in one list per first character: what the
    search box corrects a misspelt word against (synonym tokens left out)."""
    tokens = {str(group["token"]) for group in synonym_table(settings)}
    counts: Counter[str] = Counter()
    for doc in docs:
        for value in (doc.title, doc.text, doc.context, " ".join(doc.keywords), " ".join(doc.alt)):
            counts.update(w for w in searchable(value) if len(w) > 2 and w not in tokens)
    lists: dict[str, dict[str, int]] = {}
    for word, count in sorted(counts.items()):
        lists.setdefault(_shard(word), {})[word] = count
    return lists


def _shard(word: str) -> str:
    first = word[0]
    return first if first.isascii() and first.isalnum() else "_"


def write_word_lists(site_dir: Path, docs: list[SearchDoc], settings: SearchSettings) -> None:
    target = site_dir / WORDS_DIR
    target.mkdir(parents=True, exist_ok=True)
    for shard, counts in word_lists(docs, settings).items():
        (target / f"{shard}.json").write_text(json.dumps(counts, ensure_ascii=False), encoding="utf-8")
