"""What `handbook check` says about a handbook built for an audience (partners), from the
sources, before any site is built: each rule here fails or warns at `file:line:col`.

- Shared text (a shared entry's fields, a page partners read) that links the internal
  handbook's address is an error: partners cannot open it, and the link names an internal page.
- A page partners read that links a file of `content/` they do not get is an error.
- Shared text that repeats a sentence of something withheld is a warning naming it: partners
  read that sentence.
- An entry partners will read for the first time (its address is not in the audience's URL
  manifest yet) is a warning: "newly shared with partners".
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import audience, leaks, site_config, urls
from .leak_scan import Fingerprint, Runs, words_of
from .page_links import blank_code, file_links, position
from .problems import Problem
from .shared_pages import for_audience
from .validate import Handbook

# A whole sentence of eight words or more, or twelve words in a row of a longer one: shared
# text and internal text say shorter things alike by chance ("the engineering lead and the
# partner delivery lead").
REPEATED = leaks.Sentences(window=12, shortest=8)


@dataclass(frozen=True)
class SharedPiece:
    """A piece of text the audience reads, and where it is written."""

    text: str
    at: Problem  # its position (the message is filled in by each rule)
    page: bool  # a hand-written page (positions inside it are exact), not a playbook's field


def shared_pieces(whole: Handbook, pages: dict[str, Path], root: Path, name: str) -> Iterator[SharedPiece]:
    """Every text of `whole` that the audience `name` reads, and its pages (`pages`: the
    hand-written files it reads, by published path), as it reads them."""
    for pb in whole.playbooks:
        for model, shared, loc in audience.walk(pb.model):
            if shared:
                for _, at, text in leaks.own_texts(model):
                    yield SharedPiece(text, pb.source.problem((*loc, *at), ""), page=False)
    for path, src in pages.items():
        if path.endswith(".md"):
            text = for_audience(name, src.read_text(encoding="utf-8", errors="replace"), keep_positions=True)
            yield SharedPiece(text, Problem(src.relative_to(root).as_posix(), 1, 1, ""), page=True)


def _addresses(config_file: Path, name: str) -> tuple[str, str]:
    """The internal handbook's address and the audience's, without scheme, lower case."""
    root = site_config.compose(config_file)
    internal = site_config.child(root, "site_url")
    options = site_config.handbook_options(site_config.child(root, "plugins"))
    own = site_config.child(site_config.child(options, name), "site_url")
    return _bare(getattr(internal, "value", "")), _bare(getattr(own, "value", ""))


def _bare(url: object) -> str:
    if not isinstance(url, str) or not url.strip():
        return ""
    parts = urlsplit(url.strip())
    return f"{parts.netloc}{parts.path}".rstrip("/").lower()


def internal_links(pieces: list[SharedPiece], config_file: Path, name: str) -> list[Problem]:
    """Shared text that links (by inline link, autolink, reference definition or bare URL)
    the internal handbook: the partner handbook cannot turn it into its own page."""
    internal, own = _addresses(config_file, name)
    if not internal or own == internal:  # one address for both: nothing tells them apart
        return []
    stop = r"\s)>\]\"'"
    pattern = re.compile(rf"(?:https?:)?//{re.escape(internal)}(?=[/#?{stop}]|$)[^{stop}]*", re.IGNORECASE)
    problems = []
    handbook_name = audience.handbook_name(name)
    for piece in pieces:
        prose = blank_code(piece.text) if piece.page else piece.text
        for match in pattern.finditer(prose):
            if own and _bare(match.group()).startswith(own):
                continue  # the audience's own handbook, published under the internal one
            at = _at(piece, match.start())
            problems.append(
                Problem(
                    at.path,
                    at.line,
                    at.col,
                    f"'{match.group()}' links the internal handbook, which {handbook_name} must not "
                    "name or lead to: link the entry by id ([words][ENTRY-ID]) so each handbook "
                    "links its own page (or shows the words alone), or remove the link",
                )
            )
    return problems


def _at(piece: SharedPiece, offset: int) -> Problem:
    """The position of `offset` in the piece: exact in a page, the field's in a playbook."""
    if not piece.page:
        return piece.at
    return Problem(piece.at.path, *position(piece.text, offset), "")


def unshared_files(
    project_pages: dict[str, Path], every_file: dict[str, Path], root: Path, name: str
) -> list[Problem]:
    """A page the audience reads that links a file of content/ kept from it."""
    problems = []
    handbook_name = audience.handbook_name(name)
    for page, src in project_pages.items():
        if not page.endswith(".md"):
            continue
        text = src.read_text(encoding="utf-8", errors="replace")
        folder = posixpath.dirname(page)
        for target, line, col in file_links(text):
            path = posixpath.normpath(posixpath.join(folder, target.split("#")[0].split("?")[0]))
            if path.endswith(".md") or path in project_pages or path not in every_file:
                continue
            problems.append(
                Problem(
                    src.relative_to(root).as_posix(),
                    line,
                    col,
                    f"'{target}' is not shared with {handbook_name}, so this link would lead nowhere: "
                    f"share the file (mkdocs.yml, `plugins: - handbook: {name}: files:`), or remove the link",
                )
            )
    return problems


def repeated_text(
    pieces: list[SharedPiece], whole: Handbook, name: str, written: leaks.HandWritten
) -> list[Problem]:
    """Warnings: shared text that repeats a sentence of something withheld from the audience."""
    found_in = leaks.withheld_fingerprints(whole, name, written, REPEATED)
    prints = [fp for fp in found_in if fp.what == "text"]
    runs = Runs()
    for fp in prints:
        runs.add(fp)
    problems = []
    for piece in pieces:
        plain = leaks.page_words(piece.text) if piece.page else leaks.source_words(piece.text, whole)
        found: dict[str, Fingerprint] = {}
        for fp in runs.found_in(words_of(plain)):
            found.setdefault(fp.name, fp)
        for withheld_name, fp in found.items():
            where = f"{fp.origin.path}:{fp.origin.line}:{fp.origin.col}"
            problems.append(
                Problem(
                    piece.at.path,
                    piece.at.line,
                    piece.at.col,
                    f'{audience.handbook_name(name)} shows this, and it repeats "{" ".join(fp.words)}" '
                    f"from '{withheld_name}' ({where}), which is kept from it: reword one of them, or "
                    f"share '{withheld_name}'",
                    severity="warning",
                )
            )
    return problems


def newly_shared(
    view: Handbook, published: list[urls.PublishedUrl], manifest: Path, name: str
) -> list[Problem]:
    """Warnings: each entry the audience will read for the first time: neither its id nor a
    former one is in the audience's URL manifest (`published`). Nothing without a manifest:
    every entry would be new."""
    if not manifest.is_file():
        return []
    recorded = {item.source for item in published}
    former: dict[str, list[str]] = {}
    for alias, target in view.aliases.items():
        former.setdefault(target, []).append(alias)
    problems = []
    for eid, info in view.entries.items():
        if eid in recorded or any(alias in recorded for alias in former.get(eid, ())):
            continue
        message = (
            f"newly shared with {name}: '{eid}' will be in {audience.handbook_name(name)}; to "
            f"record its address in {manifest.name}, run `handbook fix`"
        )
        problems.append(dataclasses.replace(info.source.problem(info.loc, message), severity="warning"))
    return problems
