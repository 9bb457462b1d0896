"""The leak check: prove that a built audience's site holds nothing withheld from it.

`audience.view` leaves withheld entries out before anything is rendered; this module checks the
result, as a partner would receive it. Every file of the built site is read (HTML, JSON, JS,
XML, Pagefind's chunks, anything gzip-compressed is opened first) and searched for what would
give a withheld entry away:

- its id and former ids, as whole slugs (a one-word id only as `#id` or `/id/`);
- its title (three words or more) and the opening words of each sentence of its text;
- the project's own business: the repository's address, the review accounts in owners.yaml,
  the owner teams and the playbooks' file paths ("edit this page" and "generated from").

Something shared may say the same words as something withheld (two checklists with one item):
whatever the shared sources themselves contain is not evidence of a leak, and is not searched.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from . import audience, inline, owners
from .model import Entry, Item, refs_marker
from .problems import Problem
from .tag_pages import tag_slug
from .validate import Handbook

SENTENCE_WORDS = 8  # words from the start of each sentence of withheld text
MIN_SENTENCE_WORDS = 6  # shorter sentences are too common to tell anything
MIN_TITLE_WORDS = 3
KEY = 3  # words that index the search
MAX_FILE_BYTES = 50_000_000
_NOT_TEXT = frozenset({"id", "aliases", "see", "keywords", "kind", "owner", "url", "tags", "audience"})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n\s*\n")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_TAG = re.compile(r"<[^>]*>")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_MARKUP_FILES = (".html", ".htm", ".xml", ".svg")


@dataclass(frozen=True)
class Fingerprint:
    words: tuple[str, ...]  # normalised words; for an id, the id itself as one "word"
    what: str  # "id", "title", "text" or a project string's name
    origin: Problem  # where it comes from: the withheld entry's position, or the project file


@dataclass(frozen=True)
class Leak:
    fingerprint: Fingerprint
    file: str  # relative to the site folder


def words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


def _source_words(text: str, handbook: Handbook) -> str:
    """Markdown from a playbook as a reader sees its words: links by their words, defaults by
    their values, entities decoded."""
    return html.unescape(_LINK_TARGET.sub("]", inline.words(text, handbook)))


def _own_texts(model: BaseModel) -> Iterator[tuple[str, str]]:
    """(field, text) of a model's own text fields: not those of the models inside it."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if name in _NOT_TEXT or refs_marker(info) is not None:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                yield name, text


def withheld_fingerprints(handbook: Handbook, name: str) -> list[Fingerprint]:
    """What would give away each part of `handbook` that the audience `name` (partners: the
    one audience besides ourselves so far) does not read."""
    prints: list[Fingerprint] = []
    for pb in handbook.playbooks:
        for model, shared, loc in audience.walk(pb.model):
            if shared or not isinstance(model, (Entry, Item)):
                continue
            origin = pb.source.problem(loc, "")
            for slug in [model.id, *model.aliases] if model.id else []:
                prints.append(Fingerprint((slug,), "id", origin))
            for field, text in _own_texts(model):
                plain = _source_words(text, handbook)
                if field == model.label_field:
                    if len(found := words_of(plain)) >= MIN_TITLE_WORDS:
                        prints.append(Fingerprint(found, "title", origin))
                    continue
                for sentence in _SENTENCE_END.split(plain):
                    if len(found := words_of(sentence)) >= MIN_SENTENCE_WORDS:
                        prints.append(Fingerprint(found[:SENTENCE_WORDS], "text", origin))
    return prints


def project_fingerprints(root: Path, handbook: Handbook, repo_url: str | None) -> list[Fingerprint]:
    """The project's own business, which no page for an audience needs: the repository (edit
    links), the reviewers and owner teams (CODEOWNERS), the playbooks' files ("generated from")."""
    prints = []
    if repo_url:
        prints.append(
            Fingerprint(words_of(repo_url), "repository address", _at(root, "mkdocs.yml", repo_url))
        )
    team_map, _ = owners.read_owners(root / owners.OWNERS_FILE)
    if team_map is not None:
        for team in team_map.teams:
            prints.append(Fingerprint(words_of(team), "owner team", _at(root, owners.OWNERS_FILE, team)))
        accounts = [*team_map.default, *(a for listed in team_map.teams.values() for a in listed)]
        prints += [
            Fingerprint(words_of(a), "reviewer account", _at(root, owners.OWNERS_FILE, a)) for a in accounts
        ]
    for pb in handbook.playbooks:
        prints.append(
            Fingerprint(words_of(pb.source.display), "source file", Problem(pb.source.display, 1, 1, ""))
        )
        prints.append(Fingerprint(words_of(pb.model.owner), "owner team", pb.source.problem(("owner",), "")))
    return [fp for fp in prints if fp.words]


def _at(root: Path, name: str, text: str) -> Problem:
    """Where `text` first appears in the file `name`, for a problem about it."""
    try:
        lines = (root / name).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    number = next((n for n, line in enumerate(lines, 1) if text in line), 1)
    return Problem(name, number, 1, "")


