"""Which hand-written pages each audience reads.

A page in `content/` is internal unless its front matter says `audience: [internal, partners]`.
A page written only for partners is named with the audience before `.md`: `index.partners.md`
is the partner handbook's home page, in place of `index.md`, and the internal handbook leaves
it out. Other files (images, downloads) are internal too, unless mkdocs.yml shares them:
`plugins: - handbook: partners: files:` lists glob patterns from `content/`.

A page partners read reaches them without its HTML comments: they are notes to whoever edits
the page (`for_audience`).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from .model import AUDIENCES
from .page_links import blank_code, position
from .problems import Problem

INTERNAL = AUDIENCES[0]
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_AUDIENCE_LINE = re.compile(r"^audience[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_TITLE_LINE = re.compile(r"^title[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_FIRST_HEADING = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_ATTR_LIST = re.compile(r"[ \t]*\{[^}]*\}[ \t]*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def variant_of(path: str) -> tuple[str, str] | None:
    """('index.md', 'partners') for 'index.partners.md'; None for a page for everyone."""
    for audience in AUDIENCES[1:]:
        suffix = f".{audience}.md"
        if path.endswith(suffix):
            return path.removesuffix(suffix) + ".md", audience
    return None


def declared_audience(text: str) -> tuple[list[str] | None, str | None, int]:
    """The `audience:` of a page's front matter: (values, problem, offset of the value)."""
    head = _FRONT_MATTER.match(text)
    found = _AUDIENCE_LINE.search(head.group(1)) if head else None
    if head is None or found is None:
        return None, None, 0
    offset = head.start(1) + found.start(1)
    try:
        value = yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        value = None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        return None, f"`audience:` must be one of {', '.join(AUDIENCES)}, or a list of them", offset
    unknown = [v for v in values if v not in AUDIENCES]
    if unknown:
        return None, f"unknown audience '{unknown[0]}': use {', '.join(AUDIENCES)}", offset
    return values, None, offset


def page_title(path: str, text: str) -> str:
    """A hand-written page's title as MkDocs finds it: its front matter's `title:`, else its
    first `# ` heading as plain text, else its file name. The navigation names every page by
    it, so a live preview that reads only the edited pages still names the others right."""
    head = _FRONT_MATTER.match(text)
    if head and (found := _TITLE_LINE.search(head.group(1))):
        try:
            value = yaml.safe_load(found.group(1))
        except yaml.YAMLError:
            value = None
        if isinstance(value, str) and value.strip():
            return value.strip()
    if heading := _FIRST_HEADING.search(text, head.end() if head else 0):
        plain = _LINK.sub(r"\1", _ATTR_LIST.sub("", heading.group(1)))
        if title := " ".join(plain.replace("*", "").replace("`", "").split()):
            return title
    name = path.rsplit("/", 1)[-1].removesuffix(".md").replace("-", " ").replace("_", " ")
    return name.capitalize() if name.lower() == name else name


def page_problems(display: str, text: str) -> list[Problem]:
    _, problem, offset = declared_audience(text)
    return [Problem(display, *position(text, offset), problem)] if problem else []


def pages_for(audience: str, sources: dict[str, Path], shared_files: Sequence[str] = ()) -> dict[str, Path]:
    """The hand-written files `audience` reads, by the path they are published under: pages
    shared in their front matter, and other files that match a pattern of `shared_files`."""
    chosen: dict[str, Path] = {}
    for path, src in sources.items():
        variant = variant_of(path)
        if variant is not None:
            if variant[1] == audience:
                chosen[variant[0]] = src
        elif audience == INTERNAL or _shares(audience, path, src, shared_files):
            chosen.setdefault(path, src)
    return chosen


def _shares(audience: str, path: str, src: Path, shared_files: Sequence[str]) -> bool:
    """A page shares itself in its front matter; another file, by a pattern in mkdocs.yml."""
    return audience in _audience_of(src) if path.endswith(".md") else file_shared(path, shared_files)


def file_shared(path: str, patterns: Sequence[str]) -> bool:
    """Whether a file of content/ (not a page) matches a pattern that shares it."""
    return any(fnmatch.fnmatchcase(path, pattern.strip("/")) for pattern in patterns)


def for_audience(audience: str, text: str, *, keep_positions: bool = False) -> str:
    """A page as `audience` reads it: for any audience but ourselves, without HTML comments
    (outside code, where they are examples). With `keep_positions`, each comment is blanked
    instead, so that a problem found in the rest is at its line and column in the file."""
    if audience == INTERNAL:
        return text
    prose = blank_code(text)
    spans = [match.span() for match in _COMMENT.finditer(prose)]
    for start, end in reversed(spans):
        gone = re.sub(r"[^\n]", " ", text[start:end]) if keep_positions else ""
        text = text[:start] + gone + text[end:]
    return text


def _audience_of(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return declared_audience(text)[0] or []
