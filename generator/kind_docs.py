"""Lists of kinds in Markdown pages, generated from the registry so that they never drift.

A page marks where a list goes with `<!-- handbook:kinds FORMAT -->` … `<!-- /handbook:kinds -->`.
`handbook fix` rewrites what is between the markers; `handbook check` reports a list that is out
of date. Formats:

- `names`: the kinds' names in a sentence (`operating-model`, `culture`, … or `references`);
- `table`: a row per kind: name, navigation section and fields (README);
- `sections`: a row per kind that has pages, linking its section, with its intro (home page).
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from . import layout
from .kinds import Kinds
from .model import Item, Playbook, list_item_model
from .problems import Problem
from .validate import Handbook

BLOCK = re.compile(r"(<!-- handbook:kinds (\w+) -->\n)(.*?)(<!-- /handbook:kinds -->)", re.S)
FORMATS = ("names", "table", "sections")


def _names(kinds: Kinds) -> str:
    names = [f"`{name}`" for name in kinds]
    return (", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]) + "\n"


def _fields(cls: type[BaseModel], skip: set[str]) -> str:
    parts = []
    for name, info in cls.model_fields.items():
        if name in skip:
            continue
        if item := list_item_model(info.annotation):
            parts.append(f"`{name}` ({_fields(item, set(Item.model_fields))})")
        else:
            parts.append(f"`{name}`")
    return ", ".join(parts)


def _table(kinds: Kinds) -> str:
    common = set(Playbook.model_fields)
    rows = ["| Kind | Section | Fields besides the common ones |", "| --- | --- | --- |"]
    for name, cls in kinds.items():
        where = f" (declared in `{cls.spec.declared_in}`)" if cls.spec.declared_in else ""
        rows.append(f"| `{name}` | {cls.spec.title}{where} | {_fields(cls, common)} |")
    return "\n".join(rows) + "\n"


def _sections(used: list[type[Playbook]], page: str) -> str:
    rows = ["| Section | What you find there |", "| --- | --- |"]
    for cls in used:
        href = layout.relative_link(page, layout.kind_index_path(cls.spec))
        rows.append(f"| [{cls.spec.title}]({href}) | {' '.join(cls.spec.intro.split())} |")
    return "\n".join(rows) + "\n"


def render_block(fmt: str, handbook: Handbook, page: str) -> str:
    if fmt == "names":
        return _names(handbook.kinds)
    if fmt == "table":
        return _table(handbook.kinds)
    return _sections(handbook.kinds_used(), page)


def updated(text: str, handbook: Handbook, page: str) -> str:
    """The text with every kinds block brought up to date (unknown formats left alone)."""

    def replace(match: re.Match[str]) -> str:
        fmt = match.group(2)
        if fmt not in FORMATS:
            return match.group(0)
        return match.group(1) + render_block(fmt, handbook, page) + match.group(4)

    return BLOCK.sub(replace, text)


def stale_blocks(display: str, text: str, handbook: Handbook, page: str) -> list[Problem]:
    """One problem per block that is out of date or names an unknown format."""
    problems = []
    for match in BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        fmt = match.group(2)
        if fmt not in FORMATS:
            problems.append(
                Problem(
                    display, line, 1, f"unknown kinds list format '{fmt}'; use one of: {', '.join(FORMATS)}"
                )
            )
        elif match.group(3) != render_block(fmt, handbook, page):
            problems.append(
                Problem(
                    display, line, 1, "the list of kinds is out of date with the kinds: run `handbook fix`"
                )
            )
    return problems


def pages_with_blocks(root: Path, pages: dict[str, Path]) -> dict[str, Path]:
    """The Markdown files that may hold kinds lists: the published pages and the README."""
    found = {page: path for page, path in pages.items() if page.endswith(".md")}
    readme = root / "README.md"
    if readme.is_file():
        found["README.md"] = readme  # not published: its links are never followed on the site
    return found
