"""The leak check: prove that a built audience's site holds nothing withheld from it.

`audience.view` leaves withheld entries out before anything is rendered; this module checks the
result, as a partner would receive it, the way an auditor would. Every file of the built site
is read (HTML, JSON, JS, XML, SVG, Pagefind's chunks; gzip and zip files, office documents
included, are opened first) and searched for what would give a withheld thing away:

- a withheld entry's id and former ids, as whole slugs (a one-word id only as `#id` or `/id/`);
- its title, its keywords, the synonyms kept from the audience and the titles of hand-written
  pages kept from it, as whole words (a name of one or two words only in a page's content,
  the search index and downloads: the theme's own words are not evidence);
- every sentence of its text and of the withheld hand-written pages: short ones whole, longer
  ones as every run of `WINDOW` words, so that a sentence is found wherever it is cut;
- the project's own business, as written: the repository's address, the review accounts in
  owners.yaml, the owner teams and the playbooks' file paths.

What the audience's own sources say (two checklists with one item, a term partners use too) is
not evidence of a leak, and is not searched for; `handbook check` warns about shared text that
repeats withheld text instead (`generator/partner_rules.py`). A file the check cannot read (a
PDF, an unknown binary) is refused; images, fonts and media are not text and are counted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from . import audience, inline, owners
from .kinds.defaults import Default
from .leak_scan import Fingerprint, Leak, Runs, scan_on_every_core, words_of
from .load import Loc
from .model import Entry, Item, refs_marker
from .problems import Problem
from .search_text import STOP_WORDS
from .shared_pages import page_title
from .tag_pages import tag_slug
from .unpack import MEDIA_FILES
from .validate import Handbook

WINDOW = 8  # words in each run taken from a longer withheld sentence
MIN_SENTENCE_WORDS = 4  # shorter sentences are too common to tell anything
_NOT_TEXT = frozenset({"id", "aliases", "see", "keywords", "kind", "owner", "url", "tags", "audience"})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n\s*\n")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:.*$", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class HandWritten:
    """What an audience reads besides the playbooks, and what is kept from it."""

    shared: list[str] = field(default_factory=list)  # its pages as it reads them, its synonyms
    withheld_pages: list[tuple[str, str]] = field(default_factory=list)  # (file, text) of the others
    withheld_terms: list[tuple[str, Problem]] = field(default_factory=list)  # synonyms kept from it


def source_words(text: str, handbook: Handbook) -> str:
    """Markdown from a playbook as a reader sees its words: links by their words, defaults by
    their values, entities decoded."""
    return html.unescape(_LINK_TARGET.sub("]", inline.words(text, handbook)))


def page_words(text: str) -> str:
    """A hand-written page's text as a reader sees its words: without front matter, link
    targets, link definitions and HTML tags."""
    text = _DEFINITION.sub("", _FRONT_MATTER.sub("", text))
    return html.unescape(_TAG.sub(" ", _LINK_TARGET.sub("]", text)))


def own_texts(model: BaseModel) -> Iterator[tuple[str, Loc, str]]:
    """(field, where in the model, text) of a model's own text fields: not those of the
    models inside it."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if name in _NOT_TEXT or refs_marker(info) is not None:
            continue
        if isinstance(value, str):
            yield name, (name,), value
        elif isinstance(value, list):
            yield from ((name, (name, i), text) for i, text in enumerate(value) if isinstance(text, str))


@dataclass(frozen=True)
class Sentences:
    """How sentences become fingerprints: those under `shortest` words are skipped, those up
    to `window` words are taken whole, longer ones as every run of `window` words."""

    window: int = WINDOW
    shortest: int = MIN_SENTENCE_WORDS

    def prints(self, text: str, origin: Problem, name: str) -> Iterator[Fingerprint]:
        for sentence in _SENTENCE_END.split(text):
            found = words_of(sentence)
            if len(found) < self.shortest:
                continue
            for start in range(max(1, len(found) - self.window + 1)):
                yield Fingerprint(found[start : start + self.window], "text", origin, name=name)


def _label_prints(text: str, origin: Problem, name: str) -> list[Fingerprint]:
    found = words_of(text)
    return [Fingerprint(found, "title", origin, name=name)] if found else []


