"""The leak check's search: every file of a built site, for every fingerprint of what is withheld.

A fingerprint is a run of words (a sentence, a title), an id, or a project string matched as
written. Each file is read as a reader could (`unpack`), turned into words with a break where
a fingerprint cannot go on (the end of a sentence, of an element of a page, of a JSON string),
and looked up in an index of the fingerprints by their first words. A name of one or two
words, and any run of fewer than `MIN_RUN_LETTERS` letters, is looked for in a page's content,
the search index and downloads only: the theme's own words (its scripts, its navigation
labels) are not evidence. A large site is searched by a
forked process per core, with the same finds in the same order as one process.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem
from .safety import page_parts
from .unpack import Unreadable, engine_file, readable

KEY = 3  # words that index the search
FILES_PER_PROCESS = 1000  # a site with fewer files a core is searched in this process alone
BREAK = "\x00"  # between two runs of words that a fingerprint cannot span: no word is this
MIN_NAME_LETTERS = 4  # a shorter name ("T&M") names nothing in particular
LONG_NAME_WORDS = 3  # a name this long is searched for everywhere, as sentences are...
MIN_RUN_LETTERS = 16  # ...if it has this many letters; a shorter run ("a b c d") only in content
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WORD = re.compile(r"[a-z0-9]+")
_TAG = re.compile(r"<[^>]*>")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_MARKUP_FILES = (".html", ".htm", ".xml", ".svg")
_BLOCK = "p|li|h[1-6]|td|th|tr|div|section|article|nav|header|footer|aside|ul|ol|dl|dt|dd|table|caption"
_BLOCK_TAG = re.compile(
    rf"</?(?:{_BLOCK}|blockquote|pre|details|summary|figure|figcaption|title|br|hr|loc)\b[^>]*>"
)
_STRING_QUOTE = re.compile(r'(?<!\\)"')  # where a JSON (or script) string starts or ends
_LITERAL_TOKEN = re.compile(r"[\w@.+:-]+(?:/[\w@.+:-]*)*")  # a name, path or address as written
_SENTENCE_STOP = re.compile(r"[.!?](?=\s|$)")  # where a scanned sentence ends (titles may hold ":")
_CODE_FILES = frozenset({".js", ".mjs", ".css", ".map", ".wasm"})  # the engines' code (not their data)


@dataclass(frozen=True)
class Fingerprint:
    words: tuple[str, ...]  # normalised words; for an id, the id itself as one "word"
    what: str  # "id", "title", "keyword", "synonym", "text" or a project string's name
    origin: Problem  # where it comes from: the withheld entry's position, or the project file
    literal: str = ""  # a project string, matched as written (not as words)
    name: str = ""  # what it gives away: a withheld entry's id (its playbook's for an item), a page


@dataclass(frozen=True)
class Leak:
    fingerprint: Fingerprint
    file: str  # relative to the site folder


def words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


def _literals_found(lower: str, literals: dict[str, list[Fingerprint]]) -> Iterator[Fingerprint]:
    """The literals in the text as whole names: `@acme/x` in "@acme/x" or ".../@acme/x/...",
    not in "@acme/xy"; `playbooks/a.yaml` anywhere in a path or address, by its segments."""
    for token in set(_LITERAL_TOKEN.findall(lower)):
        token = token.rstrip(".:")
        if "/" not in token:
            yield from literals.get(token, ())
            continue
        parts = token.split("/")
        for start in range(len(parts)):
            for end in range(start + 1, len(parts) + 1):
                yield from literals.get("/".join(parts[start:end]), ())


def _tokens(path: Path, text: str) -> tuple[str, ...]:
    """The file's words, with a break (BREAK, no word) wherever a fingerprint cannot go on: at
    the end of a sentence, of an element of a page (a heading, a paragraph, a table cell) and
    of a string of a JSON file. Words of two blocks that happen to follow each other ("...our
    delivery" + "Scope exit") are not a withheld title."""
    text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if path.suffix in _MARKUP_FILES:
        pieces = [_TAG.sub(" ", piece) for piece in _BLOCK_TAG.split(text)]
    else:
        pieces = _STRING_QUOTE.split(text)
    tokens: list[str] = []
    for piece in pieces:
        for part in _SENTENCE_STOP.split(html.unescape(piece)):
            if found := words_of(part):
                tokens += (*found, BREAK)
    return tuple(tokens)


def _id_found(text: str, slug: str) -> bool:
    """A one-word id counts only where it can only be an id: an anchor or a path segment."""
    return f"#{slug}" in text or f"/{slug}/" in text


def _content_area(path: Path, rel: str, text: str) -> str:
    """Where a withheld name (a title, a keyword, a synonym: a word or two) is evidence: a
    page's content, the search index and downloads, not the theme around them, nor the theme's
    or the engines' scripts and styles, whose words are their own."""
    if path.suffix in (".html", ".htm"):
        return page_parts(text)[0]
    if engine_file(rel) and path.suffix in _CODE_FILES:
        return ""
    return text


class _Index:
    """The fingerprints by how they are looked for: ids as slugs, project strings as written,
    sentences and longer names in every file, names of a word or two in content only."""

    def __init__(self, prints: list[Fingerprint]):
        self.ids: dict[str, list[Fingerprint]] = {}
        self.literals: dict[str, list[Fingerprint]] = {}
        self.everywhere = Runs()
        self.in_content = Runs()  # a name of a word or two: the theme's words could be the same
        for fp in prints:
            if fp.literal:
                self.literals.setdefault(fp.literal, []).append(fp)
            elif fp.what == "id":
                self.ids.setdefault(fp.words[0], []).append(fp)
            elif (fp.what == "text" or len(fp.words) >= LONG_NAME_WORDS) and _letters(fp) >= MIN_RUN_LETTERS:
                self.everywhere.add(fp)
            elif _letters(fp) >= MIN_NAME_LETTERS:
                self.in_content.add(fp)


def _letters(fp: Fingerprint) -> int:
    return sum(map(len, fp.words))


class Runs:
    """Word runs, by their first (up to KEY) words."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, ...], list[Fingerprint]] = {}
        self.sizes: set[int] = set()  # of the keys: a run of 8 words is looked up by 3 only

    def add(self, fp: Fingerprint) -> None:
        key = fp.words[:KEY]
        self.by_key.setdefault(key, []).append(fp)
        self.sizes.add(len(key))

    def found_in(self, tokens: tuple[str, ...]) -> Iterator[Fingerprint]:
        get = self.by_key.get
        for size in self.sizes:
            for i, key in enumerate(zip(*(tokens[k:] for k in range(size)), strict=False)):
                for fp in get(key, ()):
                    if len(fp.words) == size or tokens[i : i + len(fp.words)] == fp.words:
                        yield fp


def scan(
    site: Path, prints: list[Fingerprint], files: list[Path]
) -> tuple[list[Leak], list[tuple[str, str]]]:
    """Every fingerprint found in `files`, the files of the site in the folder `site`, and the
    files it could not read, with why."""
    index = _Index(prints)
    leaks, unreadable = [], []
    for path in files:
        rel = path.relative_to(site).as_posix()
        try:
            text = readable(path, rel)
        except Unreadable as exc:
            unreadable.append((rel, str(exc)))
            continue
        lower = html.unescape(text).lower()
        found: list[Fingerprint] = []
        for slug in set(_SLUG.findall(lower)) & index.ids.keys():
            if "-" in slug or _id_found(lower, slug):
                found += index.ids[slug]
        found += _literals_found(lower, index.literals)
        found += index.everywhere.found_in(_tokens(path, text))
        if index.in_content.by_key and (area := _content_area(path, rel, text)):
            found += index.in_content.found_in(_tokens(path, area))
        leaks += [Leak(fp, rel) for fp in dict.fromkeys(found)]
    return leaks, unreadable


def scan_on_every_core(
    site: Path, prints: list[Fingerprint], files: list[Path]
) -> tuple[list[Leak], list[tuple[str, str]]]:
    """`scan`, with the files dealt out to a forked process per core for a large site: the
    same finds, in the same order, as one process."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    count = min(cores, len(files) // FILES_PER_PROCESS)
    if count < 2 or not hasattr(os, "fork") or threading.active_count() > 1:  # forking threads can hang
        return scan(site, prints, files)
    _FORKED.update(site=site, prints=prints, shares=[files[n::count] for n in range(count)])
    try:  # each process inherits what it searches when forked, rather than unpickling it
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_scan_share, range(count)))
    finally:
        _FORKED.clear()
    order = {path.relative_to(site).as_posix(): n for n, path in enumerate(files)}
    leaks = sorted((leak for found, _ in results for leak in found), key=lambda leak: order[leak.file])
    unreadable = sorted((item for _, lost in results for item in lost), key=lambda item: order[item[0]])
    return leaks, unreadable


_FORKED: dict[str, Any] = {}  # what `scan_on_every_core` hands its forked processes


def _scan_share(number: int) -> tuple[list[Leak], list[tuple[str, str]]]:
    return scan(_FORKED["site"], _FORKED["prints"], _FORKED["shares"][number])
