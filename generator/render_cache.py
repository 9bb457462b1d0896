"""A live preview's memory of what it rendered, so that a save re-renders only what it changed.

A playbook's page is made from its own file and from what every page may show of the others:
titles and addresses of the entries it links, what links to its entries, the defaults' values,
what the partner handbook shares, today's date (review status) and the templates. The cache
keeps each page with the file it came from (the load cache hands back the same object while a
file is unchanged) and forgets every page as soon as anything handbook-wide differs. A page
that lists other playbooks (`playbooks_of`) is never kept: it depends on them all.

`handbook build` renders everything afresh; only `handbook serve` passes a cache.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import layout
from .audience import Sharing
from .kinds.defaults import Default
from .load import SourceFile
from .model import Playbook
from .render import Page, make_environment
from .validate import Handbook, ValidPlaybook


@dataclass(frozen=True)
class _Kept:
    source: SourceFile  # the very object loaded: the load cache keeps it while the file is unchanged
    kind: type[Playbook]  # a declared kind is a new class after every read of its declaration
    page: Page


@dataclass
class RenderCache:
    handbook_wide: object = None  # `handbook_wide_inputs` at the last render
    pages: dict[str, _Kept] = field(default_factory=dict)  # source path → its page
    listings: dict[str, tuple[tuple[object, ...], Page]] = field(default_factory=dict)  # index pages
    environments: dict[tuple[Path, Path | None], jinja2.Environment] = field(default_factory=dict)
    reused: int = 0  # pages taken from the cache by the last render

    def environment(self, templates_dir: Path, kinds_dir: Path | None) -> jinja2.Environment:
        """The templates, compiled once: Jinja checks each file's time stamp before reusing it."""
        key = (templates_dir, kinds_dir)
        if key not in self.environments:
            self.environments[key] = make_environment(templates_dir, kinds_dir)
        return self.environments[key]

    def start(
        self, handbook: Handbook, today: dt.date, shared: Sharing | None, template_dirs: list[Path]
    ) -> None:
        """A new render: forget every page unless everything handbook-wide is as it was."""
        handbook_wide = handbook_wide_inputs(handbook, today, shared, template_dirs)
        if handbook_wide != self.handbook_wide:
            self.pages.clear()
            self.listings.clear()
        self.handbook_wide, self.reused = handbook_wide, 0

    def page_of(self, pb: ValidPlaybook) -> Page | None:
        kept = self.pages.get(pb.source.display)
        if kept is None or kept.source is not pb.source or kept.kind is not type(pb.model):
            return None
        self.reused += 1
        return kept.page

    def keep(self, pb: ValidPlaybook, page: Page) -> None:
        self.pages[pb.source.display] = _Kept(pb.source, type(pb.model), page)

    def forget(self, pb: ValidPlaybook) -> None:
        self.pages.pop(pb.source.display, None)


def handbook_wide_inputs(
    handbook: Handbook, today: dt.date, shared: Sharing | None, template_dirs: list[Path]
) -> object:
    """Everything a playbook's page may show that does not come from its own file, as a value
    to compare with the last render's (tuples and dicts: comparing them costs milliseconds)."""
    entries = tuple(
        (
            entry_id,
            entry.label,
            entry.playbook.id,
            layout.page_path(entry.playbook),
            entry.entry.value if isinstance(entry.entry, Default) else None,
        )
        for entry_id, entry in handbook.entries.items()
    )
    templates = tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for folder in template_dirs
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )
    return (
        handbook.audience,
        today,
        entries,
        handbook.backlinks,
        handbook.aliases,
        handbook.withheld,
        shared.shared if shared else None,
        templates,
    )