def withheld_fingerprints(
    handbook: Handbook, name: str, written: HandWritten | None = None, sentences: Sentences = Sentences()
) -> list[Fingerprint]:
    """What would give away each part of `handbook`, and of the hand-written pages, that the
    audience `name` (partners: the one audience besides ourselves so far) does not read."""
    prints: list[Fingerprint] = []
    for pb in handbook.playbooks:
        for model, shared, loc in audience.walk(pb.model):
            if shared or not isinstance(model, (Entry, Item)):
                continue
            origin = pb.source.problem(loc, "")
            gives_away = model.id or pb.model.id  # an item without an id: its playbook's
            for slug in [model.id, *model.aliases] if model.id else []:
                prints.append(Fingerprint((slug,), "id", origin, name=gives_away))
            keywords = (words_of(keyword) for keyword in getattr(model, "keywords", ()))
            prints += [Fingerprint(found, "keyword", origin, name=gives_away) for found in keywords if found]
            for field_name, _, text in own_texts(model):
                if isinstance(model, Default) and field_name == "value":
                    continue  # shown in its place wherever shared text uses it (audience.view)
                plain = source_words(text, handbook)
                if field_name == model.label_field:
                    prints += _label_prints(plain, origin, gives_away)
                else:
                    prints += sentences.prints(plain, origin, gives_away)
    for display, text in written.withheld_pages if written else ():
        prints += _label_prints(page_title(display, text), Problem(display, 1, 1, ""), display)
        prints += _page_prints(display, text, sentences)
    for term, origin in written.withheld_terms if written else ():
        prints += [Fingerprint(found, "synonym", origin, name=term)] if (found := words_of(term)) else []
    return prints


def _page_prints(display: str, text: str, sentences: Sentences) -> Iterator[Fingerprint]:
    """The sentences of a hand-written page, each at the line its paragraph starts on."""
    line = 1
    for block in re.split(r"(\n[ \t]*\n)", text):
        if block.strip() and not block.lstrip().startswith("---"):
            yield from sentences.prints(page_words(block), Problem(display, line, 1, ""), display)
        line += block.count("\n")


def project_fingerprints(root: Path, handbook: Handbook, repo_url: str | None) -> list[Fingerprint]:
    """The project's own business, which no page for an audience needs: the repository (edit
    links), the reviewers and owner teams (CODEOWNERS), the playbooks' files ("generated from").
    Each is matched as written: an account `@acme/partner-management` is not the words "acme
    partner management" on a page of a site named for Acme."""
    prints = []
    if repo_url and (address := re.sub(r"^[a-z][a-z0-9+.-]*://", "", repo_url.lower()).rstrip("/")):
        prints.append(_literal(address, "repository address", _at(root, "mkdocs.yml", repo_url)))
    team_map, _ = owners.read_owners(root / owners.OWNERS_FILE)
    if team_map is not None:
        for team in team_map.teams:
            prints.append(_literal(team, "owner team", _at(root, owners.OWNERS_FILE, team)))
        accounts = [*team_map.default, *(a for listed in team_map.teams.values() for a in listed)]
        prints += [_literal(a, "reviewer account", _at(root, owners.OWNERS_FILE, a)) for a in accounts]
    for pb in handbook.playbooks:
        prints.append(_literal(pb.source.display, "source file", Problem(pb.source.display, 1, 1, "")))
        prints.append(_literal(pb.model.owner, "owner team", pb.source.problem(("owner",), "")))
    return [fp for fp in prints if fp.words]


def _literal(text: str, what: str, origin: Problem) -> Fingerprint:
    """A project string without spaces (an account, a path, an address) is matched as written;
    one with spaces (a team called "Partner Management Office") as words."""
    text = text.strip().lower()
    return Fingerprint(words_of(text), what, origin, literal="" if re.search(r"\s", text) else text)


def _at(root: Path, name: str, text: str) -> Problem:
    """Where `text` first appears in the file `name`, for a problem about it."""
    try:
        lines = (root / name).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    number = next((n for n, line in enumerate(lines, 1) if text in line), 1)
    return Problem(name, number, 1, "")


@dataclass(frozen=True)
class SharedText:
    """Everything an audience is meant to read, as words and as slugs."""

    words: tuple[str, ...]
    slugs: frozenset[str]


