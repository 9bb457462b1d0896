"""Links in hand-written pages: by id, so they survive renames, and checked like playbooks.

A page links an entry with a Markdown reference link whose label is the entry's id:
`[the pilot plan][pilot-plan-checklist]`. It is plain CommonMark, readable in the source; the
build appends the definitions (`[pilot-plan-checklist]: checklists/pilot-plan-checklist.md`),
so MkDocs resolves and checks them like any link. `handbook check` reports a label that is
no id, and a relative link to a page the site does not have, as `content/PAGE.md:LINE:COL`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import layout
from .kinds.defaults import DEFAULT_TITLE, Default
from .messages import suggest
from .problems import Problem
from .validate import Handbook

# A fence at any indent: inside a list item it is indented further than CommonMark's 0-3.
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]+)\]:[ \t]*\S", re.MULTILINE)
_REFERENCE = re.compile(r"\[((?:[^\[\]\n]|\[[^\]\n]*\])+)\]\[([^\[\]\n]*)\]")
_INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#|/)", re.IGNORECASE)


@dataclass(frozen=True)
class IdLink:
    label: str
    line: int
    col: int


def blank_code(text: str) -> str:
    """The text with fenced blocks and code spans blanked out, positions kept."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group())

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def id_links(text: str) -> Iterator[IdLink]:
    """Reference links whose label the page does not define itself: links by id."""
    prose = blank_code(text)
    defined = {label.strip().lower() for label in _DEFINITION.findall(prose)}
    for match in _REFERENCE.finditer(prose):
        label = (match.group(2) or match.group(1)).strip().lower()
        if label not in defined:
            line, col = position(text, match.start(2) if match.group(2) else match.start(1))
            yield IdLink(label, line, col)


def file_links(text: str) -> Iterator[tuple[str, int, int]]:
    """Relative links to other pages (`[x](../faq/partner-faq.md#q)`): target, line, col."""
    prose = blank_code(text)
    for match in _INLINE.finditer(prose):
        target = match.group(1)
        if not _EXTERNAL.match(target):
            yield (target, *position(text, match.start(1)))


def check_page(display: str, page: str, text: str, handbook: Handbook, pages: set[str]) -> list[Problem]:
    """Every link by id names an entry; every relative link lands on a page the site has."""
    problems = []
    for link in id_links(text):
        if link.label in handbook.aliases:
            message = f"'{link.label}' is a former id of '{handbook.aliases[link.label]}': link to that id"
        elif link.label in handbook.withheld:  # kept from this audience: shown as plain words
            continue
        elif link.label not in handbook.entries:
            hint = suggest(link.label, handbook.entries)
            message = f"unknown id '{link.label}' in a link{hint}"
        else:
            continue
        about = ("unknown", link.label) if message.startswith("unknown") else ("", "")
        problems.append(Problem(display, link.line, link.col, message, about=about))
    folder = posixpath.dirname(page)
    for target, line, col in file_links(text):
        path = target.split("#")[0]
        if not path.endswith(".md"):
            continue
        resolved = posixpath.normpath(posixpath.join(folder, path))
        if resolved not in pages:
            hint = suggest(resolved, pages)
            problems.append(
                Problem(
                    display,
                    line,
                    col,
                    f"link to '{target}', a page the site does not have{hint}; "
                    "link entries by id instead: [text][ENTRY-ID]",
                )
            )
    return problems


def with_definitions(page: str, text: str, handbook: Handbook) -> str:
    """The page with a definition appended for each link by id, relative to the page (the
    same links the generated pages use for `see:`)."""
    if "][" not in text:
        return text
    lines = []
    for label in sorted({link.label for link in id_links(text)}):
        entry = handbook.resolve(label)
        if entry is not None:
            href = layout.relative_link(page, layout.page_path(entry.playbook))
            if entry.id != entry.playbook.id:
                href += f"#{entry.id}"
            title = f' "{DEFAULT_TITLE}"' if isinstance(entry.entry, Default) else ""
            lines.append(f"[{label}]: {href}{title}")
    if not lines:
        return text
    return (
        text.rstrip("\n")
        + "\n\n<!-- links by id, added by the handbook build -->\n"
        + "\n".join(lines)
        + "\n"
    )