def shared_text(handbook: Handbook, pages: list[str]) -> tuple[str, set[str]]:
    """Everything the audience is meant to read, as normalised words and as slugs: the text, ids
    and tags of what the whole `handbook` shares with it (decided afresh, not taken from the view
    the build used, so that a fault in the view cannot hide itself), its hand-written pages and
    search synonyms."""
    texts = list(pages)
    for pb in handbook.playbooks:
        for model, shared, _ in audience.walk(pb.model):
            if shared:  # its text, and its ids (the shared entry's URL, anchor, short link)
                texts += [_source_words(text, handbook) for _, text in _own_texts(model)]
                texts += [getattr(model, "id", None) or "", *getattr(model, "aliases", ())]
        if audience.PARTNERS in (audience.own_audience(pb.model) or ()):  # tag pages and anchors
            texts += [f"{tag} {tag_slug(tag)}" for tag in pb.model.tags]
    joined = "\n".join(texts)
    return " " + " ".join(words_of(joined)) + " ", set(_SLUG.findall(joined.lower()))


def without_shared(prints: list[Fingerprint], words: str, slugs: set[str]) -> list[Fingerprint]:
    """The fingerprints that the shared text does not contain itself."""
    kept = []
    for fp in prints:
        if fp.what == "id":
            if fp.words[0] not in slugs:
                kept.append(fp)
        elif f" {' '.join(fp.words)} " not in words:
            kept.append(fp)
    return kept


def readable(path: Path) -> str:
    """A built file as text: decompressed if gzip (sitemap.xml.gz, Pagefind's chunks)."""
    data = path.read_bytes()[:MAX_FILE_BYTES]
    if data[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError):  # not gzip after all: read it as it is
            data = gzip.decompress(data)[:MAX_FILE_BYTES]
    return data.decode("utf-8", errors="replace")


def _as_words(path: Path, text: str) -> tuple[str, ...]:
    text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if path.suffix in _MARKUP_FILES:
        text = _TAG.sub(" ", text)
    return words_of(html.unescape(text))


def _id_found(text: str, slug: str) -> bool:
    """A one-word id counts only where it can only be an id: an anchor or a path segment."""
    return f"#{slug}" in text or f"/{slug}/" in text


def scan(site: Path, prints: list[Fingerprint], files: list[Path]) -> list[Leak]:
    """Every fingerprint found in `files`, the files of the site in the folder `site`."""
    ids: dict[str, list[Fingerprint]] = {}
    by_key: dict[tuple[str, ...], list[Fingerprint]] = {}
    for fp in prints:
        if fp.what == "id":
            ids.setdefault(fp.words[0], []).append(fp)
        else:
            by_key.setdefault(fp.words[:KEY], []).append(fp)
    leaks = []
    for path in files:
        text = readable(path)
        lower = text.lower()
        rel = path.relative_to(site).as_posix()
        found: list[Fingerprint] = []
        for slug in set(_SLUG.findall(lower)) & ids.keys():
            if "-" in slug or _id_found(lower, slug):
                found += ids[slug]
        tokens = _as_words(path, text)
        for i in range(len(tokens)):
            for fp in by_key.get(tokens[i : i + KEY], ()):
                if tokens[i : i + len(fp.words)] == fp.words:
                    found.append(fp)
        leaks += [Leak(fp, rel) for fp in dict.fromkeys(found)]
    return leaks


def problems(leaks: list[Leak], site_name: str) -> list[Problem]:
    """One problem per withheld thing found, at its source, naming a file it was found in."""
    by_origin: dict[Problem, list[Leak]] = {}
    for leak in leaks:
        by_origin.setdefault(leak.fingerprint.origin, []).append(leak)
    found = []
    for origin, on in by_origin.items():
        first = on[0]
        files = sorted({leak.file for leak in on})
        more = f" (and {len(files) - 1} other file(s))" if len(files) > 1 else ""
        shown = " ".join(first.fingerprint.words)
        found.append(
            Problem(
                origin.path,
                origin.line,
                origin.col,
                f"not for {site_name}, but its {first.fingerprint.what} ('{shown}') is in "
                f"{first.file}{more}: the build leaks it",
            )
        )
    return found


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    files: int  # files searched
    fingerprints: int  # what was searched for
    site_name: str  # "the partner handbook"

    def summary(self) -> str:
        """The line `handbook build` and `handbook check` print after a clean check."""
        return (
            f"leak check: {self.files} files of {self.site_name} searched for {self.fingerprints} "
            "traces of what is withheld from it: none found"
        )


def check_site(
    site: Path, root: Path, whole: Handbook, name: str, pages: list[str], repo_url: str | None
) -> Report:
    """Search the site built for the audience `name` for everything withheld from it."""
    prints = withheld_fingerprints(whole, name) + project_fingerprints(root, whole, repo_url)
    words, slugs = shared_text(whole, pages)
    prints = list({fp.words: fp for fp in reversed(without_shared(prints, words, slugs))}.values())
    files = sorted(p for p in site.rglob("*") if p.is_file())
    site_name = audience.handbook_name(name)
    return Report(problems(scan(site, prints, files), site_name), len(files), len(prints), site_name)