def _without_stop_words(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(word for word in words if word not in STOP_WORDS)


def shared_text(handbook: Handbook, written: HandWritten) -> SharedText:
    """Everything the audience is meant to read: the text, ids and tags of what the whole
    `handbook` shares with it (decided afresh, not taken from the view the build used, so that
    a fault in the view cannot hide itself), its pages as it reads them and its synonyms."""
    texts = list(written.shared)
    for pb in handbook.playbooks:
        for model, shared, _ in audience.walk(pb.model):
            if shared:  # its text, and its ids (the shared entry's URL, anchor, short link)
                texts += [source_words(text, handbook) for _, _, text in own_texts(model)]
                texts += [getattr(model, "id", None) or "", *getattr(model, "aliases", ())]
                texts += getattr(model, "keywords", [])
        if audience.PARTNERS in (audience.own_audience(pb.model) or ()):  # tag pages and anchors
            texts += [f"{tag} {tag_slug(tag)}" for tag in pb.model.tags]
    texts += (f"{cls.spec.title}\n{cls.spec.intro}" for cls in handbook.kinds_used())  # the kinds' own words
    joined = "\n".join(texts)
    return SharedText(words_of(joined), frozenset(_SLUG.findall(joined.lower())))


def without_shared(prints: Iterable[Fingerprint], shared: SharedText) -> list[Fingerprint]:
    """The fingerprints that the shared text does not contain itself, each once. A run of
    words counts as shared without its stop words too: the search index keeps only the words
    search looks at, so "review the health of the transfer" is "review health transfer" there."""
    kept: dict[tuple[tuple[str, ...], str], Fingerprint] = {}
    for fp in prints:
        kept.setdefault((fp.words, fp.literal), fp)
    slugs = {
        key for key, fp in kept.items() if fp.what == "id" or (fp.literal and _SLUG.fullmatch(fp.literal))
    }
    runs, bare = Runs(), Runs()
    original: dict[int, tuple[tuple[str, ...], str]] = {}  # a stripped copy's id() → its key
    for key, fp in kept.items():
        if key not in slugs:
            runs.add(fp)
            if stripped := _without_stop_words(fp.words):
                copy = Fingerprint(stripped, fp.what, fp.origin)
                original[id(copy)] = key
                bare.add(copy)
    found = {(fp.words, fp.literal) for fp in runs.found_in(shared.words)}
    found |= {original[id(fp)] for fp in bare.found_in(_without_stop_words(shared.words))}
    found |= {key for key in slugs if (key[1] or key[0][0]) in shared.slugs}
    return [fp for key, fp in kept.items() if key not in found]


def problems(leaks: list[Leak], site_name: str) -> list[Problem]:
    """One problem per withheld thing found, at its source, naming a file it was found in."""
    by_origin: dict[Problem, list[Leak]] = {}
    for leak in leaks:
        by_origin.setdefault(leak.fingerprint.origin, []).append(leak)
    found = []
    for origin, on in by_origin.items():
        first = min(on, key=lambda leak: (leak.fingerprint.what != "id", leak.file))  # an id says most
        files = sorted({leak.file for leak in on})
        more = f" (and {len(files) - 1} other file(s))" if len(files) > 1 else ""
        shown = first.fingerprint.literal or " ".join(first.fingerprint.words)
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


def unreadable_problems(unreadable: list[tuple[str, str]], site_name: str, root: Path) -> list[Problem]:
    """A file the check cannot read is refused: what it cannot read, it cannot vouch for."""
    found = []
    for rel, why in unreadable:
        source = f"content/{rel}" if (root / "content" / rel).is_file() else rel
        found.append(
            Problem(
                source,
                1,
                1,
                f"the leak check cannot read '{rel}' ({why}), so it cannot be published in {site_name}: "
                "share it as text, Markdown, CSV or an office document, or stop sharing it",
            )
        )
    return found


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    files: int  # files searched
    fingerprints: int  # what was searched for
    site_name: str  # "the partner handbook"
    media: int = 0  # images, fonts and other media: not text, not searched

    def summary(self) -> str:
        """The line `handbook build` and `handbook check` print after a clean check."""
        media = f" ({self.media} images, fonts or media not read: they are not text)" if self.media else ""
        return (
            f"leak check: {self.files} files of {self.site_name} searched for {self.fingerprints} "
            f"traces of what is withheld from it: none found{media}"
        )


def check_site(
    site: Path, root: Path, whole: Handbook, name: str, written: HandWritten, repo_url: str | None
) -> Report:
    """Search the site built for the audience `name` for everything withheld from it."""
    prints = withheld_fingerprints(whole, name, written) + project_fingerprints(root, whole, repo_url)
    prints = without_shared(prints, shared_text(whole, written))
    files = sorted(p for p in site.rglob("*") if p.is_file())
    site_name = audience.handbook_name(name)
    leaks, unreadable = scan_on_every_core(site, prints, files)
    found = problems(leaks, site_name) + unreadable_problems(unreadable, site_name, root)
    media = sum(1 for p in files if p.suffix.lower() in MEDIA_FILES)
    return Report(found, len(files) - media, len(prints), site_name, media)
